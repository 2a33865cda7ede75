package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * A {@code type: dataset_type} block.
 *
 * @param name          the dataset type's name
 * @param dimensions    its dimensions as written (daf_butler writes all of them, required and implied, in
 *                      universe order; empty when dimensionless)
 * @param storageClass  its storage class name
 * @param isCalibration whether it may be certified into CALIBRATION collections (false when absent)
 */
public record DatasetTypeBlock(String name, List<String> dimensions, String storageClass, boolean isCalibration)
    implements ExportBlock {

  public DatasetTypeBlock {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storageClass, "storageClass");
    dimensions = List.copyOf(dimensions);
  }

  @Override
  public String yamlType() {
    return "dataset_type";
  }
}
