package io.autobutler.core.registry.datasets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * Deterministic dataset IDs as daf_butler's {@code DatasetIdFactory} makes them: UUIDv5 in namespace
 * {@code 840b31d9-05cd-5161-b2c8-00d32b280d0f} of {@code dataset_type=<name>[,run=<run>],<dim>=<value>,…} with the
 * required dimensions sorted by name. Raws are ingested with the run included (DATAID_TYPE_RUN).
 */
public final class DatasetIds {

  public static final UUID NAMESPACE = UUID.fromString("840b31d9-05cd-5161-b2c8-00d32b280d0f");

  private DatasetIds() {
  }

  /** DATAID_TYPE_RUN: dataset type, run and required data ID. */
  public static UUID forRun(String datasetType, String run, Map<String, ?> requiredDataId) {
    return uuid5(NAMESPACE, "dataset_type=" + datasetType + ",run=" + run + dataIdSuffix(requiredDataId));
  }

  /** DATAID_TYPE: dataset type and required data ID only. */
  public static UUID forDataId(String datasetType, Map<String, ?> requiredDataId) {
    return uuid5(NAMESPACE, "dataset_type=" + datasetType + dataIdSuffix(requiredDataId));
  }

  private static String dataIdSuffix(Map<String, ?> requiredDataId) {
    String[] names = requiredDataId.keySet().toArray(new String[0]);
    Arrays.sort(names);
    StringBuilder suffix = new StringBuilder(16 * names.length);
    for (String name : names) {
      suffix.append(',').append(name).append('=').append(requiredDataId.get(name));
    }
    return suffix.toString();
  }

  /** One SHA-1 per thread: ingest computes an id per raw, and looking the algorithm up each time shows. */
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  });

  /** RFC 4122 name-based UUID, version 5 (SHA-1). */
  public static UUID uuid5(UUID namespace, String name) {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    ByteBuffer ns = ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
        .putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }
}
