package io.autobutler.core.transfer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One dataset of a file: its ID and its data ID.
 *
 * @param id     the dataset ID
 * @param dataId dimension name to value ({@code String} or {@code Long}), in the order written; daf_butler writes
 *               the required dimensions in universe order, older files also the implied ones; empty when
 *               dimensionless
 */
public record DatasetRefData(UUID id, Map<String, Object> dataId) {

  public DatasetRefData {
    Objects.requireNonNull(id, "id");
    dataId = Collections.unmodifiableMap(new LinkedHashMap<>(dataId));
  }
}
