package io.autobutler.core.ingest.index;

import static io.autobutler.core.ingest.IngestFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;

import org.junit.jupiter.api.Test;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.obsinfo.SkyAngles.AltAz;
import io.autobutler.core.ingest.obsinfo.SkyAngles.RaDec;
import io.autobutler.core.time.TaiTime;

/** {@code _index.json} files as astrometadata write-index writes them, and the ones ingest cannot use. */
class IndexFileTest {

  private static final URI SUBDIR = URI.create("davs://host:2880/data/indexed_data/translated_subdir/_index.json");

  @Test
  void mergesTheCommonPropertiesIntoEveryEntryAndResolvesKeysAgainstTheIndexFolder() throws IOException {
    IndexFile index = IndexFile.parse(SUBDIR, resource("indexed_data/translated_subdir/_index.json"));
    assertThat(index.entries()).extracting(IndexEntry::key).containsExactly("../dataset_1.yaml", "../dataset_2.yaml");
    assertThat(index.entries()).extracting(IndexEntry::file).containsExactly(
        URI.create("davs://host:2880/data/indexed_data/dataset_1.yaml"),
        URI.create("davs://host:2880/data/indexed_data/dataset_2.yaml"));
    var first = index.entries().get(0).info();
    assertThat(first.instrument()).isEqualTo("DummyCam");
    assertThat(first.exposureId()).isEqualTo(100L);
    assertThat(first.physicalFilter()).isEqualTo("dummy_u");
    assertThat(first.object()).isEqualTo("STRIPE82L");
    assertThat(first.observingDay()).isEqualTo(20130617L);
    assertThat(first.exposureTime()).isEqualTo(30.0);
    assertThat(first.boresightRotationAngle()).isEqualTo(270.0);
    assertThat(first.datetimeBegin()).isEqualTo(TaiTime.parse("2013-06-17 13:29:11.039"));
    assertThat(first.trackingRadec()).isEqualTo(new RaDec(320.2499333333333, 1.94e-05));
    assertThat(first.altazBegin()).isEqualTo(new AltAz(157.95888945, 68.80710558));
    var second = index.entries().get(1).info();
    assertThat(second.exposureId()).isEqualTo(200L);
    assertThat(second.observationReason()).isEqualTo("science");
    assertThat(second.exposureGroup()).isEqualTo("2");
  }

  @Test
  void theCommonPropertiesWinOverAnEntrysOwnAsDictUpdateMakesThem() {
    IndexFile index = IndexFile.parse(URI.create("file:///d/_index.json"), "{\"__CONTENT__\": \"translated\","
        + " \"__COMMON__\": {\"instrument\": \"LSSTComCam\"}, \"a b:c.fits\": {\"instrument\": \"Other\"},"
        + " \"/elsewhere/x.fits\": {}, \"davs://h/y.fits\": {}}");
    assertThat(index.entries().get(0).info().instrument()).isEqualTo("LSSTComCam");
    assertThat(index.entries()).extracting(e -> DatastoreFiles.text(e.file()))
        .containsExactly("file:///d/a%20b:c.fits", "file:///elsewhere/x.fits", "davs://h/y.fits");
  }

  @Test
  void aCommonNullRemovesWhatAnEntryHadAndEachEntryKeepsItsOwnOtherwise() {
    IndexFile index = IndexFile.parse(URI.create("file:///d/_index.json"), "{\"__CONTENT__\": \"translated\","
        + " \"__COMMON__\": {\"instrument\": \"LSSTComCam\", \"object\": null},"
        + " \"a.fits\": {\"object\": \"M31\", \"detector_num\": 1}, \"b.fits\": {\"detector_num\": 2}}");
    assertThat(index.entries()).extracting(e -> e.info().object()).containsExactly(null, null);
    assertThat(index.entries()).extracting(e -> e.info().detectorNum()).containsExactly(1L, 2L);
    assertThat(index.entries()).extracting(e -> e.info().instrument()).containsExactly("LSSTComCam", "LSSTComCam");
  }

  @Test
  void aFaultyCommonPropertyIsReportedOnTheFirstEntry() {
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, "{\"__CONTENT__\": \"translated\","
        + " \"__COMMON__\": {\"exposure_id\": \"x\"}, \"a.fits\": {}, \"b.fits\": {}}"))
        .isInstanceOf(IndexFormatException.class)
        .satisfies(e -> assertThat(((IndexFormatException) e).entry()).isEqualTo("a.fits"))
        .satisfies(e -> assertThat(((IndexFormatException) e).property()).isEqualTo("exposure_id"));
  }

  @Test
  void aHeaderOnlyIndexIsNotSupported() throws IOException {
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, resource("indexed_data/metadata_subdir/_index.json")))
        .isInstanceOf(IndexFormatException.class)
        .hasMessageStartingWith("index file " + SUBDIR + ": it has '__CONTENT__' \"metadata\": not supported:"
            + " header-only index");
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, "{\"__COMMON__\": {}}"))
        .hasMessageContaining("it has no '__CONTENT__' (which means 'metadata'): not supported: header-only index");
  }

  @Test
  void whatIsNotAnIndexIsSaidWithTheFile() throws IOException {
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, resource("indexed_data/bad_index/_index.json")))
        .isInstanceOf(IndexFormatException.class).hasMessageStartingWith("index file " + SUBDIR + ": not valid JSON:")
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, "[1, 2]")).hasMessageEndingWith("not a JSON object, so not an"
        + " index");
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, "{\"__CONTENT__\": \"translated\"}"))
        .hasMessageEndingWith("no '__COMMON__' object: this does not look like an index data structure");
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, "{\"__CONTENT__\": \"translated\", \"__COMMON__\": {},"
        + " \"x.fits\": 5}")).hasMessage("index file " + SUBDIR + ", entry 'x.fits': an entry must be a JSON object"
        + " of properties, not NUMBER");
  }

  @Test
  void aMalformedEntryNamesTheFileTheEntryAndTheProperty() throws IOException {
    String text = resource("indexed_data/translated_subdir/_index.json")
        .replace("\"datetime_begin\": [2456461.0, 0.06193332175925925], \"datetime_end\": [2456461.0,"
            + " 0.06230896990740742],\n   \"boresight_airmass\": 1.072389930512202, \"detector_num\": 1",
            "\"datetime_begin\": \"2013-06-17\", \"datetime_end\": [2456461.0,"
                + " 0.06230896990740742],\n   \"boresight_airmass\": 1.072389930512202, \"detector_num\": 1");
    assertThat(text).contains("\"2013-06-17\"");
    assertThatThrownBy(() -> IndexFile.parse(SUBDIR, text))
        .isInstanceOfSatisfying(IndexFormatException.class, e -> {
          assertThat(e.index()).isEqualTo(SUBDIR);
          assertThat(e.entry()).isEqualTo("../dataset_2.yaml");
          assertThat(e.property()).isEqualTo("datetime_begin");
        })
        .hasMessage("index file " + SUBDIR + ", entry '../dataset_2.yaml', property 'datetime_begin':"
            + " datetime_begin \"2013-06-17\": must be a TAI Julian Date pair [jd1, jd2]");
  }
}
