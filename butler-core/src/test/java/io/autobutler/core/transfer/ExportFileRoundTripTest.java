package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RTN-103 export files and a richer file with every record type: read into the model, written back. */
class ExportFileRoundTripTest {

  private final ExportFileReader reader = new ExportFileReader();
  private final ExportFileWriter writer = new ExportFileWriter();

  static String resource(String name) throws IOException {
    try (InputStream in = ExportFileRoundTripTest.class.getResourceAsStream("/exports/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pretrained-models-export.yaml", "DM-48089-fgcmLookupTable-export.yaml",
      "rich-export.yaml"})
  void readingAndWritingGivesTheSameBytes(String name) throws IOException {
    String text = resource(name);
    ExportFile file = reader.read(text);
    assertThat(writer.write(file)).isEqualTo(text);
    // Reading the output again gives the same model.
    assertThat(reader.read(writer.write(file))).isEqualTo(file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pretrained-models-export.yaml", "DM-48089-fgcmLookupTable-export.yaml",
      "rich-export.yaml"})
  void filesAreInDafButlersExportOrder(String name) throws IOException {
    ExportFile file = reader.read(resource(name));
    assertThat(ExportOrdering.sort(file)).isEqualTo(file);
  }

  static ExportFile pretrainedModels() {
    return ExportFile.of(List.of(
        CollectionBlock.run("pretrained_models/tac_cnn_comcam_2025-02-18", null, null, null, null),
        new DatasetTypeBlock("pretrainedModelPackage", List.of(), "NNModelPackagePayload", false),
        new DatasetBlock("pretrainedModelPackage", "pretrained_models/tac_cnn_comcam_2025-02-18", List.of(
            new FileDatasetData(
                List.of(new DatasetRefData(UUID.fromString("a83d850a-0094-417c-ac9c-64d0f7b98048"), Map.of())),
                "pretrained_models/tac_cnn_comcam_2025-02-18/pretrainedModelPackage/pretrainedModelPackage_"
                    + "pretrained_models_tac_cnn_comcam_2025-02-18.zip",
                "lsst.meas.transiNet.modelPackages.formatters.NNModelPackageFormatter")))));
  }

  static ExportFile fgcmLookupTable() {
    return ExportFile.of(List.of(
        new DimensionBlock("instrument", List.of(DimensionRecordData.of("name", "LSSTComCam",
            "visit_max", 7050123199999L, "visit_system", 2L, "exposure_max", 7050123199999L,
            "detector_max", 1000L, "class_name", "lsst.obs.lsst.LsstComCam"))),
        CollectionBlock.run("LSSTComCam/calib/fgcmcal/DM-48089", null),
        new DatasetTypeBlock("fgcmLookUpTable", List.of("instrument"), "Catalog", false),
        new DatasetBlock("fgcmLookUpTable", "LSSTComCam/calib/fgcmcal/DM-48089", List.of(
            new FileDatasetData(
                List.of(new DatasetRefData(UUID.fromString("bb573ca3-6159-45d9-88e3-866e01da4882"),
                    Map.of("instrument", "LSSTComCam"))),
                "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/fgcmLookUpTable_LSSTComCam_LSSTComCam_calib_"
                    + "fgcmcal_DM-48089.fits",
                "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter")))));
  }

  @Test
  void pretrainedModelsFileReadsIntoTheExpectedModel() throws IOException {
    ExportFile file = reader.read(resource("pretrained-models-export.yaml"));
    assertThat(file).isEqualTo(pretrainedModels());
    assertThat(file.header()).isEqualTo(new ExportHeader("Butler Data Repository Export", "1.0.2", 7, "daf_butler"));
  }

  @Test
  void fgcmLookupTableFileReadsIntoTheExpectedModel() throws IOException {
    ExportFile file = reader.read(resource("DM-48089-fgcmLookupTable-export.yaml"));
    assertThat(file).isEqualTo(fgcmLookupTable());
    assertThat(file.blocks(DimensionBlock.class).get(0).records().get(0).get("visit_max"))
        .isInstanceOf(Long.class);
  }

  @Test
  void writerAloneProducesTheRtn103Files() throws IOException {
    assertThat(writer.write(pretrainedModels())).isEqualTo(resource("pretrained-models-export.yaml"));
    assertThat(writer.write(fgcmLookupTable())).isEqualTo(resource("DM-48089-fgcmLookupTable-export.yaml"));
  }

  @Test
  void richFileHasEveryValueType() throws IOException {
    ExportFile file = reader.read(resource("rich-export.yaml"));
    List<DimensionBlock> dimensions = file.blocks(DimensionBlock.class);
    assertThat(dimensions).extracting(DimensionBlock::element).containsExactly("instrument", "skymap", "day_obs",
        "detector", "group", "physical_filter", "tract", "exposure", "patch", "visit", "visit_definition");

    DimensionRecordData skymap = dimensions.get(1).records().get(0);
    assertThat((byte[]) skymap.get("hash"))
        .isEqualTo(HexFormat.of().parseHex("2adeecc10f5ee735227fb7e8d4e9e3ddecc7f93b"));

    DimensionRecordData exposure = dimensions.get(7).records().get(0);
    assertThat(exposure.values().keySet()).containsExactly("instrument", "id", "day_obs", "group",
        "physical_filter", "obs_id", "exposure_time", "dark_time", "observation_type", "observation_reason",
        "seq_num", "seq_start", "seq_end", "target_name", "science_program", "tracking_ra", "tracking_dec",
        "sky_angle", "azimuth", "zenith_angle", "has_simulated", "can_see_sky", "datetime_begin", "datetime_end");
    assertThat(exposure.get("group")).isEqualTo("2024-11-09T04:12:31.028");
    assertThat(exposure.get("exposure_time")).isEqualTo(30.0);
    assertThat(exposure.get("has_simulated")).isEqualTo(false);
    assertThat(exposure.get("datetime_begin")).isEqualTo(TaiTime.parse("2024-11-09 04:13:08.159975000"));
    assertThat(exposure.timespan().toPostgresRange()).isEqualTo("[1731125588159975000,1731125618404000000)");
    assertThat(dimensions.get(0).records().get(0).timespan()).isNull();

    DimensionRecordData visit = dimensions.get(9).records().get(0);
    Region region = (Region) visit.get("region");
    assertThat(region.type()).isEqualTo("ConvexPolygon");
    assertThat(region.encoded()).hasSize(1 + 4 * 24);
    assertThat(region.problem()).isNull();
    assertThat(Region.fromBase64(region.base64())).isEqualTo(region);

    List<CollectionBlock> collections = file.blocks(CollectionBlock.class);
    assertThat(collections).extracting(CollectionBlock::type).containsExactly(CollectionType.CALIBRATION,
        CollectionType.RUN, CollectionType.RUN, CollectionType.TAGGED, CollectionType.RUN, CollectionType.CHAINED,
        CollectionType.CHAINED);
    assertThat(collections.get(0).doc()).isEqualTo("Curated and master calibrations for LSSTComCam, certified "
        + "for the DP1 processing campaign; see the ticket for the full list of inputs.");
    assertThat(collections.get(1).host()).isEqualTo("sdfiana012.sdf.slac.stanford.edu");
    assertThat(collections.get(1).timespanBegin()).isEqualTo(TaiTime.parse("2024-11-10 00:00:00.000000000"));
    assertThat(collections.get(1).timespanEnd()).isNull();
    assertThat(collections.get(6).children()).containsExactly("LSSTComCam/raw/selected", "LSSTComCam/calib",
        "skymaps");

    DatasetBlock bias = file.blocks(DatasetBlock.class).get(0);
    assertThat(bias.records().get(0).refs()).extracting(DatasetRefData::dataId)
        .containsExactly(Map.of("instrument", "LSSTComCam", "detector", 0L),
            Map.of("instrument", "LSSTComCam", "detector", 1L));

    CalibrationAssociationsBlock calibs = file.blocks(CalibrationAssociationsBlock.class).get(0);
    List<Timespan> spans = calibs.validityRanges().stream().map(ValidityRange::timespan).toList();
    assertThat(spans.get(0).isBeginUnbounded()).isTrue();
    assertThat(spans.get(0).end()).isEqualTo(TaiTime.parse("2024-11-01 00:00:00"));
    assertThat(spans.get(1).isEndUnbounded()).isTrue();
    assertThat(spans.get(3)).isEqualTo(Timespan.EMPTY);
    // Aliases resolve to the dataset IDs of the dataset block.
    assertThat(calibs.validityRanges().get(1).datasetIds()).containsExactly(
        bias.records().get(0).refs().get(0).id(), bias.records().get(0).refs().get(1).id());
    TaggedAssociationsBlock tagged = file.blocks(TaggedAssociationsBlock.class).get(0);
    assertThat(tagged.datasetIds()).containsExactly(UUID.fromString("9e8d7c6b-5a49-4837-a261-504f3e2d1c0b"),
        UUID.fromString("7c6b5a49-3827-4615-8049-3e2d1c0b9a8f"));
  }

  @Test
  void aliasesCanBeTurnedOff() throws IOException {
    String text = resource("rich-export.yaml");
    String plain = new ExportFileWriter().aliasRepeatedDatasetIds(false).write(reader.read(text));
    assertThat(plain).doesNotContain("&id0").doesNotContain("*id0")
        .contains("    - !uuid '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f'\n");
    assertThat(reader.read(plain)).isEqualTo(reader.read(text));
  }

  @Test
  void anchorsAreNumberedWhereAnIdIsMetTheSecondTime() {
    UUID a = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    UUID b = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    List<ExportBlock> blocks = new ArrayList<>();
    blocks.add(new DatasetBlock("t", "r", List.of(new FileDatasetData(
        List.of(new DatasetRefData(a, Map.of()), new DatasetRefData(b, Map.of())), "p", null))));
    blocks.add(new TaggedAssociationsBlock("tag", List.of(b, a, b)));
    String text = writer.write(ExportFile.of(blocks));
    // b is met a second time first, so it is id001 although a is written first, as PyYAML numbers them.
    assertThat(text).contains("""
          records:
          - dataset_id:
            - &id002 !uuid '00000000-0000-4000-8000-00000000000a'
            - &id001 !uuid '00000000-0000-4000-8000-00000000000b'
            data_id:
            - {}
            - {}
            path: p
        - type: associations
          collection: tag
          collection_type: TAGGED
          dataset_ids:
          - *id001
          - *id002
          - *id001
        """);
  }
}
