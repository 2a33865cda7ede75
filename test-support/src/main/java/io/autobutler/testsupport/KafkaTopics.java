package io.autobutler.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tests' side of the test broker ({@link KafkaBroker}): records published as a service would, topics read from
 * the start.
 */
public final class KafkaTopics {

  private KafkaTopics() {
  }

  /** Publishes (key, value) records on {@code topic}, in order, and waits until the broker has them. */
  public static void publish(String topic, List<Map.Entry<String, String>> records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (Map.Entry<String, String> record : records) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
      }
      producer.flush();
    }
  }

  /**
   * The records of {@code topic} whose key {@code keys} accepts, read from the start once there are at least
   * {@code expected} (30 s at most), then whatever else is already there, so that a duplicate shows.
   *
   * @throws AssertionError when fewer than {@code expected} came in time
   */
  public static List<ConsumerRecord<String, String>> consume(String topic, Predicate<String> keys, int expected) {
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
          if (keys.test(r.key())) {
            found.add(r);
          }
        });
      }
      consumer.poll(Duration.ofMillis(1000)).forEach(r -> {
        if (keys.test(r.key())) {
          found.add(r);
        }
      });
    }
    if (found.size() < expected) {
      throw new AssertionError("expected at least " + expected + " records on " + topic + " within 30 s, found "
          + found.size() + ": " + found);
    }
    return found;
  }

  /** The records of {@code topic}, whatever their key, as {@link #consume(String, Predicate, int)} reads them. */
  public static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
    return consume(topic, key -> true, expected);
  }

  /** A header's value as text. */
  public static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
