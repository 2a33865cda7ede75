package io.autobutler.watcher.hermes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.watcher.announce.Announcer;
import io.autobutler.watcher.poll.DatasetCompletion;
import io.autobutler.watcher.poll.ReplicaEvents;
import io.autobutler.watcher.poll.WatchScope;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;

/**
 * Reads Hermes {@code transfer-done} messages from the configured topics and turns those for the watched RSE and
 * datasets into hints. A hint is stored in PostgreSQL before the message's offset is committed, then confirmed
 * against Rucio ({@code POST /replicas/list} with {@code all_states}): the message comes before the conveyor-finisher
 * makes the replica AVAILABLE, so a replica still COPYING is asked about again, with back-off, until it is AVAILABLE
 * (then announced) or the hint is given up (the poll reconciles it anyway).
 */
public final class HermesListener implements Runnable, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HermesListener.class);
  private static final int CONFIRM_CHUNK = 1000;

  /** A transfer-done waiting for its replica to be AVAILABLE. */
  private static final class Hint {
    final TransferDone message;
    final Instant receivedAt;
    Instant nextCheck;
    int checks;

    Hint(TransferDone message, Instant receivedAt) {
      this.message = message;
      this.receivedAt = receivedAt;
      this.nextCheck = Instant.MIN;
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final RucioClient rucio;
  private final Announcer announcer;
  private final DatasetCompletion completion;
  private final WatchScope scope;
  private final DataSource dataSource;
  private final String schema;
  private final Duration giveUpAfter;
  private final Map<String, Hint> hints = new LinkedHashMap<>();
  private volatile boolean running = true;
  private long ignored;
  private long malformed;

  public HermesListener(String bootstrapServers, String groupId, List<String> topics, RucioClient rucio,
                        Announcer announcer, WatchScope scope, DataSource dataSource, String schema,
                        Duration giveUpAfter) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    this.consumer.subscribe(topics);
    this.rucio = rucio;
    this.announcer = announcer;
    this.completion = new DatasetCompletion(rucio, announcer, scope.rse());
    this.scope = scope;
    this.dataSource = dataSource;
    this.schema = schema;
    this.giveUpAfter = giveUpAfter;
    loadHints();
  }

  @Override
  public void run() {
    while (running) {
      try {
        receive();
        confirmDue();
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
      } catch (RuntimeException e) {
        LOG.errorf("Hermes listener: %s (trying again in 1 s)", e.getMessage());
        sleep(1000);
      }
    }
  }

  /** Reads one poll's worth of messages; stores the useful ones as hints, then commits the offsets. */
  void receive() {
    long wait = hints.isEmpty() ? 500 : Math.max(10, Math.min(500,
        Duration.between(Instant.now(), earliestCheck()).toMillis()));
    List<TransferDone> useful = new ArrayList<>();
    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(wait))) {
      try {
        TransferDone message = TransferDone.parse(record.value()).orElse(null);
        if (message == null || !scope.rse().equals(message.dstRse()) || !watched(message)) {
          ignored++;
          continue;
        }
        useful.add(message);
      } catch (IllegalArgumentException e) {
        malformed++;
        LOG.warnf("Hermes message at %s-%d offset %d ignored: %s", record.topic(), record.partition(),
            record.offset(), e.getMessage());
      }
    }
    if (!useful.isEmpty()) {
      storeHints(useful);
      Instant now = Instant.now();
      for (TransferDone message : useful) {
        hints.putIfAbsent(message.scope() + ":" + message.name(), new Hint(message, now));
      }
    }
    consumer.commitSync();
  }

  private boolean watched(TransferDone message) {
    if (message.dataset() != null && message.datasetScope() != null) {
      return scope.watches(message.datasetScope(), message.dataset());
    }
    return scope.scopes().contains(message.scope());
  }

  /** Asks Rucio about the hints that are due; announces the AVAILABLE replicas. */
  void confirmDue() {
    Instant now = Instant.now();
    List<Hint> due = hints.values().stream().filter(h -> !h.nextCheck.isAfter(now)).toList();
    for (int i = 0; i < due.size(); i += CONFIRM_CHUNK) {
      confirm(due.subList(i, Math.min(due.size(), i + CONFIRM_CHUNK)));
    }
  }

  private void confirm(List<Hint> due) {
    Map<String, JsonNode> lines = new LinkedHashMap<>();
    List<Did> files = due.stream().map(h -> new Did(h.message.scope(), h.message.name())).toList();
    rucio.listReplicas(new RucioClient.ReplicaQuery(files, scope.rse(), null, true, false),
        line -> lines.put(line.path("scope").asText() + ":" + line.path("name").asText(), line));
    List<ReplicaEvent> available = new ArrayList<>();
    List<String> settled = new ArrayList<>();
    Set<Did> datasets = new LinkedHashSet<>();
    Instant now = Instant.now();
    for (Hint hint : due) {
      String key = hint.message.scope() + ":" + hint.message.name();
      JsonNode line = lines.get(key);
      if (line != null && ReplicaEvents.availableAt(line, scope.rse())) {
        TransferDone m = hint.message;
        Did dataset = m.dataset() == null ? null : new Did(m.datasetScope(), m.dataset());
        ReplicaEvent fromRucio = ReplicaEvents.fromLine(line, scope.rse(), dataset, "hermes");
        available.add(new ReplicaEvent(fromRucio.scope(), fromRucio.name(), fromRucio.rse(), fromRucio.pfn(),
            fromRucio.bytes(), fromRucio.adler32(), fromRucio.datasetScope(), fromRucio.datasetName(),
            m.rubinButler(), m.rubinSidecar(), "hermes", now));
        settled.add(key);
        if (dataset != null) {
          datasets.add(dataset);
        }
      } else if (Duration.between(hint.receivedAt, now).compareTo(giveUpAfter) > 0) {
        LOG.warnf("replica %s at %s is still not AVAILABLE %s after its transfer-done: left to the poll", key,
            scope.rse(), giveUpAfter);
        settled.add(key);
      } else {
        hint.checks++;
        hint.nextCheck = now.plusMillis(Math.min(30_000, 50L << Math.min(hint.checks, 10)));
      }
    }
    if (!available.isEmpty()) {
      List<ReplicaEvent> withoutMetadata = available.stream().filter(e -> e.rubinButler() == null).toList();
      List<ReplicaEvent> events = withoutMetadata.isEmpty() ? available : new ArrayList<>(available.stream()
          .filter(e -> e.rubinButler() != null).toList());
      if (!withoutMetadata.isEmpty()) {
        events.addAll(ReplicaEvents.withMetadata(rucio, withoutMetadata));
      }
      announcer.announce(events, List.of());
    }
    if (!settled.isEmpty()) {
      deleteHints(settled);
      settled.forEach(hints::remove);
    }
    if (!datasets.isEmpty()) {
      completion.check(datasets);
    }
  }

  private Instant earliestCheck() {
    Instant earliest = Instant.MAX;
    for (Iterator<Hint> it = hints.values().iterator(); it.hasNext(); ) {
      Hint h = it.next();
      if (h.nextCheck.isBefore(earliest)) {
        earliest = h.nextCheck;
      }
    }
    return earliest.isBefore(Instant.now()) ? Instant.now() : earliest;
  }

  public int pendingHints() {
    return hints.size();
  }

  public long ignoredMessages() {
    return ignored;
  }

  public long malformedMessages() {
    return malformed;
  }

  // ------------------------------------------------------------------------------------------ persistence

  private void storeHints(List<TransferDone> messages) {
    String sql = "INSERT INTO " + schema + ".hermes_hints (scope, name, rse, dataset_scope, dataset_name, pfn,"
        + " rubin_butler, rubin_sidecar) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::text[]) ON CONFLICT DO NOTHING";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("text", messages.stream().map(TransferDone::scope).toArray()));
      s.setArray(2, c.createArrayOf("text", messages.stream().map(TransferDone::name).toArray()));
      s.setArray(3, c.createArrayOf("text", messages.stream().map(TransferDone::dstRse).toArray()));
      s.setArray(4, c.createArrayOf("text", messages.stream().map(TransferDone::datasetScope).toArray()));
      s.setArray(5, c.createArrayOf("text", messages.stream().map(TransferDone::dataset).toArray()));
      s.setArray(6, c.createArrayOf("text", messages.stream().map(TransferDone::dstUrl).toArray()));
      s.setArray(7, c.createArrayOf("text", messages.stream().map(TransferDone::rubinButler).toArray()));
      s.setArray(8, c.createArrayOf("text", messages.stream().map(TransferDone::rubinSidecar).toArray()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store Hermes hints: " + e.getMessage(), e);
    }
  }

  private void deleteHints(List<String> keys) {
    String sql = "DELETE FROM " + schema + ".hermes_hints h USING unnest(?::text[], ?::text[]) AS u(scope, name)"
        + " WHERE h.scope = u.scope AND h.name = u.name AND h.rse = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("text", keys.stream().map(k -> k.substring(0, k.indexOf(':'))).toArray()));
      s.setArray(2, c.createArrayOf("text", keys.stream().map(k -> k.substring(k.indexOf(':') + 1)).toArray()));
      s.setString(3, scope.rse());
      s.executeUpdate();
    } catch (SQLException e) {
      LOG.warnf("cannot delete settled Hermes hints (they will be checked again): %s", e.getMessage());
    }
  }

  private void loadHints() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT scope, name, rse, dataset_scope, dataset_name, pfn,"
             + " rubin_butler, rubin_sidecar, received_at FROM " + schema + ".hermes_hints WHERE rse = ?")) {
      s.setString(1, scope.rse());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          TransferDone m = new TransferDone(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(6),
              rs.getString(4), rs.getString(5), null, null, rs.getString(7), rs.getString(8));
          hints.put(m.scope() + ":" + m.name(), new Hint(m, rs.getTimestamp(9).toInstant()));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read Hermes hints: " + e.getMessage(), e);
    }
    if (!hints.isEmpty()) {
      LOG.infof("%d Hermes hints from before the restart to confirm", hints.size());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the loop; call from another thread, then join the loop's thread before closing. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
