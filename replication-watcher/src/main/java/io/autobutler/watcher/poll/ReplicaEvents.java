package io.autobutler.watcher.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;

/** Turns Rucio's answers into replica events: the replica line of POST /replicas/list, plus the file's metadata. */
public final class ReplicaEvents {

  private static final int METADATA_CHUNK = 1000;

  private ReplicaEvents() {
  }

  /** Whether a POST /replicas/list line shows the file AVAILABLE at the RSE. */
  public static boolean availableAt(JsonNode line, String rse) {
    return "AVAILABLE".equals(line.path("states").path(rse).asText(null))
        && line.path("rses").path(rse).size() > 0;
  }

  /** The event of an AVAILABLE replica line, attributed to a dataset; metadata is added by {@link #withMetadata}. */
  public static ReplicaEvent fromLine(JsonNode line, String rse, Did dataset, String source) {
    return new ReplicaEvent(line.path("scope").asText(), line.path("name").asText(), rse,
        line.path("rses").path(rse).get(0).asText(), line.path("bytes").isNumber() ? line.path("bytes").asLong()
        : null, line.path("adler32").asText(null), dataset == null ? null : dataset.scope(),
        dataset == null ? null : dataset.name(), null, null, source, Instant.now());
  }

  /** The events with {@code rubin_butler} / {@code rubin_sidecar} from Rucio's JSON metadata plugin. */
  public static List<ReplicaEvent> withMetadata(RucioClient rucio, List<ReplicaEvent> events) {
    if (events.isEmpty()) {
      return events;
    }
    Map<String, JsonNode> meta = new HashMap<>();
    for (int i = 0; i < events.size(); i += METADATA_CHUNK) {
      List<Did> dids = events.subList(i, Math.min(events.size(), i + METADATA_CHUNK)).stream()
          .map(e -> new Did(e.scope(), e.name())).toList();
      rucio.bulkMetadata(dids, "JSON", line -> meta.put(line.path("scope").asText() + ":"
          + line.path("name").asText(), line));
    }
    List<ReplicaEvent> out = new ArrayList<>(events.size());
    for (ReplicaEvent e : events) {
      JsonNode m = meta.get(e.scope() + ":" + e.name());
      out.add(m == null ? e : new ReplicaEvent(e.scope(), e.name(), e.rse(), e.pfn(), e.bytes(), e.adler32(),
          e.datasetScope(), e.datasetName(), text(m, "rubin_butler", e.rubinButler()),
          text(m, "rubin_sidecar", e.rubinSidecar()), e.source(), e.observedAt()));
    }
    return out;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return value.isTextual() ? value.asText() : value.toString();
  }
}
