package io.autobutler.core.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.instrument.InstrumentDefinition.Detector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class InstrumentsTest {

  private final InstrumentDefinition comCam = Instruments.LSST_COM_CAM;

  @Test
  void lookupByClassNameShortNameAndInstrumentName() {
    assertThat(Instruments.lookup("lsst.obs.lsst.LsstComCam")).containsSame(comCam);
    assertThat(Instruments.lookup("LSSTComCam")).containsSame(comCam);
    assertThat(Instruments.lookup("LsstComCam")).containsSame(comCam);
    assertThat(Instruments.lookup("lsstcomcam")).containsSame(comCam);
    assertThat(Instruments.lookup("lsst.obs.lsst.LsstCam")).containsSame(Instruments.LSST_CAM);
    assertThat(Instruments.lookup("LSSTCam")).containsSame(Instruments.LSST_CAM);
    assertThat(Instruments.lookup("lsst.obs.lsst.LsstComCamSim")).isEmpty();
    assertThat(Instruments.lookup(null)).isEmpty();
    assertThatThrownBy(() -> Instruments.require("HSC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown instrument 'HSC'")
        .hasMessageContaining("lsst.obs.lsst.LsstComCam");
  }

  @Test
  void comCamInstrumentRecordEqualsTheFgcmExport() {
    // RTN-103's DM-48089 FGCM export (instrument record, in the file's key order).
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("name", "LSSTComCam");
    expected.put("visit_max", 7050123199999L);
    expected.put("visit_system", 2);
    expected.put("exposure_max", 7050123199999L);
    expected.put("detector_max", 1000);
    expected.put("class_name", "lsst.obs.lsst.LsstComCam");
    assertThat(comCam.instrumentRecord()).containsExactlyEntriesOf(expected);
    assertThat(comCam.instrumentRecord().keySet()).containsExactly("name", "visit_max", "visit_system",
        "exposure_max", "detector_max", "class_name");
  }

  @Test
  void comCamHasNineScienceDetectorsR22S00ToS22WithIds0To8() {
    List<Map<String, Object>> detectors = comCam.detectorRecords();
    assertThat(detectors).hasSize(9);
    List<String> slots = List.of("S00", "S01", "S02", "S10", "S11", "S12", "S20", "S21", "S22");
    for (int id = 0; id < 9; id++) {
      Map<String, Object> record = detectors.get(id);
      assertThat(record.keySet()).containsExactly("instrument", "id", "full_name", "name_in_raft", "raft", "purpose");
      assertThat(record).containsEntry("instrument", "LSSTComCam")
          .containsEntry("id", id)
          .containsEntry("full_name", "R22_" + slots.get(id))
          .containsEntry("name_in_raft", slots.get(id))
          .containsEntry("raft", "R22")
          .containsEntry("purpose", "SCIENCE");
    }
    assertThat(comCam.detector("R22_S11")).map(Detector::id).contains(4);
    assertThat(comCam.detector(8)).map(Detector::fullName).contains("R22_S22");
  }

  @Test
  void comCamPhysicalFiltersInRegistrationOrder() {
    List<Map<String, Object>> filters = comCam.physicalFilterRecords();
    assertThat(filters).extracting(r -> r.get("name")).containsExactly(
        "empty", "none", "unknown", "pinhole", "OG590_2_5mm",
        "u_05", "u_02", "u_06", "g_07", "g_01", "r_03", "i_06", "z_03", "z_02", "y_04");
    assertThat(filters).extracting(r -> r.get("band")).containsExactly(
        "white", "white", "unknown", "white", "OG590",
        "u", "u", "u", "g", "g", "r", "i", "z", "z", "y");
    assertThat(filters).allSatisfy(r -> {
      assertThat(r.keySet()).containsExactly("instrument", "name", "band");
      assertThat(r.get("instrument")).isEqualTo("LSSTComCam");
    });
  }

  @Test
  void recordsUseUniverseFieldNames() {
    DimensionUniverse universe = DimensionUniverse.v7();
    var instrument = universe.element("instrument").orElseThrow();
    assertThat(comCam.instrumentRecord().keySet())
        .containsExactlyInAnyOrderElementsOf(concat(List.of("name"), instrument.fields().keySet()));
    var detector = universe.element("detector").orElseThrow();
    assertThat(comCam.detectorRecords().get(0).keySet())
        .containsExactlyInAnyOrderElementsOf(concat(List.of("instrument", "id"), detector.fields().keySet()));
  }

  private static List<String> concat(List<String> a, java.util.Collection<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void comCamCollections() {
    assertThat(comCam.collections().rawRun()).isEqualTo("LSSTComCam/raw/all");
    assertThat(comCam.policyName()).isEqualTo("comCam");
  }

  @Test
  void lsstCamDetectors() {
    InstrumentDefinition cam = Instruments.LSST_CAM;
    assertThat(cam.instrumentRecord()).containsEntry("visit_max", 7050123199999L)
        .containsEntry("exposure_max", 7050123199999L)
        .containsEntry("detector_max", 1000)
        .containsEntry("visit_system", 2)
        .containsEntry("class_name", "lsst.obs.lsst.LsstCam");
    List<Detector> detectors = cam.detectors();
    assertThat(detectors).hasSize(205);
    assertThat(detectors).extracting(Detector::id).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 205).boxed().toList());
    Map<String, Long> byPurpose = detectors.stream()
        .collect(Collectors.groupingBy(Detector::purpose, Collectors.counting()));
    assertThat(byPurpose).containsOnly(Map.entry("SCIENCE", 189L), Map.entry("GUIDER", 8L),
        Map.entry("WAVEFRONT", 8L));
    assertThat(cam.detector(0)).map(Detector::fullName).contains("R01_S00");
    assertThat(cam.detector(10)).map(Detector::fullName).contains("R02_S01"); // daf_butler lsstcam-subset.yaml
    assertThat(cam.detector(94)).map(Detector::fullName).contains("R22_S11");
    assertThat(cam.detector(188)).map(Detector::fullName).contains("R43_S22");
    assertThat(cam.detector(189)).map(Detector::fullName).contains("R00_SG0");
    assertThat(cam.detector(191)).map(Detector::fullName).contains("R00_SW0");
    assertThat(cam.detector(196)).map(Detector::fullName).contains("R04_SW1");
    assertThat(cam.detector(204)).map(Detector::fullName).contains("R44_SW1");
    assertThat(cam.detectorRecords().get(191)).containsEntry("raft", "R00").containsEntry("name_in_raft", "SW0")
        .containsEntry("purpose", "WAVEFRONT");
  }

  @Test
  void lsstCamFilters() {
    InstrumentDefinition cam = Instruments.LSST_CAM;
    assertThat(cam.filters()).hasSize(276);
    assertThat(cam.physicalFilterRecords().subList(0, 11)).extracting(r -> r.get("name") + "=" + r.get("band"))
        .containsExactly("empty=white", "none=white", "ph_5=white", "ef_43=white", "u_24=u", "g_6=g", "r_57=r",
            "i_39=i", "z_20=z", "y_10=y", "unknown=unknown");
    assertThat(cam.filter("SDSSu~ND_OD0.1")).map(InstrumentDefinition.PhysicalFilter::band).contains("u~nd");
    assertThat(cam.filter("ND_OD4.0")).map(InstrumentDefinition.PhysicalFilter::band).contains("white~nd");
    assertThat(cam.filter("y_10~nm960")).map(InstrumentDefinition.PhysicalFilter::band).contains("y");
    assertThat(cam.filters().get(275).name()).isEqualTo("y_10~nm960");
  }

  @Test
  void definitionsRejectDuplicatesAndBadNames() {
    assertThatThrownBy(() -> new Detector(1, "R22S11", "SCIENCE")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InstrumentDefinition("X", "a.X", 1, 1, 1, 2, "x",
        List.of(new Detector(0, "R_S0", "SCIENCE"), new Detector(0, "R_S1", "SCIENCE")), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate detector");
    assertThat(new InstrumentDefinition.PhysicalFilter("HIGH", null).band()).isEqualTo("HIGH");
  }
}
