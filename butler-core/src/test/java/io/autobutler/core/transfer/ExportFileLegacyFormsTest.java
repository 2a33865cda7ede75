package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The older forms daf_butler's importer still accepts. */
class ExportFileLegacyFormsTest {

  private final ExportFileReader reader = new ExportFileReader();

  @Test
  void versionZeroAndMissingUniverseFields() {
    ExportFile file = reader.read("""
        description: Butler Data Repository Export
        version: 0
        data: []
        """);
    assertThat(file.header()).isEqualTo(new ExportHeader("Butler Data Repository Export", "0", 0, "daf_butler"));
    assertThat(file.header().versionTuple()).containsExactly(1, 0, 0);
    assertThat(file.blocks()).isEmpty();
    // Written back as it was read, except for the header fields daf_butler always writes.
    assertThat(new ExportFileWriter().write(file)).isEqualTo("""
        description: Butler Data Repository Export
        version: 0
        universe_version: 0
        universe_namespace: daf_butler
        data: []
        """);
  }

  @Test
  void olderFormatVersionsOfMajorOneAreAccepted() {
    for (String version : List.of("1.0.0", "1.0.1", "1.0.2", "1.0.9")) {
      assertThat(reader.read("version: " + version + "\ndata: []\n").header().version()).isEqualTo(version);
    }
  }

  @Test
  void chainChildrenAsPairsWithRestrictions() {
    List<String> warnings = new ArrayList<>();
    ExportFile file = reader.read(new java.io.StringReader("""
        version: 1.0.0
        data:
        - type: collection
          collection_type: CHAINED
          name: chain
          children:
          - [run1, null]
          - - run2
            - [bias, flat]
          - run3
        """), warnings::add);
    CollectionBlock chain = file.blocks(CollectionBlock.class).get(0);
    assertThat(chain.type()).isEqualTo(CollectionType.CHAINED);
    assertThat(chain.children()).containsExactly("run1", "run2", "run3");
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("line 7: CHAINED collection chain includes restrictions");
    assertThat(warnings.get(1)).startsWith("line 8: ");
  }

  @Test
  void runEntries() {
    ExportFile file = reader.read("""
        version: 1.0.0
        data:
        - type: run
          name: old/run
        """);
    assertThat(file.blocks()).containsExactly(CollectionBlock.run("old/run", null));
  }

  @Test
  void scalarDatasetIdAndSingleDataIdMapping() {
    ExportFile file = reader.read("""
        version: 1.0.2
        data:
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: !uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22'
            data_id: {instrument: Cam1, detector: 1}
            path: bias.fits
        """);
    FileDatasetData record = file.blocks(DatasetBlock.class).get(0).records().get(0);
    assertThat(record.refs()).containsExactly(new DatasetRefData(
        UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"), Map.of("instrument", "Cam1", "detector", 1L)));
    assertThat(record.formatter()).isNull();
  }

  @Test
  void integerDatasetIdsBecomeUuid3InDafButlersNamespace() {
    assertThat(ExportFileReader.legacyDatasetId(42)).isEqualTo(UUID.fromString("45ee6266-703a-302c-831c-39c1f9d70786"));
    ExportFile file = reader.read("""
        version: 1.0.0
        data:
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [42, 43]
            data_id: [{instrument: Cam1, detector: 1}, {instrument: Cam1, detector: 2}]
            path: bias.fits
        - type: associations
          collection: tagged
          collection_type: TAGGED
          dataset_ids: [42]
        """);
    UUID id42 = UUID.fromString("45ee6266-703a-302c-831c-39c1f9d70786");
    assertThat(file.blocks(DatasetBlock.class).get(0).records().get(0).refs()).extracting(DatasetRefData::id)
        .containsExactly(id42, ExportFileReader.legacyDatasetId(43));
    assertThat(file.blocks(TaggedAssociationsBlock.class).get(0).datasetIds()).containsExactly(id42);
  }

  @Test
  void calibrationRangesWithoutTimespanKey() {
    ExportFile file = reader.read("""
        version: 1.0.0
        data:
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22']
            data_id: [{instrument: Cam1, detector: 1}]
            path: bias.fits
        - type: associations
          collection: calib
          collection_type: calibration
          validity_ranges:
          - begin: !butler_time/tai/iso '2020-01-01 00:00:00.000000000'
            end: null
            dataset_ids: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22']
        """);
    ValidityRange range = file.blocks(CalibrationAssociationsBlock.class).get(0).validityRanges().get(0);
    assertThat(range.timespan()).isEqualTo(Timespan.of(TaiTime.parse("2020-01-01 00:00:00"), null));
    assertThat(range.datasetIds()).containsExactly(UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"));
  }

  @Test
  void plainYamlTimestampsInDimensionRecordsAreUtc() {
    ExportFile file = reader.read("""
        version: 1.0.0
        universe_version: 7
        data:
        - type: dimension
          element: day_obs
          records:
          - instrument: Cam1
            id: 20200101
            datetime_begin: 2020-01-01 12:00:00.5
            datetime_end: 2020-01-02T13:00:00+01:00
        """);
    DimensionRecordData record = file.blocks(DimensionBlock.class).get(0).records().get(0);
    // TAI - UTC is 37 s since 2017.
    assertThat(record.get("datetime_begin")).isEqualTo(TaiTime.parse("2020-01-01 12:00:37.500000000"));
    assertThat(record.get("datetime_end")).isEqualTo(TaiTime.parse("2020-01-02 12:00:37.000000000"));
  }

  @Test
  void olderUniversesMayHaveFieldsUniverse7LacksAndLackFieldsItHas() {
    ExportFile file = reader.read("""
        version: 1.0.1
        universe_version: 5
        universe_namespace: daf_butler
        data:
        - type: dimension
          element: exposure
          records:
          - instrument: HSC
            id: 903334
            physical_filter: HSC-R
            obs_id: HSCA90333400
            group_name: '903334'
            group_id: 903334
        """);
    DimensionRecordData record = file.blocks(DimensionBlock.class).get(0).records().get(0);
    assertThat(record.get("group_name")).isEqualTo("903334");
    assertThat(file.header().universeVersion()).isEqualTo(5);
  }

  @Test
  void collectionTypesAreCaseInsensitiveAndDocMayBeNull() {
    ExportFile file = reader.read("""
        version: 1.0.1
        data:
        - type: collection
          collection_type: tagged
          name: t
          doc: null
        """);
    assertThat(file.blocks()).containsExactly(CollectionBlock.tagged("t", null));
  }
}
