package io.autobutler.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Raws recorded in the ledger together with their directory's index but never ingested (the service stopped between
 * recording a batch and ingesting it): the sweep ingests them without any new event on Kafka.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_sweep"))
@WithTestResource(KafkaResource.class)
@WithTestResource(ManifestResource.class)
class PendingSweepTest {

  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;

  @TempDir
  Path root;

  @Test
  void ingestsRawsLeftPendingBesideARecordedIndex() throws Exception {
    Registry registry = repository.withComCam();
    ComCamCampaign campaign = new ComCamCampaign(root).generate(LocalDate.of(2024, 12, 3), 2, 3);
    // A directory whose raws are recorded but not its index: they must keep waiting.
    List<ComCamCampaign.File> exposure = campaign.exposure(LocalDate.of(2024, 12, 3), 7, true, false);
    List<ComCamCampaign.File> unindexed = exposure.stream().filter(f -> !f.isIndex()).toList();
    List<ComCamCampaign.File> complete = campaign.files.stream().filter(f -> !exposure.contains(f)).toList();

    // What the service had recorded when it stopped before ingesting: nothing settled, nothing on Kafka.
    ledger.record(Stream.concat(complete.stream(), unindexed.stream())
        .map(ComCamCampaign.File::event).toList());
    assertThat(states(complete)).containsOnlyKeys(ReplicaLedger.State.PENDING);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(states(complete))
        .containsExactly(Map.entry(ReplicaLedger.State.INGESTED, (long) complete.size())));
    List<UUID> expected = complete.stream().filter(f -> f.science() && f.dataId() != null)
        .map(f -> DatasetIds.forRun("raw", ComCamCampaign.RUN, f.dataId())).toList();
    assertThat(expected).isNotEmpty();
    assertThat(PipelineRepository.scienceIds(registry)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(PipelineRepository.rawCount(registry)).isEqualTo(complete.stream().filter(f -> f.dataId() != null)
        .count());
    assertThat(states(unindexed)).containsExactly(Map.entry(ReplicaLedger.State.PENDING, (long) unindexed.size()));
    assertThat(ledger.waitingFor("_index.json")).isEqualTo(unindexed.size());
  }

  private Map<ReplicaLedger.State, Long> states(List<ComCamCampaign.File> files) throws Exception {
    List<ReplicaLedger.Key> keys = files.stream()
        .map(f -> new ReplicaLedger.Key(f.event().scope(), f.event().name(), f.event().rse())).toList();
    return ledger.entries(keys).stream().collect(Collectors.groupingBy(ReplicaLedger.Entry::state,
        Collectors.counting()));
  }
}
