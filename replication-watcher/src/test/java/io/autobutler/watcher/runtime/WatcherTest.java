package io.autobutler.watcher.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.Adler32;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.simulator.Catalogue.SimDataset;
import io.autobutler.simulator.Catalogue.SimFile;
import io.autobutler.simulator.RucioSimulator;
import io.autobutler.testsupport.KafkaBroker;
import io.autobutler.testsupport.PostgresResource;
import io.autobutler.watcher.rucio.RucioException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The watcher against the Rucio simulator, a real Kafka broker and a real PostgreSQL: replicas landing over time,
 * by poll and by Hermes message, restarts, crashes between PostgreSQL and Kafka, Rucio faults, and datasets that
 * complete or never do. Each test works on datasets of its own.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "watcher"))
@WithTestResource(SimulatorResource.class)
class WatcherTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static EventLog log;

  @Inject
  WatcherRuntime runtime;

  @Inject
  AgroalDataSource dataSource;

  @BeforeAll
  static void startLog() {
    log = new EventLog();
  }

  @AfterAll
  static void stopLog() throws InterruptedException {
    log.close();
  }

  private static RucioSimulator simulator() {
    return SimulatorResource.simulator();
  }

  @Test
  void pollAnnouncesReplicasLandingOverTimeOnceEachAndCompleteDatasets() throws Exception {
    List<SimDataset> datasets = campaign("Poll", 2, 9);
    List<SimFile> files = files(datasets);
    land(files.subList(0, 5), false, 0);
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Poll").size() == 5);

    land(files.subList(5, files.size()), false, 0);
    runtime.pollNow();
    runtime.pollNow();
    await().atMost(WAIT).until(() -> datasetEvents("Poll").size() == 2);
    List<ConsumerRecord<String, String>> records = log.on(Topics.RUCIO_REPLICAS, r -> r.key().contains("/Poll/"));
    assertThat(records).hasSize(18);
    List<ReplicaEvent> events = records.stream().map(r -> EventJson.read(r.value(), ReplicaEvent.class)).toList();
    assertThat(events).extracting(ReplicaEvent::name).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(files.stream().map(SimFile::name).toList());
    ReplicaEvent first = events.get(0);
    assertThat(first.source()).isEqualTo("poll");
    assertThat(first.rse()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(first.rubinButler()).isEqualTo("raw_file");
    assertThat(first.rubinSidecar()).contains("\"datasetType\"");
    assertThat(records.get(0).key()).isEqualTo(first.datasetScope() + ":" + first.datasetName());
    // The PFN resolves to the file whose adler32 the event carries.
    HttpResponse<byte[]> content = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(first.pfn()))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    Adler32 adler = new Adler32();
    adler.update(content.body());
    assertThat(String.format("%08x", adler.getValue())).isEqualTo(first.adler32());
    assertThat(first.bytes()).isEqualTo(content.body().length);

    DatasetEvent dataset = EventJson.read(datasetEvents("Poll").get(0).value(), DatasetEvent.class);
    assertThat(dataset.files()).isEqualTo(9);
    assertThat(dataset.bytes()).isEqualTo(9 * 256L);
    // Every replica event of a dataset came before its dataset event.
    for (ConsumerRecord<String, String> d : datasetEvents("Poll")) {
      assertThat(records.stream().filter(r -> r.key().equals(d.key()))).allMatch(r -> r.timestamp() <= d.timestamp());
    }
  }

  @Test
  void hermesMessagesAreConfirmedAgainstRucioBeforeTheReplicaIsAnnounced() {
    List<SimDataset> datasets = campaign("Hermes", 1, 6);
    List<SimFile> files = files(datasets);
    // transfer-done now, AVAILABLE 1.5 s later, as Rucio's conveyor-finisher does it
    simulator().landDataset("raw", datasets.get(0).name(), true, 1500);
    await().atMost(WAIT).until(() -> replicas("Hermes").size() == 6);
    await().atMost(WAIT).until(() -> datasetEvents("Hermes").size() == 1);
    for (ConsumerRecord<String, String> record : replicas("Hermes")) {
      ReplicaEvent event = EventJson.read(record.value(), ReplicaEvent.class);
      assertThat(event.source()).isEqualTo("hermes");
      SimFile file = files.stream().filter(f -> f.name().equals(event.name())).findFirst().orElseThrow();
      // never announced while the replica was still COPYING
      assertThat(file.availableAt()).isPositive();
      assertThat(record.timestamp()).isGreaterThanOrEqualTo(file.availableAt());
      assertThat(event.rubinButler()).isEqualTo("raw_file");
    }
  }

  @Test
  void duplicateMessagesAndMessagesForAnotherRseAnnounceNothingAndThePollFindsReplicasWithoutMessage() {
    List<SimFile> files = files(campaign("Dup", 1, 3));
    land(files.subList(0, 1), true, 0);
    await().atMost(WAIT).until(() -> replicas("Dup").size() == 1);
    // The same transfer-done three more times, and one for another RSE about a file that landed here silently.
    for (int i = 0; i < 3; i++) {
      simulator().publishHermes(SimulatorResource.HERMES_TOPIC, transferDone(files.get(0), "IN2P3_RAW_DISK"));
    }
    land(files.subList(1, 2), false, 0);
    simulator().publishHermes(SimulatorResource.HERMES_TOPIC, transferDone(files.get(1), "SLAC_RAW_DISK"));
    simulator().publishHermes(SimulatorResource.HERMES_TOPIC, "{not json");
    // A last message on the same partition (key "message"): once it is announced, the ones before were read.
    land(files.subList(2, 3), true, 0);
    await().atMost(WAIT).until(() -> replicas("Dup").size() == 2);
    assertThat(replicas("Dup")).extracting(r -> EventJson.read(r.value(), ReplicaEvent.class).name())
        .containsExactlyInAnyOrder(files.get(0).name(), files.get(2).name());

    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Dup").size() == 3);
    ReplicaEvent silent = replicas("Dup").stream().map(r -> EventJson.read(r.value(), ReplicaEvent.class))
        .filter(e -> e.name().equals(files.get(1).name())).findFirst().orElseThrow();
    assertThat(silent.source()).isEqualTo("poll");
    assertThat(((Number) runtime.status().get("malformedHermesMessages")).longValue()).isPositive();
  }

  @Test
  void aRestartResumesFromThePersistedStateAndAnnouncesNothingTwice() {
    List<SimFile> files = files(campaign("Restart", 1, 12));
    land(files.subList(0, 6), false, 0);
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Restart").size() == 6);
    runtime.stop();
    land(files.subList(6, 10), false, 0);
    land(files.subList(10, 12), true, 200);
    runtime.start();
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Restart").size() >= 12 && datasetEvents("Restart").size() == 1);
    runtime.pollNow();
    assertThat(replicas("Restart")).hasSize(12)
        .extracting(r -> EventJson.read(r.value(), ReplicaEvent.class).name()).doesNotHaveDuplicates();
  }

  @Test
  void batchesLeftPendingByACrashAreSettledExactlyOnce() throws Exception {
    List<SimFile> files = files(campaign("Crash", 1, 2));
    land(files, false, 0);
    runtime.stop();
    // A crash after the Kafka commit (batch A, already on the topic) and one before the send (batch B).
    ReplicaEvent onKafka = event(files.get(0));
    ReplicaEvent notSent = event(files.get(1));
    String offsets = EventJson.write(endOffsets());
    long batchA = pendingBatch(onKafka, offsets);
    long batchB = pendingBatch(notSent, offsets);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crashed-" + UUID.randomUUID());
    try (KafkaProducer<String, String> crashed = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      crashed.initTransactions();
      crashed.beginTransaction();
      ProducerRecord<String, String> record = new ProducerRecord<>(Topics.RUCIO_REPLICAS, onKafka.key(),
          EventJson.write(onKafka));
      record.headers().add("autobutler-batch", Long.toString(batchA).getBytes(StandardCharsets.UTF_8));
      crashed.send(record);
      crashed.commitTransaction();
    }
    runtime.start();
    await().atMost(WAIT).until(() -> replicas("Crash").size() == 2);
    runtime.pollNow();
    assertThat(replicas("Crash")).extracting(r -> EventJson.read(r.value(), ReplicaEvent.class).name())
        .containsExactlyInAnyOrder(files.get(0).name(), files.get(1).name());
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM watcher.pending_batches WHERE id IN (" + batchA + ", "
             + batchB + ")")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void rucioAnswering401Or500OrGarbageLosesNothing() {
    List<SimFile> files = files(campaign("Faults", 1, 9));
    land(files.subList(0, 3), false, 0);
    int authentications = simulator().authentications();
    simulator().expireTokens();
    simulator().failNext(2, 500);
    runtime.pollNow();
    assertThat(simulator().authentications()).isGreaterThan(authentications);
    await().atMost(WAIT).until(() -> replicas("Faults").size() == 3);

    land(files.subList(3, 6), false, 0);
    simulator().garbleNext(1);
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Faults").size() == 6);

    // More 500s than the client tries: this poll fails with Rucio's error, and the next one catches up.
    land(files.subList(6, 9), false, 0);
    simulator().failNext(20, 500);
    assertThatThrownBy(runtime::pollNow).isInstanceOf(RucioException.class)
        .hasMessageContaining("HTTP 500: RucioException An unknown exception occurred.");
    drainFaults();
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Faults").size() == 9 && datasetEvents("Faults").size() == 1);
    assertThat(replicas("Faults")).extracting(r -> EventJson.read(r.value(), ReplicaEvent.class).name())
        .doesNotHaveDuplicates();
  }

  @Test
  void aDatasetThatNeverCompletesIsNeverAnnouncedComplete() throws Exception {
    List<SimDataset> datasets = campaign("Never", 1, 9);
    List<SimFile> files = files(datasets);
    land(files.subList(0, 8), false, 0);
    runtime.pollNow();
    await().atMost(WAIT).until(() -> replicas("Never").size() == 8);
    simulator().catalogue().lose("raw", files.get(0).name());
    runtime.pollNow();
    runtime.pollNow();
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT count(*) FROM watcher.announced_datasets WHERE name = ?")) {
      s.setString(1, datasets.get(0).name());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
    assertThat(datasetEvents("Never")).isEmpty();
    assertThat(replicas("Never")).hasSize(8);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static List<SimDataset> campaign(String label, int datasets, int filesPerDataset) {
    simulator().catalogue().generate("raw", "Dataset/" + label + "/", datasets, filesPerDataset, 256);
    return simulator().catalogue().datasets(d -> d.name().startsWith("Dataset/" + label + "/"));
  }

  private static List<SimFile> files(List<SimDataset> datasets) {
    List<SimFile> files = new ArrayList<>();
    datasets.forEach(d -> files.addAll(simulator().catalogue().filesOf(d)));
    return files;
  }

  private static void land(List<SimFile> files, boolean hermes, long availableAfterMillis) {
    simulator().landFiles(simulator().catalogue().startLanding(files), hermes, availableAfterMillis);
  }

  private static List<ConsumerRecord<String, String>> replicas(String label) {
    return log.on(Topics.RUCIO_REPLICAS, r -> r.key().startsWith("raw:Dataset/" + label + "/"));
  }

  private static List<ConsumerRecord<String, String>> datasetEvents(String label) {
    return log.on(Topics.RUCIO_DATASETS, r -> r.key().startsWith("raw:Dataset/" + label + "/"));
  }

  private static void drainFaults() {
    // Rucio comes back: whatever faults are left are answered by harmless requests.
    simulator().failNext(0, 500);
    while (true) {
      try {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator().baseUrl()
            + "/ping")).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private static String transferDone(SimFile file, String rse) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("scope", file.scope());
    payload.put("name", file.name());
    payload.put("dst-rse", rse);
    payload.put("dst-url", simulator().pfn(file));
    payload.put("dataset", file.dataset().name());
    payload.put("datasetScope", file.dataset().scope());
    payload.put("checksum-adler", file.adler32());
    payload.put("rubin_butler", "raw_file");
    payload.put("rubin_sidecar", "");
    return EventJson.write(Map.of("event_type", "transfer-done", "payload", payload, "created_at",
        "2025-03-20 20:15:43.153695"));
  }

  private static ReplicaEvent event(SimFile file) {
    return new ReplicaEvent(file.scope(), file.name(), "IN2P3_RAW_DISK", simulator().pfn(file), 256L, file.adler32(),
        file.dataset().scope(), file.dataset().name(), "raw_file", null, "poll", Instant.now());
  }

  private static Map<String, Long> endOffsets() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KafkaBroker.bootstrapServers());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.RUCIO_REPLICAS, Topics.RUCIO_DATASETS)) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      Map<String, Long> offsets = new LinkedHashMap<>();
      consumer.endOffsets(partitions).forEach((tp, offset) -> offsets.put(tp.toString(), offset));
      return offsets;
    }
  }

  /** What a crashed watcher leaves: the ledger row and the pending batch, written in one transaction. */
  private long pendingBatch(ReplicaEvent event, String offsets) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      long id;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO watcher.pending_batches (start_offsets, events)"
          + " VALUES (?, ?) RETURNING id")) {
        s.setString(1, offsets);
        s.setString(2, Topics.RUCIO_REPLICAS + "\t" + event.key() + "\t" + EventJson.write(event) + "\n");
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO watcher.announced_replicas (scope, name, rse,"
          + " dataset_scope, dataset_name, bytes, source, batch_id) VALUES (?, ?, ?, ?, ?, ?, 'poll', ?)")) {
        s.setString(1, event.scope());
        s.setString(2, event.name());
        s.setString(3, event.rse());
        s.setString(4, event.datasetScope());
        s.setString(5, event.datasetName());
        s.setLong(6, event.bytes());
        s.setLong(7, id);
        s.executeUpdate();
      }
      c.commit();
      return id;
    }
  }
}
