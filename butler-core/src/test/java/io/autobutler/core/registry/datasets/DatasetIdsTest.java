package io.autobutler.core.registry.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class DatasetIdsTest {

  @Test
  void rawIdMatchesDafButler() {
    // The raw's id in the butler-semantics reference output, computed by daf_butler for this data ID and run.
    Map<String, Object> dataId = new LinkedHashMap<>();
    dataId.put("instrument", "LSSTComCam");
    dataId.put("exposure", 2024112600111L);
    dataId.put("detector", 4);
    assertThat(DatasetIds.forRun("raw", "LSSTComCam/raw/all", dataId))
        .isEqualTo(UUID.fromString("9499cce5-98e8-51e5-973b-be274ad36141"));
  }

  @Test
  void namespaceIsUuid5OfLsstOrgInDns() {
    // daf_butler documents its namespace as uuid5(NAMESPACE_DNS, "lsst.org").
    assertThat(DatasetIds.uuid5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "lsst.org"))
        .isEqualTo(DatasetIds.NAMESPACE);
  }

  @Test
  void runMattersOnlyInRunMode() {
    Map<String, Object> dataId = Map.of("instrument", "LSSTComCam");
    assertThat(DatasetIds.forRun("camera", "a", dataId)).isNotEqualTo(DatasetIds.forRun("camera", "b", dataId));
    assertThat(DatasetIds.forDataId("camera", dataId).version()).isEqualTo(5);
  }
}
