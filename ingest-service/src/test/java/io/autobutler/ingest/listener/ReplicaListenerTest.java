package io.autobutler.ingest.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.testsupport.KafkaBroker;
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
    try (KafkaProducer<String, String> producer = producer()) {
      for (ReplicaEvent event : good) {
        producer.send(new ProducerRecord<>(Topics.RUCIO_REPLICAS, key, EventJson.write(event)));
      }
      producer.send(new ProducerRecord<>(Topics.RUCIO_REPLICAS, key, "{not json"));
      producer.send(new ProducerRecord<>(Topics.RUCIO_REPLICAS, key, noPfn));
      producer.flush();
    }

    await().atMost(Duration.ofSeconds(30)).untilAsserted(
        () -> assertThat(ledger.forDataset("raw", dataset)).hasSize(3));
    List<ReplicaLedger.Replica> recorded = ledger.forDataset("raw", dataset);
    assertThat(recorded).extracting(ReplicaLedger.Replica::pfn)
        .containsExactlyElementsOf(good.stream().map(ReplicaEvent::pfn).toList());
    assertThat(recorded.get(1).bytes()).isEqualTo(16_000_001L);
    assertThat(recorded.get(1).adler32()).isEqualTo("0a1b2c31");

    List<ConsumerRecord<String, String>> deadLetters = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, key, 2);
    // The original records, untouched.
    assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly("{not json", noPfn);
    assertThat(header(deadLetters.get(0), "dead-letter-reason")).contains("not a valid ReplicaEvent at line 1");
    assertThat(header(deadLetters.get(1), "dead-letter-reason")).contains("pfn is missing")
        .contains("adler32 'zz' is not up to 8 hex digits");
    assertThat(header(deadLetters.get(1), "dead-letter-cause")).endsWith("MalformedEventException");
    assertThat(header(deadLetters.get(1), "dead-letter-topic")).isEqualTo(Topics.RUCIO_REPLICAS);

    // At-least-once delivery: the same events again change nothing but last_seen.
    long before = ledger.count();
    try (KafkaProducer<String, String> producer = producer()) {
      for (ReplicaEvent event : good) {
        producer.send(new ProducerRecord<>(Topics.RUCIO_REPLICAS, key, EventJson.write(event)));
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger.forDataset("raw", dataset))
        .allSatisfy(r -> assertThat(r.lastSeen()).isAfter(r.firstSeen())));
    assertThat(ledger.count()).isEqualTo(before);
    assertThat(ledger.forDataset("raw", dataset)).extracting(ReplicaLedger.Replica::firstSeen)
        .containsExactlyElementsOf(recorded.stream().map(ReplicaLedger.Replica::firstSeen).toList());
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static List<ConsumerRecord<String, String>> consume(String topic, String key, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (found.size() < expected && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          if (key.equals(r.key())) {
            found.add(r);
          }
        });
      }
    }
    assertThat(found).hasSize(expected);
    return found;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
