package io.autobutler.core.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.autobutler.core.ingest.files.IngestTable.Format;
import io.autobutler.core.ingest.files.IngestTable.Row;
import io.autobutler.core.ingest.files.IngestTable.TableFormatException;

/** ingest-files' tables as astropy reads them: ECSV with its YAML header, and CSV with a header row. */
class IngestTableTest {

  private static final String RTN_029_ECSV = """
      # %ECSV 1.0
      # ---
      # datatype:
      # - {name: filename, datatype: string}
      # - {name: htm7, datatype: int64}
      # schema: astropy-2.0
      filename htm7
      cal_ref_cat/146812.fits 146812
      cal_ref_cat/146813.fits   146813
      """;

  @Test
  void ecsvIsSpaceDelimitedWithItsHeaderRowAndLineNumbers() {
    IngestTable table = IngestTable.parse(RTN_029_ECSV, Format.ECSV);
    assertThat(table.columns()).containsExactly("filename", "htm7");
    assertThat(table.rows()).containsExactly(new Row(8, List.of("cal_ref_cat/146812.fits", "146812")),
        new Row(9, List.of("cal_ref_cat/146813.fits", "146813")));
  }

  @Test
  void ecsvTakesTheHeadersDelimiterQuotedValuesAndBlockStyleYaml() {
    String text = """
        # %ECSV 1.0
        # ---
        # delimiter: ','
        # datatype:
        # - name: file
        #   datatype: string
        # - name: instrument
        #   datatype: string
        # - {name: detector, datatype: int32}
        file,instrument,detector
        "a file, with a comma.fits",LSSTComCam,4

        # a comment line
        "say ""hi"".fits",LSSTComCam,5
        """;
    IngestTable table = IngestTable.parse(text, Format.ECSV);
    assertThat(table.columns()).containsExactly("file", "instrument", "detector");
    assertThat(table.rows()).extracting(Row::line).containsExactly(11, 14);
    assertThat(table.rows()).extracting(r -> r.values().get(0))
        .containsExactly("a file, with a comma.fits", "say \"hi\".fits");
    assertThat(IngestTable.split("\"a b\"   c", ' ', 1)).containsExactly("a b", "c");
  }

  @Test
  void csvHasAHeaderRowWhateverTheFirstColumnsName() {
    IngestTable table = IngestTable.parse("file URI,skymap,tract\n/data/truth_patchint_tract3449.parq,DC2,3449\n",
        Format.CSV);
    assertThat(table.columns()).containsExactly("file URI", "skymap", "tract");
    assertThat(table.rows()).containsExactly(new Row(2, List.of("/data/truth_patchint_tract3449.parq", "DC2",
        "3449")));
  }

  @Test
  void theFormatComesFromTheExtensionOrTheEcsvSignature() {
    assertThat(Format.detect("refs.ecsv", "x")).isEqualTo(Format.ECSV);
    assertThat(Format.detect("refs.CSV", "a,b")).isEqualTo(Format.CSV);
    assertThat(Format.detect("refs.txt", "# %ECSV 1.0\n")).isEqualTo(Format.ECSV);
    assertThat(Format.detect(null, "a,b")).isEqualTo(Format.CSV);
    assertThatThrownBy(() -> Format.detect("refs.fits", "SIMPLE  ="))
        .hasMessageContaining("cannot tell the format of table file 'refs.fits'");
  }

  @Test
  void malformedTablesNameTheLine() {
    assertThatThrownBy(() -> IngestTable.parse("filename htm7\na.fits 1\n", Format.ECSV))
        .isInstanceOf(TableFormatException.class)
        .hasMessage("line 1: ECSV header line like '# %ECSV <version>' not found as first line");
    assertThatThrownBy(() -> IngestTable.parse(RTN_029_ECSV.replace("146813.fits   146813", "146813.fits x13"),
        Format.ECSV)).hasMessage("line 9: column 'htm7' is declared int64 but has value 'x13'");
    assertThatThrownBy(() -> IngestTable.parse(RTN_029_ECSV + "c.fits 1 2\n", Format.ECSV))
        .hasMessage("line 10: 3 value(s) for 2 columns [filename, htm7]");
    assertThatThrownBy(() -> IngestTable.parse(RTN_029_ECSV.replace("filename htm7", "file htm7"), Format.ECSV))
        .hasMessage("line 7: column names from ECSV header [filename, htm7] do not match names from header line of"
            + " CSV data [file, htm7]");
    assertThatThrownBy(() -> IngestTable.parse(RTN_029_ECSV.replace("# ---\n", ""), Format.ECSV))
        .hasMessageStartingWith("line 2: the ECSV header must start with '# ---'");
    assertThatThrownBy(() -> IngestTable.parse(RTN_029_ECSV.replace("# - {name: htm7, datatype: int64}",
        "# - {name: htm7, datatype: int64"), Format.ECSV)).hasMessageStartingWith("line 6: ECSV header is not valid"
        + " YAML");
    assertThatThrownBy(() -> IngestTable.parse("file,tract\n\"a.fits,1\n", Format.CSV))
        .hasMessage("line 2: unterminated quoted value: \"a.fits,1");
    assertThatThrownBy(() -> IngestTable.parse("# only a comment\n", Format.CSV))
        .hasMessage("the table has no header row naming its columns");
  }
}
