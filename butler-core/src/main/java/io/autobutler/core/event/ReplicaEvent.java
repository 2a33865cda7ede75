package io.autobutler.core.event;

import java.time.Instant;

/**
 * One file replica that became AVAILABLE at the site's RSE, as published on {@link Topics#RUCIO_REPLICAS}.
 * Identified by (scope, name, rse); keyed on Kafka by its Rucio dataset so that a dataset stays in order.
 *
 * @param pfn          the replica's physical file name (its URL at the RSE)
 * @param adler32      Rucio's adler32 checksum, 8 hex digits
 * @param rubinButler  the file's {@code rubin_butler} metadata ({@code raw_file}, {@code data_product}, …), or null
 * @param rubinSidecar the file's {@code rubin_sidecar} metadata (a DatasetRef as JSON text), or null
 * @param source       where the watcher learned of it: {@code hermes} or {@code poll}
 */
public record ReplicaEvent(String scope, String name, String rse, String pfn, Long bytes, String adler32,
                           String datasetScope, String datasetName, String rubinButler, String rubinSidecar,
                           String source, Instant observedAt) {

  /** The Kafka key: the Rucio dataset DID {@code scope:name}, or the file's own DID when it has no dataset. */
  public String key() {
    return key(scope, name, datasetScope, datasetName);
  }

  /** The Kafka key of a replica: its Rucio dataset's DID, or the file's own DID when it has no dataset. */
  public static String key(String scope, String name, String datasetScope, String datasetName) {
    return datasetName != null ? datasetScope + ":" + datasetName : scope + ":" + name;
  }

  /** The problems that make this event unusable, or an empty string when there are none. */
  public String problems() {
    StringBuilder problems = new StringBuilder();
    requireText(problems, "scope", scope);
    requireText(problems, "name", name);
    requireText(problems, "rse", rse);
    requireText(problems, "pfn", pfn);
    if (bytes != null && bytes < 0) {
      problems.append("bytes is negative; ");
    }
    if (adler32 != null && !adler32.matches("[0-9a-fA-F]{1,8}")) {
      problems.append("adler32 '").append(adler32).append("' is not up to 8 hex digits; ");
    }
    if ((datasetScope == null) != (datasetName == null)) {
      problems.append("datasetScope and datasetName must be given together; ");
    }
    return problems.length() == 0 ? "" : problems.substring(0, problems.length() - 2);
  }

  private static void requireText(StringBuilder problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.append(field).append(" is missing; ");
    }
  }
}
