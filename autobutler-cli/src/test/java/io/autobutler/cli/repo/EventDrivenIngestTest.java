package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.zip.Adler32;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.ButlerSession;
import io.autobutler.cli.RealStack;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.ingest.RawTranslation;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;

/**
 * Issue 4's acceptance, end to end through the real stack: a multi-night ComCam campaign announced on
 * {@code rucio.replicas} (as the watcher announces landed replicas) is ingested by the stack's ingest-service under
 * its campaign manifest (the repository itself made by catalog-service from the same manifest), after which {@code ./autobutler query-datasets REPO raw --collections LSSTComCam/raw/all
 * --where "exposure.observation_type='science'"} lists exactly the generated science raws; a poisoned replica is on
 * the dead-letter topic with its reason while the others went in; the manifest's TAGGED selection of science raws
 * converges to the same raws; replaying every event changes nothing.
 */
class EventDrivenIngestTest extends StackCommandTest {

  private static final String REPO = RealStack.Stack.EVENT_REPOSITORY;
  private static final String SCIENCE = "exposure.observation_type='science'";
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  EventDrivenIngestTest(RealStack.Stack stack) {
    super(stack);
  }

  @Test
  void replicaEventsBuildTheRepositoryThatQueryDatasetsShows(@TempDir Path data) throws Exception {
    // Nobody types a butler command: catalog-service made the repository from the manifest, with LSSTComCam.
    awaitTrue(() -> run("query-dimension-records", REPO, "detector") == 0 && out.toString().contains("LSSTComCam"),
        "repository " + REPO + " created with LSSTComCam by catalog-service");

    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(400, 20250519L, data);
    Set<String> expectedScience = new TreeSet<>();
    for (SyntheticRaws.ExposureFolder folder : campaign.folders()) {
      for (ObservationInfo info : folder.raws().values()) {
        if ("science".equals(info.observationType())) {
          Map<String, Object> dataId = RawTranslation.dataId(info);
          expectedScience.add(dataId.get("exposure") + " " + dataId.get("detector"));
        }
      }
    }
    long nights = campaign.folders().stream().map(f -> nightOf(f.uri(), data)).distinct().count();
    assertThat(nights).as("nights of the campaign").isGreaterThan(10);
    assertThat(expectedScience).isNotEmpty();

    // The poison: a file in an exposure folder that its _index.json does not describe.
    SyntheticRaws.ExposureFolder poisoned = campaign.folders().get(0);
    Path stray = Files.write(Path.of(URI.create(poisoned.uri() + "CC_O_STRAY_R22_S99.fits")), new byte[] {1, 2, 3});
    List<ReplicaEvent> events = new ArrayList<>();
    campaign.folders().forEach(folder -> events.addAll(eventsOf(folder, data)));
    events.add(0, event(stray, data));

    publish(events);
    // Until the first batch is in, the run does not exist and query-datasets says so.
    awaitTrue(() -> run("query-datasets", REPO, "raw", "--collections", SyntheticRaws.RUN, "--limit", "0") == 0
        && allRaws() == campaign.raws(), "all " + campaign.raws() + " raws ingested");

    List<String> science = rawLines(SCIENCE);
    assertThat(dataIdsOf(science)).containsExactlyElementsOf(expectedScience);
    String scienceTable = out.toString();
    // The manifest's TAGGED selection converges to the same raws once catalog-service has the summaries.
    awaitTrue(() -> taggedScience().equals(expectedScience), "the tagged selection converged");
    List<ConsumerRecord<String, String>> letters = deadLettersOf(stray);
    assertThat(letters).hasSize(1);
    assertThat(new String(letters.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .contains("no metadata");
    assertThat(EventJson.read(letters.get(0).value(), ReplicaEvent.class).pfn()).isEqualTo(events.get(0).pfn());

    // Replaying every event: once the ledger has seen them all again, nothing has changed.
    Instant replay = Instant.now();
    publish(events);
    awaitTrue(() -> stack.replicasSeenSince(RealStack.Stack.EVENT_SCOPE, replay) == events.size(),
        "the replay recorded");
    assertThat(allRaws()).isEqualTo(campaign.raws());
    rawLines(SCIENCE);
    assertThat(out.toString()).isEqualTo(scienceTable);
    assertThat(deadLettersOf(stray)).hasSize(1);
    assertThat(taggedScience()).isEqualTo(expectedScience);
  }

  /** "exposure detector" of the raws in the manifest's TAGGED selection, or none while it does not exist. */
  private Set<String> taggedScience() {
    if (run("query-datasets", REPO, "raw", "--collections", RealStack.Stack.EVENT_SCIENCE, "--limit", "0") != 0) {
      return Set.of();
    }
    return dataIdsOf(out.toString().lines().filter(line -> line.strip().startsWith("raw ")).toList());
  }

  /** The raw rows {@code query-datasets} prints for a where clause (its table less the header lines). */
  private List<String> rawLines(String where) {
    assertThat(run("query-datasets", REPO, "raw", "--collections", SyntheticRaws.RUN, "--where", where,
        "--limit", "0"))
        .as(err.toString()).isZero();
    return out.toString().lines().filter(line -> line.strip().startsWith("raw ")).toList();
  }

  private long allRaws() {
    return rawLines("instrument = 'LSSTComCam'").size();
  }

  /** "exposure detector" of each row, from the table's columns. */
  private Set<String> dataIdsOf(List<String> rows) {
    List<String> header = List.of(out.toString().lines().filter(l -> l.strip().startsWith("type ")).findFirst()
        .orElseThrow(() -> new AssertionError("no header in " + out)).strip().split("\\s+"));
    int exposure = header.indexOf("exposure");
    int detector = header.indexOf("detector");
    Set<String> ids = new TreeSet<>();
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      ids.add(cells[exposure] + " " + cells[detector]);
    }
    return ids;
  }

  /** The replica events the watcher would publish for a folder: its raws, then its {@code _index.json}. */
  private static List<ReplicaEvent> eventsOf(SyntheticRaws.ExposureFolder folder, Path data) {
    List<ReplicaEvent> events = new ArrayList<>();
    Path directory = Path.of(URI.create(folder.uri()));
    folder.raws().keySet().forEach(name -> events.add(event(directory.resolve(name), data)));
    events.add(event(directory.resolve(IndexFile.NAME), data));
    return events;
  }

  private static ReplicaEvent event(Path file, Path data) {
    try {
      byte[] content = Files.readAllBytes(file);
      Adler32 adler = new Adler32();
      adler.update(content);
      String relative = data.relativize(file).toString();
      String dataset = "Dataset/LSSTComCam/raw/" + relative.substring(0, relative.indexOf('/'));
      return new ReplicaEvent(RealStack.Stack.EVENT_SCOPE, "LSSTComCam/raw/" + relative, "IN2P3_RAW_DISK",
          file.toUri().toString(), (long) content.length, String.format("%08x", adler.getValue()),
          RealStack.Stack.EVENT_SCOPE, dataset, "raw_file", null, "poll", Instant.now());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String nightOf(String folderUri, Path data) {
    String relative = data.relativize(Path.of(URI.create(folderUri))).toString();
    return relative.substring(0, relative.indexOf('/'));
  }

  private void publish(List<ReplicaEvent> events) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (ReplicaEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.RUCIO_REPLICAS, event.key(), EventJson.write(event)));
      }
      producer.flush();
    }
  }

  /** The records of {@code rucio.replicas.dlq} that carry this file's event. */
  private List<ConsumerRecord<String, String>> deadLettersOf(Path file) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "event-ingest-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      int emptyPolls = 0;
      while (System.nanoTime() < deadline && (found.isEmpty() || emptyPolls < 3)) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        records.forEach(r -> {
          if (r.value().contains(file.getFileName().toString())) {
            found.add(r);
          }
        });
      }
    }
    return found;
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    ButlerSession.awaitTrue(condition, PATIENCE, what);
  }
}
