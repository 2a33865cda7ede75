package io.autobutler.ingest.listener;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.autobutler.testsupport.KafkaTopics.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/** Replica events through a real broker into a real PostgreSQL, bad ones onto the dead-letter topic. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_replicas"))
@WithTestResource(KafkaResource.class)
class ReplicaListenerTest {

  @Inject
  ReplicaLedger ledger;

  private final String dataset = "Dataset/LSSTComCam/raw/" + UUID.randomUUID();

  private ReplicaEvent replica(int detector) {
    String name = "LSSTComCam/20241108/CC_O_20241108_000123/CC_O_20241108_000123_R22_S0" + detector + ".fits";
    return new ReplicaEvent("raw", name, "IN2P3_RAW_DISK",
        "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/raw/" + name, 16_000_000L + detector,
        "0a1b2c3" + detector, "raw", dataset, "raw_file", null, "poll", Instant.parse("2024-11-08T12:00:00Z"));
  }

  @Test
  void recordsGoodEventsDeadLettersBadOnesAndIgnoresReplays() throws Exception {
    List<ReplicaEvent> good = List.of(replica(0), replica(1), replica(2));
    String key = "raw:" + dataset;
    String noPfn = EventJson.write(new ReplicaEvent("raw", "no-pfn.fits", "IN2P3_RAW_DISK", null, 1L, "zz", "raw",
        dataset, null, null, "poll", Instant.now()));
    List<Map.Entry<String, String>> records = new ArrayList<>();
    good.forEach(event -> records.add(record(key, EventJson.write(event))));
    records.add(record(key, "{not json"));
    records.add(record(key, noPfn));
    publish(Topics.RUCIO_REPLICAS, records);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(
        () -> assertThat(ledger.forDataset("raw", dataset)).hasSize(3));
    List<ReplicaLedger.Replica> recorded = ledger.forDataset("raw", dataset);
    assertThat(recorded).extracting(ReplicaLedger.Replica::pfn)
        .containsExactlyElementsOf(good.stream().map(ReplicaEvent::pfn).toList());
    assertThat(recorded.get(1).bytes()).isEqualTo(16_000_001L);
    assertThat(recorded.get(1).adler32()).isEqualTo("0a1b2c31");

    List<ConsumerRecord<String, String>> deadLetters = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, key::equals,
        2);
    assertThat(deadLetters).hasSize(2);
    // The original records, untouched.
    assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly("{not json", noPfn);
    assertThat(header(deadLetters.get(0), "dead-letter-reason")).contains("not a valid ReplicaEvent at line 1");
    assertThat(header(deadLetters.get(1), "dead-letter-reason")).contains("pfn is missing")
        .contains("adler32 'zz' is not up to 8 hex digits");
    assertThat(header(deadLetters.get(1), "dead-letter-cause")).endsWith("MalformedEventException");
    assertThat(header(deadLetters.get(1), "dead-letter-topic")).isEqualTo(Topics.RUCIO_REPLICAS);

    // At-least-once delivery: the same events again change nothing but last_seen.
    long before = ledger.count();
    publish(Topics.RUCIO_REPLICAS, good.stream().map(event -> record(key, EventJson.write(event))).toList());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger.forDataset("raw", dataset))
        .allSatisfy(r -> assertThat(r.lastSeen()).isAfter(r.firstSeen())));
    assertThat(ledger.count()).isEqualTo(before);
    assertThat(ledger.forDataset("raw", dataset)).extracting(ReplicaLedger.Replica::firstSeen)
        .containsExactlyElementsOf(recorded.stream().map(ReplicaLedger.Replica::firstSeen).toList());
  }

  private static Map.Entry<String, String> record(String key, String value) {
    return Map.entry(key, value);
  }
}
