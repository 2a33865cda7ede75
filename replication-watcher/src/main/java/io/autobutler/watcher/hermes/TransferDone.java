package io.autobutler.watcher.hermes;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Hermes {@code transfer-done} message as Rubin's Kafka-enabled Hermes publishes it: the envelope
 * {@code event_type} / {@code payload} / {@code created_at}, with {@code scope}, {@code name}, {@code dst-rse},
 * {@code dst-url}, {@code dataset}, {@code datasetScope}, {@code checksum-adler}, {@code bytes} and Rubin's
 * {@code rubin_butler} / {@code rubin_sidecar} in the payload.
 */
public record TransferDone(String scope, String name, String dstRse, String dstUrl, String datasetScope,
                           String dataset, String adler32, Long bytes, String rubinButler, String rubinSidecar) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The message if it is a well-formed transfer-done; empty for other event types; an exception if malformed. */
  public static Optional<TransferDone> parse(String value) {
    JsonNode envelope;
    try {
      envelope = JSON.readTree(value);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (envelope == null || !envelope.isObject() || !envelope.has("event_type")) {
      throw new IllegalArgumentException("not a Hermes envelope (no event_type)");
    }
    if (!"transfer-done".equalsIgnoreCase(envelope.path("event_type").asText())) {
      return Optional.empty();
    }
    JsonNode p = envelope.path("payload");
    String scope = text(p, "scope");
    String name = text(p, "name");
    String rse = text(p, "dst-rse");
    if (scope == null || name == null || rse == null) {
      throw new IllegalArgumentException("transfer-done without scope, name or dst-rse");
    }
    JsonNode bytes = p.get("bytes") == null || p.get("bytes").isNull() ? p.get("file-size") : p.get("bytes");
    return Optional.of(new TransferDone(scope, name, rse, text(p, "dst-url"), text(p, "datasetScope"),
        text(p, "dataset"), text(p, "checksum-adler"), bytes == null || !bytes.canConvertToLong() ? null
        : bytes.asLong(), text(p, "rubin_butler"), text(p, "rubin_sidecar")));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.isTextual() ? value.asText() : value.toString();
    return text.isBlank() ? null : text;
  }
}
