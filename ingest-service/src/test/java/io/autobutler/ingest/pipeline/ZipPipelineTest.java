package io.autobutler.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.testsupport.ButlerZips;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.KafkaTopics;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code ingest-zip} action through Kafka (Rubin's LSSTCam raws travel as butler zips with
 * {@code rubin_butler: zip_file}): the zip's records and raws go in, each raw recorded inside the zip; a file that
 * is not a zip lands on the dead-letter topic with the reason while the good zip goes in; a replay changes nothing.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_pipeline"))
@WithTestResource(KafkaResource.class)
@WithTestResource(ManifestResource.class)
class ZipPipelineTest {

  private static final String GOOD = "MC_O_20250614_000123";
  private static final String BAD = "MC_O_20250614_000124";

  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;

  @TempDir
  Path root;

  @Test
  void zipsGoInWithTheirRecordsAndABadOneIsDeadLettered() throws Exception {
    Registry registry = repository.create(ManifestResource.REPOSITORY,
        ManifestFileResource.text(ManifestResource.CAMPAIGN));
    Path zip = ButlerZips.write(root.resolve("LSSTCam/20250614/" + GOOD + ".zip"),
        ButlerZips.index(ButlerZips.LSSTCAM_RAWS));
    Path notZip = Files.writeString(root.resolve("LSSTCam/20250614/" + BAD + ".zip"), "not a zip");
    List<ReplicaEvent> events = List.of(event(zip), event(notZip));

    publish(events);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(states(events))
        .containsExactly(ReplicaLedger.State.INGESTED, ReplicaLedger.State.REJECTED));

    String uri = zip.toUri().toString();
    assertThat(paths(registry)).containsExactlyInAnyOrder(uri + "#zip-path=MC_O_20250614_000123_R22_S11.fits",
        uri + "#zip-path=MC_O_20250614_000123_R22_S12.fits");
    assertThat(PipelineRepository.count(registry, "exposure WHERE instrument = 'LSSTCam'")).isEqualTo(1);
    List<ConsumerRecord<String, String>> letters = KafkaTopics.consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX,
        key -> key.equals("raw:" + dataset(BAD)), 1);
    assertThat(KafkaTopics.header(letters.get(0), "dead-letter-reason")).contains("rule 'raw-zips'")
        .contains(notZip.getFileName().toString());
    List<IngestedEvent> summaries = KafkaTopics.consume(Topics.BUTLER_INGESTED,
        key -> key.equals("raw:" + dataset(GOOD)), 1).stream().map(r -> EventJson.read(r.value(), IngestedEvent.class))
        .toList();
    assertThat(summaries.get(0).run()).isEqualTo("LSSTCam/raw/all");
    assertThat(summaries.get(0).count()).isEqualTo(2);

    // A replay: the same states, the same datasets, no new dead letter.
    Set<UUID> before = ids(registry);
    publish(events);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lastSeenAfterReplay(events)).isTrue());
    assertThat(states(events)).containsExactly(ReplicaLedger.State.INGESTED, ReplicaLedger.State.REJECTED);
    assertThat(ids(registry)).isEqualTo(before);
  }

  private Instant replayedAt;

  private boolean lastSeenAfterReplay(List<ReplicaEvent> events) throws Exception {
    for (ReplicaEvent event : events) {
      if (!ledger.forDataset(event.datasetScope(), event.datasetName()).stream()
          .allMatch(r -> r.lastSeen().toInstant().isAfter(replayedAt))) {
        return false;
      }
    }
    return true;
  }

  /** The Rucio dataset of one observation's zip, as transfer_embargo names it. */
  private static String dataset(String obsId) {
    return "Dataset/LSSTCam/raw/Obs/20250614/" + obsId;
  }

  /** Each replica's state in the ledger, null while it has none: the ledger records a batch once it is processed. */
  private List<ReplicaLedger.State> states(List<ReplicaEvent> events) throws Exception {
    List<ReplicaLedger.State> states = new java.util.ArrayList<>();
    for (ReplicaEvent e : events) {
      List<ReplicaLedger.Entry> entries = ledger.entries(List.of(ReplicaLedger.Key.of(e)));
      states.add(entries.isEmpty() ? null : entries.get(0).state());
    }
    return states;
  }

  private static List<String> paths(Registry registry) {
    return registry.transaction(c -> {
      try (var ps = c.prepareStatement("SELECT path FROM file_datastore_records WHERE path LIKE '%#zip-path=%'");
           var rs = ps.executeQuery()) {
        List<String> paths = new java.util.ArrayList<>();
        while (rs.next()) {
          paths.add(rs.getString(1));
        }
        return paths;
      }
    });
  }

  private static Set<UUID> ids(Registry registry) {
    return registry.transaction(c -> {
      try (var ps = c.prepareStatement("SELECT id FROM dataset WHERE instrument = 'LSSTCam'");
           var rs = ps.executeQuery()) {
        Set<UUID> ids = new java.util.HashSet<>();
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
        return ids;
      }
    });
  }

  /** A zip's replica event, in the Rucio dataset of its observation. */
  private static ReplicaEvent event(Path zip) throws Exception {
    String name = zip.getFileName().toString();
    return new ReplicaEvent("raw", "LSSTCam/20250614/" + name, "TEST_RAW_DISK", zip.toUri().toString(),
        Files.size(zip), null, "raw", dataset(name.replace(".zip", "")), "zip_file", "", "hermes", Instant.now());
  }

  private void publish(List<ReplicaEvent> events) {
    replayedAt = Instant.now();
    KafkaTopics.publish(Topics.RUCIO_REPLICAS, events.stream().map(e -> Map.entry(e.key(), EventJson.write(e)))
        .toList());
  }
}
