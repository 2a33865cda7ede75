package io.autobutler.watcher.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.testsupport.KafkaBroker;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Replica events posted by hand reach a real broker, keyed by their Rucio dataset. Runs on embedded PostgreSQL. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = {
    @ResourceArg(name = "server", value = "embedded"), @ResourceArg(name = "prefix", value = "watcher_events")})
@WithTestResource(KafkaResource.class)
class ReplicaEventResourceTest {

  @Test
  void publishesEventsKeyedByDatasetAndRefusesBadOnes() {
    String dataset = "Dataset/LSSTComCam/raw/" + UUID.randomUUID();
    List<ReplicaEvent> events = List.of(
        new ReplicaEvent("raw", "a.fits", "IN2P3_RAW_DISK", "davs://host/raw/a.fits", 10L, "0000abcd", "raw", dataset,
            "raw_file", null, "manual", Instant.parse("2025-01-01T00:00:00Z")),
        new ReplicaEvent("raw", "b.fits", "IN2P3_RAW_DISK", "davs://host/raw/b.fits", 20L, "0000abce", "raw", dataset,
            "raw_file", null, "manual", Instant.parse("2025-01-01T00:00:01Z")));

    given().contentType(ContentType.JSON).body(EventJson.write(events))
        .post("/api/replica-events").then().statusCode(202).body("published", equalTo(2));

    List<ConsumerRecord<String, String>> records = consume("raw:" + dataset, 2);
    assertThat(records).extracting(r -> EventJson.read(r.value(), ReplicaEvent.class)).containsExactlyElementsOf(events);

    ReplicaEvent noRse = new ReplicaEvent("raw", "c.fits", null, "davs://host/raw/c.fits", 1L, null, "raw", dataset,
        null, null, "manual", null);
    given().contentType(ContentType.JSON).body(EventJson.write(List.of(events.get(0), noRse)))
        .post("/api/replica-events").then().statusCode(400)
        .body("error", containsString("replica event 2 of 2: rse is missing"));
    given().contentType(ContentType.JSON).body("[]")
        .post("/api/replica-events").then().statusCode(400).body("error", containsString("non-empty"));
    // The refused list published nothing: still only the first two on the topic.
    assertThat(consume("raw:" + dataset, 2)).hasSize(2);
  }

  private static List<ConsumerRecord<String, String>> consume(String key, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.RUCIO_REPLICAS));
      // Read until the expected records are in, then a little longer to catch any that should not be there.
      long deadline = System.currentTimeMillis() + 20_000;
      long quietUntil = Long.MAX_VALUE;
      while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
        consumer.poll(Duration.ofMillis(300)).forEach(r -> {
          if (key.equals(r.key())) {
            found.add(r);
          }
        });
        if (found.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.currentTimeMillis() + 1_500;
        }
      }
    }
    return found;
  }
}
