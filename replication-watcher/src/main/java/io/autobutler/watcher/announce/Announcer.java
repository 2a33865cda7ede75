package io.autobutler.watcher.announce;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;

/**
 * Publishes replica and dataset events once each, across restarts, whichever source found them first.
 *
 * <p>For one batch: (1) in one PostgreSQL transaction, a pending batch row with the topics' end offsets is written
 * and the ledger rows of the replicas and datasets not announced yet are inserted with its id ({@code ON CONFLICT
 * DO NOTHING} decides which are new); (2) the new events are sent in one Kafka transaction (a transactional
 * producer with a fixed {@code transactional.id}); (3) the pending batch row is deleted. A failure or crash between
 * (1) and (3) leaves the batch pending. It is settled before the next batch and at start, after
 * {@code initTransactions} has settled the previous instance's open transaction: the topics are read
 * (read_committed) from the recorded offsets for records carrying the batch id; if they are there the batch is
 * done, else its ledger rows are deleted, undoing the decision, and the sources find those replicas again (the
 * poll's cursor only advances after every batch of a poll is on Kafka; a Hermes hint is only dropped after its
 * replica is announced). So each event is on the topic once for read_committed consumers (an aborted attempt may
 * remain visible to read_uncommitted ones), and none is lost. This assumes one watcher per transactional id: a
 * second one fences the first.
 */
public final class Announcer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Announcer.class);
  static final String BATCH_HEADER = "autobutler-batch";

  private final DataSource dataSource;
  private final String schema;
  private final String replicasTopic;
  private final String datasetsTopic;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> reader;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private long announcedReplicas;
  private long announcedDatasets;
  /** Taken while a batch is decided in PostgreSQL, and while pending batches are settled. */
  private final Object decideLock = new Object();
  /** Taken while a batch is in a Kafka transaction (one at a time per transactional producer). */
  private final Object publishLock = new Object();
  /** Batches decided and not yet published or failed: pending by design, not to be settled. */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private static final long OFFSETS_MAX_AGE_MS = 5000;
  /** The topics' end offsets as last read, and when (guarded by decideLock). */
  private Map<String, Long> knownOffsets;
  private long offsetsReadAt;
  /** Whether a batch may have been left pending (at start, after a failed send). */
  private volatile boolean mustSettle = true;

  /** Announces on {@code replicasTopic} ({@code rucio.replicas}) and {@code datasetsTopic} ({@code rucio.datasets}). */
  public Announcer(DataSource dataSource, String schema, String bootstrapServers, String transactionalId,
                   String replicasTopic, String datasetsTopic) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.replicasTopic = replicasTopic;
    this.datasetsTopic = datasetsTopic;
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    // replica events repeat their field names, PFN prefixes and sidecars: lz4 makes a batch several times smaller
    // for the broker to write, at little CPU
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "replication-watcher-" + instance);
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
    Properties readerProps = new Properties();
    readerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    readerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    readerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    readerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "replication-watcher-recovery-" + instance);
    this.reader = new KafkaConsumer<>(readerProps, new StringDeserializer(), new StringDeserializer());
    // Settles the previous instance's transaction (committed or aborted) before anything is decided.
    producer.initTransactions();
  }

  /** What one call announced. */
  public record Outcome(List<ReplicaEvent> replicas, List<DatasetEvent> datasets) {
    public boolean isEmpty() {
      return replicas.isEmpty() && datasets.isEmpty();
    }
  }

  /**
   * Announces the replicas and datasets among these that were never announced, in one batch; returns those it
   * announced. Any batch left pending by an earlier failure is settled first.
   */
  public Outcome announce(List<ReplicaEvent> replicas, List<DatasetEvent> datasets) {
    return publish(decide(replicas, datasets));
  }

  /**
   * A batch decided in PostgreSQL (ledger rows and pending batch committed), not yet on Kafka: hand it to
   * {@link #publish}. Between the two, the PostgreSQL work of the next batch can run while this one is sent.
   */
  public record Decided(long batchId, List<ReplicaEvent> replicas, List<DatasetEvent> datasets, List<Out> records) {
  }

  private static final Decided NOTHING = new Decided(-1, List.of(), List.of(), List.of());

  /**
   * Step 1 of {@link #announce}: records which of these were never announced, as a pending batch. Several batches
   * may be decided at once (their PostgreSQL transactions overlap); settling and reading the topics' offsets are
   * not.
   */
  public Decided decide(List<ReplicaEvent> replicas, List<DatasetEvent> datasets) {
    Map<String, Long> offsets;
    synchronized (decideLock) {
      if (mustSettle) {
        settlePending();
      }
      if (replicas.isEmpty() && datasets.isEmpty()) {
        return NOTHING;
      }
      offsets = endOffsets();
    }
    long t0 = System.nanoTime();
    long batchId = -1;
    List<ReplicaEvent> newReplicas = new ArrayList<>();
    List<DatasetEvent> newDatasets = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        batchId = insertBatch(c, offsets);
        // in flight before it is committed, so that a settlement running meanwhile leaves it alone
        inFlight.add(batchId);
        newReplicas.addAll(insertReplicas(c, replicas, batchId));
        newDatasets.addAll(insertDatasets(c, datasets, batchId));
        if (newReplicas.isEmpty() && newDatasets.isEmpty()) {
          c.rollback();
          inFlight.remove(batchId);
          return NOTHING;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        inFlight.remove(batchId);
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      inFlight.remove(batchId);
      throw new IllegalStateException("cannot record announcements in PostgreSQL: " + e.getMessage(), e);
    }
    LOG.debugf("batch %d: %d replicas, %d datasets decided in %d ms", batchId, newReplicas.size(),
        newDatasets.size(), (System.nanoTime() - t0) / 1_000_000);
    // written here, where several batches are decided at once, not on the one thread that sends
    return new Decided(batchId, newReplicas, newDatasets, records(newReplicas, newDatasets));
  }

  /** Step 2 of {@link #announce}: sends a decided batch in one Kafka transaction, then clears it. */
  public Outcome publish(Decided batch) {
    return publish(List.of(batch));
  }

  /**
   * Step 2 for several decided batches at once: one Kafka transaction for all of them (a transaction's commit costs
   * round trips to the broker whatever its size), then their pending rows cleared in one statement. Each record
   * keeps its own batch's header, so settling treats them one by one; they are committed or aborted together.
   */
  public Outcome publish(List<Decided> batches) {
    List<Decided> real = batches.stream().filter(b -> b.batchId() >= 0).toList();
    if (real.isEmpty()) {
      return new Outcome(List.of(), List.of());
    }
    List<Long> ids = real.stream().map(Decided::batchId).toList();
    synchronized (publishLock) {
      long t0 = System.nanoTime();
      try {
        send(real);
      } catch (RuntimeException e) {
        // left pending: settled (found on Kafka, or undone) before the next batch is decided
        mustSettle = true;
        ids.forEach(inFlight::remove);
        throw e;
      }
      long t1 = System.nanoTime();
      deleteBatches(ids);
      ids.forEach(inFlight::remove);
      List<ReplicaEvent> replicas = new ArrayList<>();
      List<DatasetEvent> datasets = new ArrayList<>();
      real.forEach(b -> {
        replicas.addAll(b.replicas());
        datasets.addAll(b.datasets());
      });
      LOG.debugf("batches %s: %d replicas, %d datasets: Kafka %d ms, done %d ms", ids, replicas.size(),
          datasets.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      synchronized (this) {
        announcedReplicas += replicas.size();
        announcedDatasets += datasets.size();
      }
      return new Outcome(replicas, datasets);
    }
  }

  /** Of these replicas (scope, name at rse), the ones already announced. */
  public Set<String> alreadyAnnounced(String rse, List<String[]> scopeAndNames) {
    Set<String> found = new HashSet<>();
    if (scopeAndNames.isEmpty()) {
      return found;
    }
    String sql = "SELECT a.scope, a.name FROM unnest(?::text[], ?::text[]) AS u(scope, name) JOIN " + schema
        + ".announced_replicas a ON a.scope = u.scope AND a.name = u.name AND a.rse = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("text", scopeAndNames.stream().map(d -> d[0]).toArray()));
      s.setArray(2, c.createArrayOf("text", scopeAndNames.stream().map(d -> d[1]).toArray()));
      s.setString(3, rse);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1) + ":" + rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the replica ledger: " + e.getMessage(), e);
    }
    return found;
  }

  public synchronized long announcedReplicas() {
    return announcedReplicas;
  }

  public synchronized long announcedDatasets() {
    return announcedDatasets;
  }

  // ------------------------------------------------------------------------------------------ batches

  private long insertBatch(Connection c, Map<String, Long> offsets) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".pending_batches (start_offsets)"
        + " VALUES (?) RETURNING id")) {
      s.setString(1, EventJson.write(offsets));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<ReplicaEvent> insertReplicas(Connection c, List<ReplicaEvent> events, long batchId)
      throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    Map<String, ReplicaEvent> unique = new LinkedHashMap<>();
    for (ReplicaEvent e : events) {
      unique.putIfAbsent(e.scope() + "\u0000" + e.name() + "\u0000" + e.rse(), e);
    }
    List<ReplicaEvent> list = List.copyOf(unique.values());
    String sql = "INSERT INTO " + schema + ".announced_replicas (scope, name, rse, dataset_scope, dataset_name, bytes,"
        + " source, batch_id) SELECT u.*, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::bigint[], ?::text[]) AS u ON CONFLICT DO NOTHING RETURNING scope, name, rse";
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, batchId);
      s.setArray(2, array(c, "text", list.stream().map(ReplicaEvent::scope).toArray()));
      s.setArray(3, array(c, "text", list.stream().map(ReplicaEvent::name).toArray()));
      s.setArray(4, array(c, "text", list.stream().map(ReplicaEvent::rse).toArray()));
      s.setArray(5, array(c, "text", list.stream().map(ReplicaEvent::datasetScope).toArray()));
      s.setArray(6, array(c, "text", list.stream().map(ReplicaEvent::datasetName).toArray()));
      s.setArray(7, array(c, "bigint", list.stream().map(ReplicaEvent::bytes).toArray()));
      s.setArray(8, array(c, "text", list.stream().map(ReplicaEvent::source).toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000" + rs.getString(3));
        }
      }
    }
    return unique.entrySet().stream().filter(e -> inserted.contains(e.getKey())).map(Map.Entry::getValue).toList();
  }

  private List<DatasetEvent> insertDatasets(Connection c, List<DatasetEvent> events, long batchId)
      throws SQLException {
    List<DatasetEvent> inserted = new ArrayList<>();
    String sql = "INSERT INTO " + schema + ".announced_datasets (scope, name, rse, files, bytes, batch_id)"
        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (DatasetEvent e : events) {
        s.setString(1, e.scope());
        s.setString(2, e.name());
        s.setString(3, e.rse());
        s.setInt(4, e.files());
        s.setLong(5, e.bytes());
        s.setLong(6, batchId);
        if (s.executeUpdate() == 1) {
          inserted.add(e);
        }
      }
    }
    return inserted;
  }

  private static Array array(Connection c, String type, Object[] values) throws SQLException {
    return c.createArrayOf(type, values);
  }

  /** One Kafka record to send: topic, key, value. */
  public record Out(String topic, String key, String value) {
  }

  private List<Out> records(List<ReplicaEvent> replicas, List<DatasetEvent> datasets) {
    List<Out> out = new ArrayList<>(replicas.size() + datasets.size());
    replicas.forEach(e -> out.add(new Out(replicasTopic, e.key(), EventJson.write(e))));
    // a dataset comes after its files' replica events
    datasets.forEach(e -> out.add(new Out(datasetsTopic, e.key(), EventJson.write(e))));
    return out;
  }

  private void send(List<Decided> batches) {
    producer.beginTransaction();
    try {
      for (Decided batch : batches) {
        byte[] id = Long.toString(batch.batchId()).getBytes(StandardCharsets.UTF_8);
        for (Out r : batch.records()) {
          ProducerRecord<String, String> record = new ProducerRecord<>(r.topic(), r.key(), r.value());
          record.headers().add(BATCH_HEADER, id);
          producer.send(record);
        }
      }
      producer.commitTransaction();
    } catch (RuntimeException e) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException abortFailed) {
        e.addSuppressed(abortFailed);
      }
      throw new IllegalStateException("cannot publish batches " + batches.stream().map(Decided::batchId).toList()
          + " on Kafka (kept pending, settled before the next batch): " + e.getMessage(), e);
    }
  }

  private void deleteBatches(List<Long> batchIds) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("DELETE FROM " + schema + ".pending_batches WHERE id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("bigint", batchIds.toArray()));
      s.executeUpdate();
    } catch (SQLException e) {
      // The batches are on Kafka; a later settlePending finds them there and only deletes them.
      mustSettle = true;
      LOG.warnf("batches %s are published but still marked pending: %s", batchIds, e.getMessage());
    }
  }

  /**
   * Where a batch decided now will land at the earliest: the topics' end offsets, read at most every
   * {@link #OFFSETS_MAX_AGE_MS} (any earlier end is a valid start for reading a batch back, only a longer one; a
   * round trip to the broker per batch is not). Read anew when a topic's partitions change.
   */
  private Map<String, Long> endOffsets() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(replicasTopic, datasetsTopic)) {
      reader.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic,
          p.partition())));
    }
    long now = System.currentTimeMillis();
    if (knownOffsets == null || now - offsetsReadAt > OFFSETS_MAX_AGE_MS || knownOffsets.size() != partitions.size()) {
      Map<String, Long> offsets = new LinkedHashMap<>();
      reader.endOffsets(partitions, Duration.ofSeconds(30)).forEach((tp, offset) -> offsets.put(tp.toString(),
          offset));
      knownOffsets = offsets;
      offsetsReadAt = now;
    }
    return knownOffsets;
  }

  /**
   * Settles batches left pending by a crash or a failed send: those whose records are on the topics (committed)
   * are only deleted; for the others the ledger rows are deleted with the batch, so that they are announced anew.
   */
  public void settlePending() {
    synchronized (decideLock) {
      settlePendingNow();
      mustSettle = false;
    }
  }

  private void settlePendingNow() {
    Map<Long, String[]> pending = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, start_offsets FROM " + schema + ".pending_batches ORDER BY id")) {
      while (rs.next()) {
        if (!inFlight.contains(rs.getLong(1))) {
          pending.put(rs.getLong(1), new String[] {rs.getString(2)});
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pending batches: " + e.getMessage(), e);
    }
    if (pending.isEmpty()) {
      return;
    }
    Set<Long> published = publishedBatches(pending);
    for (long id : pending.keySet()) {
      if (published.contains(id)) {
        LOG.infof("pending batch %d was on Kafka already", id);
        deleteBatches(List.of(id));
      } else {
        undo(id);
      }
    }
  }

  /** Forgets an unpublished batch: its ledger rows go, so that its replicas and datasets are announced anew. */
  private void undo(long batchId) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      int replicas;
      int datasets;
      try (PreparedStatement r = c.prepareStatement("DELETE FROM " + schema + ".announced_replicas WHERE batch_id = ?");
           PreparedStatement d = c.prepareStatement("DELETE FROM " + schema + ".announced_datasets WHERE batch_id = ?");
           PreparedStatement b = c.prepareStatement("DELETE FROM " + schema + ".pending_batches WHERE id = ?")) {
        r.setLong(1, batchId);
        replicas = r.executeUpdate();
        d.setLong(1, batchId);
        datasets = d.executeUpdate();
        b.setLong(1, batchId);
        b.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      LOG.infof("pending batch %d was not on Kafka: its %d replicas and %d datasets will be announced anew", batchId,
          replicas, datasets);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot undo pending batch " + batchId + ": " + e.getMessage(), e);
    }
  }

  /** The ids of the pending batches whose records are on the topics, read from the earliest recorded offsets. */
  private Set<Long> publishedBatches(Map<Long, String[]> pending) {
    Map<TopicPartition, Long> from = new HashMap<>();
    for (String[] batch : pending.values()) {
      Map<?, ?> offsets = EventJson.read(batch[0], Map.class);
      offsets.forEach((key, value) -> {
        String tp = key.toString();
        int dash = tp.lastIndexOf('-');
        TopicPartition partition = new TopicPartition(tp.substring(0, dash), Integer.parseInt(tp.substring(dash + 1)));
        from.merge(partition, ((Number) value).longValue(), Math::min);
      });
    }
    Set<Long> wanted = pending.keySet();
    Set<Long> found = new HashSet<>();
    if (from.isEmpty()) {
      return found;
    }
    reader.assign(from.keySet());
    from.forEach(reader::seek);
    Map<TopicPartition, Long> end = reader.endOffsets(from.keySet(), Duration.ofSeconds(30));
    long deadline = System.currentTimeMillis() + 120_000;
    while (from.keySet().stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("could not read back the topics to settle pending batches " + wanted);
      }
      for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
        Header header = record.headers().lastHeader(BATCH_HEADER);
        if (header != null) {
          long id = Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
          if (wanted.contains(id)) {
            found.add(id);
          }
        }
      }
    }
    reader.unsubscribe();
    return found;
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      reader.close(Duration.ofSeconds(5));
    }
  }
}
