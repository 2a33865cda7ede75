package io.autobutler.watcher.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.autobutler.core.event.Topics;
import io.autobutler.testsupport.KafkaBroker;

/** Everything committed on rucio.replicas and rucio.datasets, read by a background consumer as it arrives. */
final class EventLog implements AutoCloseable {

  private final List<ConsumerRecord<String, String>> records = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  EventLog() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "event-log-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer());
    consumer.subscribe(List.of(Topics.RUCIO_REPLICAS, Topics.RUCIO_DATASETS));
    thread = new Thread(() -> {
      try (consumer) {
        while (running) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            synchronized (records) {
              records.add(r);
            }
          }
        }
      }
    }, "event-log");
    thread.setDaemon(true);
    thread.start();
  }

  List<ConsumerRecord<String, String>> on(String topic, Predicate<ConsumerRecord<String, String>> filter) {
    synchronized (records) {
      return records.stream().filter(r -> r.topic().equals(topic)).filter(filter).toList();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
