package io.autobutler.core.verify;

import java.util.List;

/** The names of verifier-service's checks, as they appear in reports. */
public final class Checks {

  /** Replicas AVAILABLE at the RSE (Rucio, through the watcher) against what the registry holds. */
  public static final String RUCIO_REGISTRY = "rucio-registry";
  /** Each datastore record's file exists with its size (and checksum on a sample). */
  public static final String REGISTRY_STORAGE = "registry-storage";
  /** Files under the managed storage roots that nobody registered. */
  public static final String DARK_DATA = "dark-data";
  /** Exposures with all their detectors, exposures, visits and raws per night, the manifest's counts. */
  public static final String COMPLETENESS = "completeness";
  /** The manifest's chains and tagged collections against the registry's. */
  public static final String MANIFEST_DRIFT = "manifest-drift";
  /** Calibrations covering every science exposure of the manifest's selection. */
  public static final String CALIBRATION_COVERAGE = "calibration-coverage";

  public static final List<String> ALL = List.of(RUCIO_REGISTRY, REGISTRY_STORAGE, DARK_DATA, COMPLETENESS,
      MANIFEST_DRIFT, CALIBRATION_COVERAGE);

  private Checks() {
  }
}
