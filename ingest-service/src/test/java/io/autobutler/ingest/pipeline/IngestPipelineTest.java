package io.autobutler.ingest.pipeline;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.KafkaTopics;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A generated multi-night ComCam campaign through Kafka into a real registry: the science raws are the generated
 * ones, a replay changes nothing, and poisoned files land on the dead-letter topic with their reasons.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_pipeline"))
@WithTestResource(KafkaResource.class)
@WithTestResource(ManifestResource.class)
class IngestPipelineTest {

  private static final LocalDate FIRST_NIGHT = LocalDate.of(2024, 11, 26);

  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;

  @TempDir
  Path root;

  @Test
  void ingestsACampaignDeadLettersPoisonAndIgnoresReplays() throws Exception {
    Registry registry = repository.withComCam();
    ComCamCampaign campaign = new ComCamCampaign(root).generate(FIRST_NIGHT, 3, 4);
    LocalDate second = FIRST_NIGHT.plusDays(1);
    // Poison: a folder whose index is not JSON, and a file its folder's index does not describe.
    List<ComCamCampaign.File> badFolder = campaign.exposure(second, 9, true, true);
    ComCamCampaign.File stray = campaign.stray(second, 1);
    Set<String> keys = campaign.files.stream().map(f -> f.event().key()).collect(Collectors.toSet());

    // The first night's raws land before their indexes: they wait in the ledger.
    List<ReplicaEvent> firstRaws = campaign.files.stream()
        .filter(f -> !f.isIndex() && f.event().datasetName().equals(campaign.dataset(FIRST_NIGHT)))
        .map(ComCamCampaign.File::event).toList();
    publish(firstRaws);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        ledger.forDataset("raw", campaign.dataset(FIRST_NIGHT))).hasSize(firstRaws.size()));
    assertThat(ledger.waitingFor("_index.json")).isGreaterThanOrEqualTo(firstRaws.size());
    assertThat(PipelineRepository.rawCount(registry)).isZero();

    // Then everything else, indexes first for the other nights.
    List<ReplicaEvent> rest = new ArrayList<>();
    campaign.files.stream().filter(ComCamCampaign.File::isIndex).forEach(f -> rest.add(f.event()));
    campaign.files.stream().filter(f -> !f.isIndex() && !firstRaws.contains(f.event())).forEach(f -> rest.add(f.event()));
    publish(rest);

    long files = campaign.files.size();
    long rejected = badFolder.size() + 1;
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(settled(campaign))
        .containsEntry(ReplicaLedger.State.INGESTED, files - rejected)
        .containsEntry(ReplicaLedger.State.REJECTED, rejected));

    assertThat(PipelineRepository.scienceIds(registry)).containsExactlyInAnyOrderElementsOf(campaign.scienceIds());
    assertThat(PipelineRepository.rawCount(registry)).isEqualTo(campaign.goodRaws());

    List<ConsumerRecord<String, String>> deadLetters = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, keys::contains,
        (int) rejected);
    assertThat(deadLetters).extracting(r -> header(r, "dead-letter-cause")).contains(
        "io.autobutler.core.ingest.index.IndexFormatException", "io.autobutler.core.ingest.RawIngester.Stage.METADATA");
    ConsumerRecord<String, String> strayLetter = deadLetters.stream()
        .filter(r -> r.value().contains("_R22_S99.fits")).findFirst().orElseThrow();
    assertThat(header(strayLetter, "dead-letter-reason")).contains("no metadata");
    assertThat(EventJson.read(strayLetter.value(), ReplicaEvent.class).pfn()).isEqualTo(stray.event().pfn());
    assertThat(deadLetters.stream().filter(r -> r.value().contains("CC_O_20241127_000009"))
        .map(r -> header(r, "dead-letter-reason"))).hasSize(badFolder.size()).allSatisfy(reason -> assertThat(reason)
        .contains("not valid JSON"));

    List<IngestedEvent> summaries = consume(Topics.BUTLER_INGESTED, keys::contains, 3).stream()
        .map(r -> EventJson.read(r.value(), IngestedEvent.class)).toList();
    assertThat(summaries).allSatisfy(s -> {
      assertThat(s.run()).isEqualTo(ComCamCampaign.RUN);
      assertThat(s.datasetType()).isEqualTo("raw");
      assertThat(s.repository()).isEqualTo(ManifestResource.REPOSITORY);
    });
    assertThat(summaries.stream().mapToInt(IngestedEvent::count).sum()).isGreaterThanOrEqualTo(
        (int) campaign.goodRaws());
    assertThat(PipelineRepository.count(registry, "visit")).isEqualTo(6);

    // Replaying every event changes nothing: same ledger states, same raws, no new dead letters.
    Map<ReplicaLedger.State, Long> before = settled(campaign);
    Instant replayed = Instant.now();
    publish(campaign.files.stream().map(ComCamCampaign.File::event).toList());
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      for (int night = 0; night < 3; night++) {
        assertThat(ledger.forDataset("raw", campaign.dataset(FIRST_NIGHT.plusDays(night))))
            .allSatisfy(r -> assertThat(r.lastSeen().toInstant()).isAfter(replayed));
      }
    });
    assertThat(settled(campaign)).isEqualTo(before);
    assertThat(PipelineRepository.scienceIds(registry)).containsExactlyInAnyOrderElementsOf(campaign.scienceIds());
    assertThat(PipelineRepository.rawCount(registry)).isEqualTo(campaign.goodRaws());
    assertThat(consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, keys::contains, (int) rejected)).hasSize((int) rejected);
  }

  /** How many of the campaign's replicas are in each state. */
  private Map<ReplicaLedger.State, Long> settled(ComCamCampaign campaign) throws Exception {
    List<ReplicaLedger.Key> keys = campaign.files.stream()
        .map(f -> new ReplicaLedger.Key(f.event().scope(), f.event().name(), f.event().rse())).toList();
    return ledger.entries(keys).stream().collect(Collectors.groupingBy(ReplicaLedger.Entry::state,
        Collectors.counting()));
  }

  private static void publish(List<ReplicaEvent> events) {
    KafkaTopics.publish(Topics.RUCIO_REPLICAS, events.stream().map(e -> Map.entry(e.key(), EventJson.write(e)))
        .toList());
  }
}
