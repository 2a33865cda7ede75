package io.autobutler.core.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobutler.core.instrument.CuratedCalibrations.CuratedDataset;
import io.autobutler.core.instrument.CuratedCalibrations.CuratedFile;
import io.autobutler.core.instrument.CuratedCalibrations.DatasetTypeDefinition;
import io.autobutler.core.instrument.CuratedCalibrations.Plan;
import io.autobutler.core.instrument.CuratedCalibrations.Source;
import io.autobutler.core.instrument.CuratedCalibrations.Validity;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CuratedCalibrationsTest {

  private static final String CURATED_RUN = "LSSTComCam/calib/DM-48650/curated/19700101T000000Z";

  private final Plan plan = CuratedCalibrations.plan(Instruments.LSST_COM_CAM, "DM-48650");

  @Test
  void standardTypesAsObsBaseDefinesThem() {
    assertThat(CuratedCalibrations.STANDARD_TYPES).extracting(DatasetTypeDefinition::name).containsExactly(
        "defects", "manual_defects", "qe_curve", "crosstalk", "linearizer", "bfk", "transmission_optics",
        "transmission_filter", "transmission_filter_detector", "transmission_sensor", "transmission_atmosphere",
        "transmission_system");
    assertThat(CuratedCalibrations.standardType("transmission_system")).get()
        .satisfies(t -> {
          assertThat(t.dimensions()).containsExactly("instrument", "detector", "physical_filter");
          assertThat(t.storageClass()).isEqualTo("TransmissionCurve");
          assertThat(t.isCalibration()).isTrue();
          assertThat(t.exportDimensions()).containsExactly("band", "instrument", "detector", "physical_filter");
        });
    assertThat(CuratedCalibrations.CAMERA.exportDimensions()).containsExactly("instrument");
  }

  @Test
  void comCamTypesWithFilesAtW202520() {
    Source source = CuratedCalibrations.LSST_COM_CAM_W_2025_20;
    assertThat(source.dataPackage()).isEqualTo("obs_lsst_data");
    assertThat(source.version()).isEqualTo("w.2025.20");
    assertThat(source.files()).hasSize(9 + 9 + 9 + 6 + 1);
    assertThat(source.datasetTypes()).extracting(DatasetTypeDefinition::name).containsExactly(
        "manual_defects", "crosstalk", "transmission_optics", "transmission_filter", "transmission_sensor");
    assertThat(source.files()).allSatisfy(f -> {
      assertThat(f.calibDate()).isEqualTo("1970-01-01T00:00:00");
      assertThat(f.validStart()).isEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0));
      assertThat(f.path()).startsWith("comCam/" + f.datasetType() + "/").endsWith("/19700101T000000.ecsv");
    });
    assertThat(source.files()).filteredOn(f -> f.datasetType().equals("crosstalk"))
        .extracting(CuratedFile::path, CuratedFile::detector)
        .contains(org.assertj.core.groups.Tuple.tuple("comCam/crosstalk/r22_s11/19700101T000000.ecsv", 4));
  }

  @Test
  void planCollectionsAndTypes() {
    assertThat(plan.calibrationCollection()).isEqualTo("LSSTComCam/calib/DM-48650");
    assertThat(plan.runs()).containsExactly("LSSTComCam/calib/DM-48650/unbounded", CURATED_RUN);
    assertThat(plan.datasetTypes()).extracting(DatasetTypeDefinition::name).containsExactly("camera",
        "manual_defects", "crosstalk", "transmission_optics", "transmission_filter", "transmission_sensor");
    assertThat(plan.datasetTypes()).allSatisfy(t -> assertThat(t.isCalibration()).isTrue());
    assertThat(plan.datasets()).hasSize(1 + 34);
  }

  @Test
  void cameraDataset() {
    CuratedDataset camera = plan.datasets().get(0);
    assertThat(camera.datasetType()).isSameAs(CuratedCalibrations.CAMERA);
    assertThat(camera.datasetType().storageClass()).isEqualTo("Camera");
    assertThat(camera.run()).isEqualTo("LSSTComCam/calib/DM-48650/unbounded");
    assertThat(camera.dataId()).containsExactly(Map.entry("instrument", "LSSTComCam"));
    assertThat(camera.validity()).isEqualTo(Validity.UNBOUNDED);
    assertThat(camera.path()).isEqualTo("LSSTComCam/calib/DM-48650/unbounded/camera/"
        + "camera_LSSTComCam_LSSTComCam_calib_DM-48650_unbounded.fits");
    assertThat(camera.formatter()).isEqualTo("lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter");
  }

  @Test
  void detectorSeries() {
    List<CuratedDataset> crosstalk = plan.datasets("crosstalk");
    assertThat(crosstalk).hasSize(9);
    assertThat(crosstalk).extracting(d -> d.dataId().get("detector")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    CuratedDataset s11 = crosstalk.get(4);
    assertThat(s11.dataId()).containsExactly(Map.entry("instrument", "LSSTComCam"), Map.entry("detector", 4));
    assertThat(s11.run()).isEqualTo(CURATED_RUN);
    assertThat(s11.datasetType().storageClass()).isEqualTo("CrosstalkCalib");
    assertThat(s11.validity().beginUtc()).isEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0));
    assertThat(s11.validity().beginNsec()).isEqualTo(8_000_082_000L);
    assertThat(s11.validity().endNsec()).isNull();
    assertThat(s11.path()).isEqualTo(CURATED_RUN + "/crosstalk/crosstalk_LSSTComCam_R22_S11_LSSTComCam_calib_"
        + "DM-48650_curated_19700101T000000Z.fits");
    assertThat(plan.datasets("manual_defects").get(0).datasetType().storageClass()).isEqualTo("Defects");
    assertThat(plan.datasets("transmission_sensor")).hasSize(9);
  }

  @Test
  void filterAndGlobalSeries() {
    List<CuratedDataset> filters = plan.datasets("transmission_filter");
    assertThat(filters).extracting(d -> d.dataId().get("physical_filter"))
        .containsExactly("g_01", "i_06", "r_03", "u_02", "y_04", "z_03");
    CuratedDataset g = filters.get(0);
    assertThat(g.dataId()).containsExactly(Map.entry("instrument", "LSSTComCam"), Map.entry("physical_filter", "g_01"));
    assertThat(g.fullDataId()).containsEntry("band", "g");
    assertThat(g.path()).isEqualTo(CURATED_RUN + "/transmission_filter/g/g_01/transmission_filter_LSSTComCam_g_g_01_"
        + "LSSTComCam_calib_DM-48650_curated_19700101T000000Z.fits");
    assertThat(g.datasetType().exportDimensions()).containsExactly("band", "instrument", "physical_filter");

    List<CuratedDataset> optics = plan.datasets("transmission_optics");
    assertThat(optics).singleElement().satisfies(d -> {
      assertThat(d.dataId()).containsExactly(Map.entry("instrument", "LSSTComCam"));
      assertThat(d.path()).isEqualTo(CURATED_RUN + "/transmission_optics/transmission_optics_LSSTComCam_LSSTComCam_"
          + "calib_DM-48650_curated_19700101T000000Z.fits");
    });
  }

  @Test
  void certificationGroups() {
    Map<Validity, List<CuratedDataset>> groups = plan.certificationGroups();
    assertThat(groups).hasSize(2);
    assertThat(groups.get(Validity.UNBOUNDED)).hasSize(1);
    Validity fromEpoch = new Validity(LocalDateTime.of(1970, 1, 1, 0, 0), null, 8_000_082_000L, null);
    assertThat(groups.get(fromEpoch)).hasSize(34);
  }

  @Test
  void seriesWithSeveralFilesGetConsecutiveRanges() {
    LocalDateTime t0 = LocalDateTime.of(2024, 1, 1, 0, 0);
    LocalDateTime t1 = LocalDateTime.of(2024, 6, 1, 0, 0);
    Source source = new Source("LSSTComCam", "obs_lsst_data", "test", List.of(
        new CuratedFile("defects", "comCam/defects/r22_s00/20240601T000000.ecsv", t1, "2024-06-01T00:00:00", 0, null),
        new CuratedFile("defects", "comCam/defects/r22_s00/20240101T000000.ecsv", t0, "2024-01-01", 0, null)));
    Plan p = CuratedCalibrations.plan(Instruments.LSST_COM_CAM, source, null, null, "L");
    List<CuratedDataset> defects = p.datasets("defects");
    assertThat(defects).extracting(CuratedDataset::run).containsExactly(
        "LSSTComCam/calib/L/curated/20240101T000000Z", "LSSTComCam/calib/L/curated/20240601T000000Z");
    assertThat(defects.get(0).validity().endUtc()).isEqualTo(t1);
    assertThat(defects.get(0).validity().endNsec()).isEqualTo(defects.get(1).validity().beginNsec());
    assertThat(defects.get(1).validity().endNsec()).isNull();
    assertThat(p.runs()).containsExactly("LSSTComCam/calib/L/unbounded",
        "LSSTComCam/calib/L/curated/20240101T000000Z", "LSSTComCam/calib/L/curated/20240601T000000Z");
  }

  @Test
  void rejectsUnknownDetectorsAndMissingFacts() {
    Source bad = new Source("LSSTComCam", "obs_lsst_data", "test", List.of(
        new CuratedFile("defects", "comCam/defects/r99_s00/x.ecsv", LocalDateTime.of(2024, 1, 1, 0, 0),
            "2024-01-01", 99, null)));
    assertThatThrownBy(() -> CuratedCalibrations.plan(Instruments.LSST_COM_CAM, bad, null, null, "L"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DETECTOR 99");
    assertThatThrownBy(() -> CuratedCalibrations.plan(Instruments.LSST_CAM, "L"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CuratedCalibrations.plan(Instruments.LSST_COM_CAM))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("At least one label");
  }

  @Test
  void explicitCollectionAndPrefix() {
    Plan p = CuratedCalibrations.plan(Instruments.LSST_COM_CAM, CuratedCalibrations.LSST_COM_CAM_W_2025_20,
        "my/calibs", "u/someone", "T1");
    assertThat(p.calibrationCollection()).isEqualTo("my/calibs");
    assertThat(p.runs()).containsExactly("u/someone/calib/T1/unbounded",
        "u/someone/calib/T1/curated/19700101T000000Z");
    assertThat(p.datasets().get(0).dataId()).containsEntry("instrument", "LSSTComCam");
  }
}
