package io.autobutler.ingest.pipeline;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.autobutler.testsupport.KafkaTopics.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Key;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code ingest-files} action through Kafka into a real registry: a small htm7 reference catalog whose one table
 * serves three Rucio datasets. Each complete dataset puts exactly its own rows in the run (matched on the PFN, or on
 * the file name when the PFN is another door's), with the table's URIs; the dataset type comes from the manifest's
 * setup; a complete dataset whose replicas are not recorded yet waits for them; a replay changes nothing; a rule
 * whose table is malformed is dead-lettered with the line while the other datasets go in.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_files"))
@WithTestResource(KafkaResource.class)
@WithTestResource(DatasetFilesIngestTest.FilesManifest.class)
class DatasetFilesIngestTest {

  /** src/test/resources/files-campaign/manifest.yaml, read in place so that its relative tables resolve. */
  public static class FilesManifest extends ManifestFileResource {
    static final String CAMPAIGN = "files-campaign";

    public FilesManifest() {
      super(CAMPAIGN, Map.of("autobutler.ingest.poison-attempts", "2"));
    }
  }

  private static final String REPOSITORY = "refcats";
  private static final String RSE = "TEST_RAW_DISK";
  private static final String RUN = "refcats/DM-49042/the_monster_test";
  private static final String PREFIX = "davs://refcats.example:2880/pnfs/lsst/raw/refcats/the_monster_test/";
  private static final String OTHER_DOOR = "davs://door2.example:2880/pnfs/lsst/raw/refcats/the_monster_test/";
  private static final String FIRST = "Dataset/refcats/the_monster_test_1";
  private static final String SECOND = "Dataset/refcats/the_monster_test_2";
  private static final String THIRD = "Dataset/refcats/the_monster_test_3";
  private static final String BROKEN = "Dataset/refcats/broken_1";

  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;

  @Test
  void ingestsEachCompleteDatasetsRowsIgnoresReplaysAndDeadLettersAMalformedTable() throws Exception {
    Registry registry = repository.create(REPOSITORY, ManifestFileResource.text(FilesManifest.CAMPAIGN));
    // Three Rucio datasets share the table: the first's PFNs are the table's URIs; the second's come through
    // another door (one of them) and it holds a file no row names; the third never completes.
    List<ReplicaEvent> first = List.of(replica(FIRST, PREFIX, "146812.fits"), replica(FIRST, PREFIX, "146813.fits"),
        replica(FIRST, PREFIX, "146814.fits"));
    List<ReplicaEvent> second = List.of(replica(SECOND, PREFIX, "146815.fits"),
        replica(SECOND, OTHER_DOOR, "146816.fits"), replica(SECOND, PREFIX, "README.txt"));
    List<ReplicaEvent> third = List.of(replica(THIRD, PREFIX, "146817.fits"));
    List<ReplicaEvent> broken = List.of(replica(BROKEN, "davs://refcats.example:2880/pnfs/lsst/raw/refcats/broken/",
        "146812.fits"));
    publishReplicas(first, third, broken);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        ledger.entries(keys(first, third, broken))).hasSize(5));

    // The first dataset completes: its three rows go in, nothing else; the dataset type comes from the setup.
    publish(Topics.RUCIO_DATASETS, datasets(complete(FIRST, 3)));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inRun(registry)).hasSize(3));
    assertThat(inRun(registry)).containsExactlyInAnyOrderEntriesOf(Map.of(146812L, PREFIX + "146812.fits",
        146813L, PREFIX + "146813.fits", 146814L, PREFIX + "146814.fits"));
    DatasetType type = registry.transaction(c -> registry.datasetTypes().get(c, "the_monster_test"));
    assertThat(type.storageClass()).isEqualTo("SimpleCatalog");
    assertThat(type.dimensions().required()).containsExactly("htm7");
    Map<Long, UUID> ids = idsInRun(registry);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger.entries(keys(first)))
        .allSatisfy(e -> assertThat(e.state()).isEqualTo(State.INGESTED)));
    for (Entry entry : ledger.entries(keys(first))) {
      long htm7 = Long.parseLong(entry.key().name().replaceAll(".*/(\\d+)\\.fits", "$1"));
      assertThat(entry.datasetId()).isEqualTo(ids.get(htm7));
    }

    // The malformed table's dataset, then the second dataset before its replicas are recorded: the first is
    // dead-lettered with the line, the second waits for its replicas and goes in.
    publish(Topics.RUCIO_DATASETS, datasets(complete(BROKEN, 1), complete(SECOND, 3)));
    Thread.sleep(500);
    publishReplicas(second);
    List<ConsumerRecord<String, String>> letters = consume(Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX,
        ("raw:" + BROKEN)::equals, 1);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).value()).isEqualTo(EventJson.write(complete(BROKEN, 1)));
    assertThat(header(letters.get(0), "dead-letter-cause")).isEqualTo(RegistryException.class.getName());
    assertThat(header(letters.get(0), "dead-letter-reason")).contains("rule 'broken-table'")
        .contains("broken.ecsv: line 9").contains("'seven'");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inRun(registry)).hasSize(5));
    Map<Long, String> expected = new LinkedHashMap<>();
    for (long htm7 = 146812; htm7 <= 146816; htm7++) {
      expected.put(htm7, PREFIX + htm7 + ".fits");
    }
    assertThat(inRun(registry)).containsExactlyEntriesOf(expected);
    assertThat(PipelineRepository.count(registry, "dataset")).isEqualTo(5);
    assertThat(collections(registry)).doesNotContain("refcats/broken");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(states(second)).containsExactly(
        State.INGESTED, State.INGESTED, State.SKIPPED));

    // One summary per completed dataset: its rows in the run, first and last htm7.
    List<IngestedEvent> summaries = summaries(2);
    assertThat(summaries).extracting(IngestedEvent::sourceDid, IngestedEvent::count, IngestedEvent::run,
            IngestedEvent::datasetType)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("raw:" + FIRST, 3, RUN, "the_monster_test"),
            org.assertj.core.groups.Tuple.tuple("raw:" + SECOND, 2, RUN, "the_monster_test"));
    IngestedEvent ofFirst = summaries.stream().filter(s -> s.sourceDid().equals("raw:" + FIRST)).findFirst()
        .orElseThrow();
    assertThat(ofFirst.firstDataId()).containsEntry("htm7", 146812);
    assertThat(ofFirst.lastDataId()).containsEntry("htm7", 146814);

    // A replay of both completions: summaries again, the registry unchanged (same ids, same files).
    Map<Long, UUID> before = idsInRun(registry);
    publish(Topics.RUCIO_DATASETS, datasets(complete(FIRST, 3), complete(SECOND, 3)));
    assertThat(summaries(summaries.size() + 2)).hasSizeGreaterThanOrEqualTo(summaries.size() + 2);
    assertThat(idsInRun(registry)).isEqualTo(before);
    assertThat(inRun(registry)).containsExactlyEntriesOf(expected);
    assertThat(PipelineRepository.count(registry, "dataset")).isEqualTo(5);
    assertThat(PipelineRepository.count(registry, "file_datastore_records")).isEqualTo(5);
    assertThat(consume(Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX, k -> k.startsWith("raw:Dataset/refcats/"), 1))
        .hasSize(1);
  }

  private static ReplicaEvent replica(String dataset, String directory, String file) {
    String name = directory.substring(directory.indexOf("refcats/")) + file;
    return new ReplicaEvent("raw", name, RSE, directory + file, 1000L, "0a1b2c3d", "raw", dataset, null, null,
        "poll", Instant.parse("2025-02-20T10:00:00Z"));
  }

  private static DatasetEvent complete(String dataset, int files) {
    return new DatasetEvent("raw", dataset, RSE, files, files * 1000L, Instant.parse("2025-02-20T10:05:00Z"));
  }

  @SafeVarargs
  private static void publishReplicas(List<ReplicaEvent>... groups) {
    publish(Topics.RUCIO_REPLICAS, Arrays.stream(groups).flatMap(List::stream)
        .map(e -> Map.entry(e.key(), EventJson.write(e))).toList());
  }

  private static List<Map.Entry<String, String>> datasets(DatasetEvent... events) {
    return Arrays.stream(events).map(e -> Map.entry(e.key(), EventJson.write(e))).toList();
  }

  @SafeVarargs
  private static List<Key> keys(List<ReplicaEvent>... groups) {
    return Arrays.stream(groups).flatMap(List::stream).map(e -> new Key(e.scope(), e.name(), e.rse())).toList();
  }

  /** The states of a group's replicas, in the group's order. */
  private List<State> states(List<ReplicaEvent> group) throws Exception {
    Map<Key, State> byKey = ledger.entries(keys(group)).stream().collect(Collectors.toMap(Entry::key, Entry::state));
    return keys(group).stream().map(byKey::get).toList();
  }

  /** The summaries of the test's refcat datasets on butler.ingested, once there are at least {@code expected}. */
  private static List<IngestedEvent> summaries(int expected) {
    return consume(Topics.BUTLER_INGESTED, k -> k.startsWith("raw:Dataset/refcats/the_monster_test_"), expected)
        .stream().map(r -> EventJson.read(r.value(), IngestedEvent.class)).toList();
  }

  /** The run's refcat shards: htm7 to file URI, by htm7. */
  private static Map<Long, String> inRun(Registry registry) {
    return registry.transaction(c -> {
      Map<Long, String> found = new LinkedHashMap<>();
      try (var ps = c.prepareStatement("SELECT d.htm7, f.path FROM dataset d JOIN collection r"
          + " ON r.collection_id = d.run_id JOIN file_datastore_records f ON f.dataset_id = d.id WHERE r.name = ?"
          + " ORDER BY d.htm7")) {
        ps.setString(1, RUN);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getLong(1), rs.getString(2));
          }
        }
      }
      return found;
    });
  }

  private static Map<Long, UUID> idsInRun(Registry registry) {
    return registry.transaction(c -> {
      Map<Long, UUID> found = new LinkedHashMap<>();
      try (var ps = c.prepareStatement("SELECT d.htm7, d.id FROM dataset d JOIN collection r"
          + " ON r.collection_id = d.run_id WHERE r.name = ? ORDER BY d.htm7")) {
        ps.setString(1, RUN);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getLong(1), rs.getObject(2, UUID.class));
          }
        }
      }
      return found;
    });
  }

  private static List<String> collections(Registry registry) {
    return registry.transaction(c -> registry.collections().all(c).values().stream()
        .map(io.autobutler.core.registry.collections.CollectionRecord::name).toList());
  }
}
