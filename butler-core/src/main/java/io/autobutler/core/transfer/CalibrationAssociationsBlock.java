package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * A {@code type: associations} block of a CALIBRATION collection: datasets certified with validity ranges.
 *
 * @param collection     the CALIBRATION collection
 * @param validityRanges the ranges, each with its datasets
 */
public record CalibrationAssociationsBlock(String collection, List<ValidityRange> validityRanges)
    implements ExportBlock {

  public CalibrationAssociationsBlock {
    Objects.requireNonNull(collection, "collection");
    validityRanges = List.copyOf(validityRanges);
  }

  @Override
  public String yamlType() {
    return "associations";
  }
}
