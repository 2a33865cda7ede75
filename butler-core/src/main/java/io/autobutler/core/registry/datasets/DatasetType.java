package io.autobutler.core.registry.datasets;

import io.autobutler.core.dimensions.DimensionGroup;

/** A registered dataset type: its dimension group is closed under requires/implies, as daf_butler's. */
public record DatasetType(long id, String name, String storageClass, DimensionGroup dimensions, boolean isCalibration) {

  /** Same definition, whatever the ids. */
  public boolean sameDefinition(DatasetType other) {
    return name.equals(other.name) && storageClass.equals(other.storageClass)
        && dimensions.names().equals(other.dimensions.names()) && isCalibration == other.isCalibration;
  }

  /** The definition as operators read it, e.g. {@code raw(instrument, detector, exposure) Exposure}. */
  public String describe() {
    return name + "(" + String.join(", ", dimensions.required()) + ") " + storageClass
        + (isCalibration ? " [calibration]" : "");
  }
}
