package io.autobutler.core.ingest.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The {@code rubin_sidecar} reader, on the shapes ctrl_ingestd's test messages carry. */
class SidecarRefTest {

  /** ctrl_ingestd tests/data/raw_message.json's sidecar. */
  static final String RAW = "{\"id\": \"bad79e54-31ae-5403-984b-22c992ff6eec\", \"datasetType\": {\"name\": \"raw\","
      + " \"storageClass\": \"Exposure\", \"dimensions\": [\"instrument\", \"detector\", \"exposure\"]},"
      + " \"dataId\": {\"dataId\": {\"instrument\": \"LATISS\", \"detector\": 0, \"exposure\": 2025011300004,"
      + " \"band\": \"g\", \"day_obs\": 20250113, \"group\": \"2025-01-13T19:57:30.535\","
      + " \"physical_filter\": \"BG40_65mm_1~blue300lpmm_qn1\"}}, \"run\": \"LATISS/raw/all\"}";
  /** ctrl_ingestd tests/data/message.json's sidecar (a data product). */
  static final String DATA_PRODUCT = "{\"id\":\"0ef08762-b0dd-4a02-8b1c-e09b1544992d\",\"datasetType\":{\"name\":"
      + "\"visitSummary\",\"storageClass\":\"ExposureCatalog\",\"dimensions\":[\"instrument\",\"visit\"]},"
      + "\"dataId\":{\"dataId\":{\"instrument\":\"HSC\",\"visit\":328,\"band\":\"y\",\"physical_filter\":\"HSC-Y\"}},"
      + "\"run\":\"HSC/runs/RC2/w_2023_32/DM-40356/20230814T170253Z\"}";

  @Test
  void readsARawRef() {
    SidecarRef ref = SidecarRef.parse(RAW);
    assertThat(ref.id()).isEqualTo(UUID.fromString("bad79e54-31ae-5403-984b-22c992ff6eec"));
    assertThat(ref.datasetType()).isEqualTo("raw");
    assertThat(ref.storageClass()).isEqualTo("Exposure");
    assertThat(ref.dimensions()).containsExactly("instrument", "detector", "exposure");
    assertThat(ref.isCalibration()).isFalse();
    assertThat(ref.run()).isEqualTo("LATISS/raw/all");
    assertThat(ref.dataId()).containsEntry("instrument", "LATISS").containsEntry("detector", 0L)
        .containsEntry("exposure", 2025011300004L).containsEntry("day_obs", 20250113L)
        .containsEntry("physical_filter", "BG40_65mm_1~blue300lpmm_qn1").hasSize(7);
  }

  @Test
  void readsADataProductRef() {
    SidecarRef ref = SidecarRef.parse(DATA_PRODUCT);
    assertThat(ref.id()).isEqualTo(UUID.fromString("0ef08762-b0dd-4a02-8b1c-e09b1544992d"));
    assertThat(ref.datasetType()).isEqualTo("visitSummary");
    assertThat(ref.storageClass()).isEqualTo("ExposureCatalog");
    assertThat(ref.dimensions()).isEqualTo(List.of("instrument", "visit"));
    assertThat(ref.dataId()).isEqualTo(Map.of("instrument", "HSC", "visit", 328L, "band", "y",
        "physical_filter", "HSC-Y"));
    assertThat(ref.run()).isEqualTo("HSC/runs/RC2/w_2023_32/DM-40356/20230814T170253Z");
  }

  @Test
  void writesWhatItReads() {
    assertThat(SidecarRef.parse(SidecarRef.parse(RAW).toJson())).isEqualTo(SidecarRef.parse(RAW));
    assertThat(SidecarRef.parse(DATA_PRODUCT).toJson()).isEqualTo(DATA_PRODUCT);
    SidecarRef bias = new SidecarRef(UUID.fromString("0ef08762-b0dd-4a02-8b1c-e09b1544992d"), "bias", "ExposureF",
        List.of("instrument", "detector"), true, Map.of("instrument", "LSSTComCam", "detector", 4L), "run/a");
    assertThat(bias.toJson()).contains("\"isCalibration\":true");
    assertThat(SidecarRef.parse(bias.toJson())).isEqualTo(bias);
  }

  @Test
  void acceptsAHexIdACalibrationTypeAndUnknownKeys() {
    SidecarRef ref = SidecarRef.parse("{\"id\": \"0ef08762b0dd4a028b1ce09b1544992d\", \"component\": null,"
        + " \"datasetType\": {\"name\": \"bias\", \"storageClass\": \"ExposureF\", \"dimensions\": [\"instrument\","
        + " \"detector\"], \"isCalibration\": true}, \"dataId\": {\"dataId\": {\"instrument\": \"LSSTComCam\","
        + " \"detector\": 4}, \"records\": null}, \"run\": \"LSSTComCam/calib/DM-1/run\"}");
    assertThat(ref.id()).isEqualTo(UUID.fromString("0ef08762-b0dd-4a02-8b1c-e09b1544992d"));
    assertThat(ref.isCalibration()).isTrue();
    assertThat(ref.dataId()).isEqualTo(Map.of("instrument", "LSSTComCam", "detector", 4L));
  }

  @Test
  void refusesWhatIsNotADatasetRef() {
    assertThatThrownBy(() -> SidecarRef.parse("")).isInstanceOf(SidecarFormatException.class)
        .hasMessageContaining("no rubin_sidecar");
    assertThatThrownBy(() -> SidecarRef.parse(null)).isInstanceOf(SidecarFormatException.class);
    assertThatThrownBy(() -> SidecarRef.parse("{\"id\": \"bad79e54")).isInstanceOf(SidecarFormatException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> SidecarRef.parse("[1, 2]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("bad79e54-31ae-5403-984b-22c992ff6eec", "nope")))
        .hasMessageContaining("id 'nope' is not a UUID");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"run\": \"LATISS/raw/all\"", "\"run\": 3")))
        .hasMessageContaining("lacks run");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"storageClass\": \"Exposure\", ", "")))
        .hasMessageContaining("datasetType.storageClass");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"dimensions\": [\"instrument\", \"detector\","
        + " \"exposure\"]", "\"dimensions\": \"instrument\""))).hasMessageContaining("datasetType.dimensions");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"detector\": 0", "\"detector\": 0.5")))
        .hasMessageContaining("detector=0.5");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"name\": \"raw\"", "\"name\": \"raw.wcs\"")))
        .hasMessageContaining("component");
    assertThatThrownBy(() -> SidecarRef.parse(RAW.replace("\"dataId\": {\"dataId\"", "\"dataId\": [{\"x\""))).isInstanceOf(
        SidecarFormatException.class);
  }
}
