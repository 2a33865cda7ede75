package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Malformed files: each problem is an ExportFormatException naming the line. */
class ExportFileErrorsTest {

  private static final String HEADER = """
      description: Butler Data Repository Export
      version: 1.0.2
      universe_version: 7
      universe_namespace: daf_butler
      data:
      """;

  private final ExportFileReader reader = new ExportFileReader();

  private ExportFormatException error(String yaml) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.read(yaml));
    assertThat(thrown).isInstanceOf(ExportFormatException.class);
    return (ExportFormatException) thrown;
  }

  private void assertError(String data, int line, String message) {
    ExportFormatException e = error(HEADER + data);
    assertThat(e.getMessage()).isEqualTo("line " + line + ": " + message);
    assertThat(e.line()).isEqualTo(line);
  }

  private static final String BIAS_TYPE = """
      - type: dataset_type
        name: bias
        dimensions: [instrument, detector]
        storage_class: ExposureF
        is_calibration: true
      """;

  @Test
  void unknownRecordType() {
    assertError("""
        - type: datset
          name: x
        """, 6, "unknown record type 'datset'");
  }

  @Test
  void datasetIdAndDataIdCountsDiffer() {
    assertError(BIAS_TYPE + """
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id:
            - !uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22'
            - !uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b23'
            data_id:
            - {instrument: Cam1, detector: 1}
            path: a.fits
        """, 15, "dataset record has 2 dataset_ids but 1 data_ids");
  }

  @Test
  void unknownCollectionType() {
    assertError("""
        - type: collection
          collection_type: FOLDER
          name: x
        """, 7, "unknown collection_type 'FOLDER' (RUN, TAGGED, CHAINED or CALIBRATION)");
  }

  @Test
  void missingRequiredKeys() {
    assertError("""
        - type: dataset_type
          name: bias
          dimensions: [instrument]
        """, 6, "a dataset_type entry is missing required key 'storage_class'");
    assertError("""
        - type: collection
          collection_type: RUN
          name: r
        """, 6, "a RUN collection entry is missing required key 'host'");
    assertError("""
        - type: collection
          collection_type: CHAINED
          name: c
        """, 6, "a CHAINED collection entry is missing required key 'children'");
    ExportFormatException e = error("version: 1.0.2\n");
    assertThat(e.getMessage()).isEqualTo("line 1: the export file is missing required key 'data'");
  }

  @Test
  void unexpectedKeys() {
    assertError("""
        - type: collection
          collection_type: TAGGED
          name: t
          children: [a]
        """, 9, "unexpected key 'children' in a TAGGED collection entry (allowed: type, collection_type, name, doc)");
  }

  @Test
  void badUuid() {
    assertError("""
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b2']
            data_id: [{instrument: Cam1, detector: 1}]
            path: a.fits
        """, 10, "bad UUID 'e15ab039-bc8b-4135-87c5-90902a7c0b2'");
    assertError("""
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [3.5]
            data_id: [{instrument: Cam1, detector: 1}]
            path: a.fits
        """, 10, "a dataset_id must be a !uuid, got the number 3.5");
  }

  @Test
  void badTimes() {
    assertError("""
        - type: collection
          collection_type: RUN
          name: r
          host: null
          timespan_begin: !butler_time/tai/iso '2025-13-03 07:59:07.425363958'
          timespan_end: null
        """, 10, "bad time for timespan_begin: '2025-13-03 07:59:07.425363958' is not a valid date: Invalid value "
        + "for MonthOfYear (valid values 1 - 12): 13");
    assertError("""
        - type: collection
          collection_type: RUN
          name: r
          host: null
          timespan_begin: null
          timespan_end: !butler_time/tai/iso '2025-12-03T07:59:07'
        """, 11, "bad time for timespan_end: '2025-12-03T07:59:07' is not an ISO time "
        + "'YYYY-MM-DD HH:MM:SS.nnnnnnnnn'");
    assertError("""
        - type: collection
          collection_type: RUN
          name: r
          host: null
          timespan_begin: '2025-12-03 07:59:07.000000000'
          timespan_end: null
        """, 10, "timespan_begin must be a !butler_time/tai/iso time or null, got the string "
        + "'2025-12-03 07:59:07.000000000'");
  }

  @Test
  void badTimespans() {
    assertError("""
        - type: associations
          collection: c
          collection_type: CALIBRATION
          validity_ranges:
          - timespan: !lsst.daf.butler.Timespan 'FULL'
            dataset_ids: []
        """, 10, "bad timespan 'FULL' (a mapping of begin and end, or EMPTY)");
    assertError("""
        - type: associations
          collection: c
          collection_type: CALIBRATION
          validity_ranges:
          - timespan: !lsst.daf.butler.Timespan
              begin: null
            dataset_ids: []
        """, 10, "a timespan is missing required key 'end'");
  }

  @Test
  void incompatibleVersions() {
    Throwable major = org.assertj.core.api.Assertions.catchThrowable(
        () -> reader.read("description: x\nversion: 2.0.0\ndata: []\n"));
    assertThat(major).isInstanceOf(IncompatibleExportVersionException.class)
        .hasMessage("line 2: cannot read an export file with version 2.0.0 (1.x.x required)");
    assertThatThrownBy(() -> reader.read("version: 1.1.0\ndata: []\n"))
        .isInstanceOf(IncompatibleExportVersionException.class)
        .hasMessage("line 1: cannot read an export file with version 1.1.0 (1.0.x or older required)");
    assertThatThrownBy(() -> reader.read("version: 1.0\ndata: []\n"))
        .isInstanceOf(ExportFormatException.class)
        .hasMessage("line 1: version '1.0' is not a version MAJOR.MINOR.PATCH");
    assertThatThrownBy(() -> reader.read("version: 3\ndata: []\n"))
        .hasMessage("line 1: version 3 is not a version MAJOR.MINOR.PATCH");
  }

  @Test
  void unsafeAndUnknownTags() {
    assertError("""
        - type: dimension
          element: instrument
          records:
          - name: !!python/object:os.system 'rm'
        """, 9, "unsupported tag !!python/object:os.system for field 'name' of an instrument record");
  }

  @Test
  void unquotedTimestampWhereAStringBelongs() {
    assertError("""
        - type: dimension
          element: group
          records:
          - instrument: LSSTCam
            name: 2025-12-03T07:58:10.858
        """, 10, "field 'name' of a group record must be a string, got the timestamp "
        + "2025-12-03T07:58:10.858 (quote it to make it a string)");
  }

  @Test
  void dimensionRecordProblems() {
    assertError("""
        - type: dimension
          element: exposures
          records: []
        """, 7, "unknown dimension element 'exposures'");
    assertError("""
        - type: dimension
          element: band
          records: []
        """, 7, "dimension element 'band' has no records of its own");
    assertError("""
        - type: dimension
          element: detector
          records:
          - instrument: Cam1
            id: 1
            full_name: S1
            purpose_: SCIENCE
        """, 12, "unknown field 'purpose_' in a detector record (fields: instrument, id, full_name, "
        + "name_in_raft, raft, purpose)");
    assertError("""
        - type: dimension
          element: detector
          records:
          - instrument: Cam1
            full_name: S1
        """, 9, "a detector record is missing required key 'id'");
    assertError("""
        - type: dimension
          element: detector
          records:
          - instrument: Cam1
            id: '1'
        """, 10, "field 'id' of a detector record must be an integer, got the string '1'");
    assertError("""
        - type: dimension
          element: tract
          records:
          - skymap: s
            id: 1
            region: !<lsst.sphgeom.ConvexPolygon>
              encoded: 70aabb
        """, 12, "bad region encoding: a ConvexPolygon encoding is 0x70 then at least 3 vertices of 24 bytes, "
        + "got 3 bytes");
    assertError("""
        - type: dimension
          element: tract
          records:
          - skymap: s
            id: 1
            region: !<lsst.sphgeom.ConvexPolygon>
              encoded: 70zz
        """, 12, "bad region encoding (not hex): not a hexadecimal digit: \"z\" = 122");
  }

  @Test
  void dataIdsMustMatchTheDatasetType() {
    assertError(BIAS_TYPE + """
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22']
            data_id: [{instrument: Cam1}]
            path: a.fits
        """, 16, "data_id of a 'bias' dataset is missing dimension 'detector' (required: instrument, detector)");
    assertError("""
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22']
            data_id: [{instrument: Cam1, detector: 1, visit: 5}]
            path: a.fits
        """ + BIAS_TYPE, 11, "data_id of a 'bias' dataset has dimension 'visit', which the dataset type does not "
        + "have");
    assertError("""
        - type: dataset
          dataset_type: bias
          run: r
          records:
          - dataset_id: [!uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22']
            data_id: [{instrument: Cam1, detector: one}]
            path: a.fits
        """, 11, "data_id value of 'detector' must be an integer, got the string 'one'");
    assertError("""
        - type: dataset_type
          name: bias
          dimensions: [instrument, detectors]
          storage_class: ExposureF
        """, 8, "'detectors' is not a dimension (dataset type 'bias')");
  }

  @Test
  void conflictingDatasetTypeDefinitions() {
    assertError(BIAS_TYPE + """
        - type: dataset_type
          name: bias
          dimensions: [instrument, detector]
          storage_class: Exposure
          is_calibration: true
        """, 11, "dataset type 'bias' is defined differently at line 6");
  }

  @Test
  void associationsOfDatasetsNotInTheFile() {
    assertError("""
        - type: associations
          collection: t
          collection_type: TAGGED
          dataset_ids:
          - !uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22'
        """, 10, "association of dataset e15ab039-bc8b-4135-87c5-90902a7c0b22, which is not in this file");
    assertError("""
        - type: associations
          collection: t
          collection_type: RUN
          dataset_ids: []
        """, 8, "associations with a RUN collection are not possible (TAGGED or CALIBRATION)");
  }

  @Test
  void yamlStructureProblems() {
    ExportFormatException syntax = error(HEADER + """
        - type: collection
          collection_type: TAGGED
         name: t
        """);
    assertThat(syntax.line()).isEqualTo(8);
    assertThat(syntax.getMessage()).startsWith("line 8: invalid YAML: ");
    assertError("""
        - type: collection
          collection_type: TAGGED
          name: t
          name: u
        """, 9, "duplicate key 'name' in a data entry");
    assertError("""
        - type: dataset_type
          name: [bias]
          dimensions: []
          storage_class: x
        """, 7, "dataset type name must be a string, got a list");
    assertError("""
        - just a string
        """, 6, "a data entry must be a mapping, got the string 'just a string'");
    assertThat(error("").getMessage()).isEqualTo("line 1: the export file is empty");
    assertThat(error("- a\n").getMessage()).isEqualTo("line 1: the export file must be a mapping, got a list");
    assertThat(error("version: 1.0.2\ndata: {}\n").getMessage())
        .isEqualTo("line 2: data must be a list, got a mapping");
  }

  @Test
  void nothingIsReturnedForAFileWithALateError() {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      data.append("- {type: collection, collection_type: TAGGED, name: t").append(i).append("}\n");
    }
    data.append("- {type: collection, collection_type: TAGGED}\n");
    assertError(data.toString(), 56, "a TAGGED collection entry is missing required key 'name'");
  }
}
