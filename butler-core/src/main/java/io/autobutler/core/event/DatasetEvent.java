package io.autobutler.core.event;

import java.time.Instant;

/**
 * A Rucio dataset whose every file is AVAILABLE at the site's RSE and has been announced on
 * {@link Topics#RUCIO_REPLICAS}, as published on {@link Topics#RUCIO_DATASETS} (after the replica events of its
 * files). Identified by (scope, name, rse); keyed on Kafka by the dataset DID.
 *
 * @param files the number of files in the dataset
 * @param bytes their total size
 */
public record DatasetEvent(String scope, String name, String rse, Integer files, Long bytes, Instant observedAt) {

  /** The Kafka key: the dataset DID {@code scope:name}. */
  public String key() {
    return scope + ":" + name;
  }

  /** The problems that make this event unusable, or an empty string when there are none. */
  public String problems() {
    StringBuilder problems = new StringBuilder();
    for (String[] field : new String[][] {{"scope", scope}, {"name", name}, {"rse", rse}}) {
      if (field[1] == null || field[1].isBlank()) {
        problems.append(field[0]).append(" is missing; ");
      }
    }
    if (files == null || files < 0) {
      problems.append("files is missing or negative; ");
    }
    if (bytes == null || bytes < 0) {
      problems.append("bytes is missing or negative; ");
    }
    return problems.length() == 0 ? "" : problems.substring(0, problems.length() - 2);
  }
}
