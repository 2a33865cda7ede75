package io.autobutler.ingest.pipeline;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.autobutler.testsupport.KafkaTopics.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch that fails with an error no retry cures (here PFNs that are not URIs, which the ingest cannot even look up)
 * is dead-lettered whole after {@code poison-attempts} tries (3 in the tests), and the events after it are processed.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_poison"))
@WithTestResource(KafkaResource.class)
@WithTestResource(ManifestResource.class)
class PoisonBatchTest {

  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;

  private final String dataset = "Dataset/LSSTComCam/raw/poison-" + UUID.randomUUID();

  private ReplicaEvent replica(String directory, String file) {
    return new ReplicaEvent("raw", "LSSTComCam/" + dataset + "/" + file, ComCamCampaign.RSE, directory + file, 100L,
        null, "raw", dataset, "raw_file", null, "poll", Instant.parse("2024-11-27T12:00:00Z"));
  }

  @Test
  void deadLettersABatchThatKeepsFailingAndGoesOn() throws Exception {
    repository.withComCam();
    String notAUri = "file:///data/not a uri/CC_O_20241126_000001/";
    List<ReplicaEvent> poison = List.of(replica(notAUri, "_index.json"),
        replica(notAUri, "CC_O_20241126_000001_R22_S00.fits"));
    String key = "raw:" + dataset;
    publish(Topics.RUCIO_REPLICAS, poison.stream().map(e -> Map.entry(key, EventJson.write(e))).toList());

    List<ConsumerRecord<String, String>> letters = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, key::equals, 2);
    assertThat(letters).extracting(ConsumerRecord::value)
        .containsExactlyElementsOf(poison.stream().map(EventJson::write).toList());
    assertThat(letters).allSatisfy(letter -> {
      assertThat(header(letter, "dead-letter-cause")).isEqualTo(IllegalArgumentException.class.getName());
      assertThat(header(letter, "dead-letter-reason")).contains("gave up after 3 attempts").contains("not a uri");
      assertThat(Long.parseLong(header(letter, "dead-letter-offset"))).isNotNegative();
    });
    assertThat(states(poison)).containsExactly(Map.entry(ReplicaLedger.State.REJECTED, 2L));

    // The stream goes on: the next event on the same partition is recorded (a raw waiting for its index).
    ReplicaEvent next = replica("file:///data/raw/CC_O_20241126_000002/", "CC_O_20241126_000002_R22_S00.fits");
    publish(Topics.RUCIO_REPLICAS, List.of(Map.entry(key, EventJson.write(next))));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(states(List.of(next)))
        .containsExactly(Map.entry(ReplicaLedger.State.PENDING, 1L)));
    assertThat(consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, key::equals, 2)).hasSize(2);
  }

  private Map<ReplicaLedger.State, Long> states(List<ReplicaEvent> events) throws Exception {
    return ledger.entries(events.stream().map(e -> new ReplicaLedger.Key(e.scope(), e.name(), e.rse())).toList())
        .stream().collect(java.util.stream.Collectors.groupingBy(ReplicaLedger.Entry::state,
            java.util.stream.Collectors.counting()));
  }
}
