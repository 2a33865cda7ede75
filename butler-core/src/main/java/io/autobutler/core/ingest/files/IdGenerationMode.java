package io.autobutler.core.ingest.files;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.autobutler.core.registry.datasets.DatasetIds;

/**
 * daf_butler's {@code DatasetIdGenEnum}: how a new dataset gets its UUID. UNIQUE draws a random UUIDv4 (the
 * default at w_2025_20), the two others derive a UUIDv5 from the dataset type and data ID (and run), so that
 * ingesting the same table again finds the same datasets.
 */
public enum IdGenerationMode {
  UNIQUE, DATAID_TYPE, DATAID_TYPE_RUN;

  /** The mode named as {@code --id-generation-mode} takes it (click's case-insensitive choice). */
  public static IdGenerationMode parse(String name) {
    if (name == null || name.isBlank()) {
      return UNIQUE;
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("id generation mode '" + name + "' is not one of "
          + Arrays.toString(values()));
    }
  }

  /** The id of a dataset of {@code datasetType} in {@code run} with this required data ID. */
  public UUID id(String datasetType, String run, Map<String, ?> requiredDataId) {
    return switch (this) {
      case UNIQUE -> UUID.randomUUID();
      case DATAID_TYPE -> DatasetIds.forDataId(datasetType, requiredDataId);
      case DATAID_TYPE_RUN -> DatasetIds.forRun(datasetType, run, requiredDataId);
    };
  }
}
