package io.autobutler.core.transfer;

import io.autobutler.core.time.Timespan;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The datasets certified with one validity range in a CALIBRATION collection.
 *
 * @param timespan   the validity range
 * @param datasetIds the datasets
 */
public record ValidityRange(Timespan timespan, List<UUID> datasetIds) {

  public ValidityRange {
    Objects.requireNonNull(timespan, "timespan");
    datasetIds = List.copyOf(datasetIds);
  }
}
