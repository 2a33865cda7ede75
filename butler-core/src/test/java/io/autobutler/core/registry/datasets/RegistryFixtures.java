package io.autobutler.core.registry.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;

/** Shared registry content for dataset tests: LSSTComCam, its 9 detectors, filter r_03 and two exposures. */
final class RegistryFixtures {

  static final String RAW_RUN = "LSSTComCam/raw/all";
  /** The science exposure of the butler reference output; 2024112600112 is a bias. */
  static final long SCIENCE_EXPOSURE = 2024112600111L;
  static final long BIAS_EXPOSURE = 2024112600112L;

  private RegistryFixtures() {
  }

  /** Dimension records, the raw dataset type and the raw RUN. */
  static void comCamExposures(Registry registry) {
    registry.transaction(c -> {
      var dims = registry.dimensions();
      dims.insert(c, "instrument", List.of(Map.of("name", "LSSTComCam", "visit_max", 7050123199999L,
          "visit_system", 2, "exposure_max", 7050123199999L, "detector_max", 1000,
          "class_name", "lsst.obs.lsst.LsstComCam")), Mode.SYNC);
      List<Map<String, Object>> detectors = new ArrayList<>();
      for (int d = 0; d < 9; d++) {
        detectors.add(Map.of("instrument", "LSSTComCam", "id", d, "full_name", "R22_S" + (d / 3) + (d % 3),
            "name_in_raft", "S" + (d / 3) + (d % 3), "raft", "R22", "purpose", "SCIENCE"));
      }
      dims.insert(c, "detector", detectors, Mode.SYNC);
      dims.insert(c, "physical_filter", List.of(Map.of("instrument", "LSSTComCam", "name", "r_03", "band", "r")),
          Mode.SYNC);
      dims.insert(c, "day_obs", List.of(Map.of("instrument", "LSSTComCam", "id", 20241126,
          "datetime_begin", 1_732_622_437_000_000_000L, "datetime_end", 1_732_708_837_000_000_000L)), Mode.SYNC);
      dims.insert(c, "group", List.of(Map.of("instrument", "LSSTComCam", "name", "2024-11-27T05:12:33.123")),
          Mode.SYNC);
      List<Map<String, Object>> exposures = new ArrayList<>();
      for (long id : List.of(SCIENCE_EXPOSURE, BIAS_EXPOSURE)) {
        Map<String, Object> exposure = new LinkedHashMap<>();
        exposure.put("instrument", "LSSTComCam");
        exposure.put("id", id);
        exposure.put("physical_filter", "r_03");
        exposure.put("group", "2024-11-27T05:12:33.123");
        exposure.put("day_obs", 20241126);
        exposure.put("obs_id", "CC_O_20241126_000" + (id % 1000));
        exposure.put("observation_type", id == SCIENCE_EXPOSURE ? "science" : "bias");
        exposure.put("can_see_sky", id == SCIENCE_EXPOSURE);
        exposure.put("datetime_begin", 1_732_684_390_000_000_000L + id % 1000);
        exposure.put("datetime_end", 1_732_684_420_000_000_000L + id % 1000);
        exposures.add(exposure);
      }
      dims.insert(c, "exposure", exposures, Mode.SKIP_EXISTING);
      registry.datasetTypes().register(c, "raw", "Exposure", List.of("instrument", "detector", "exposure"), false);
      registry.collections().register(c, RAW_RUN, CollectionType.RUN, null);
      return null;
    });
  }
}
