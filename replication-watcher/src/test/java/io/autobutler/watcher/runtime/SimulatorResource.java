package io.autobutler.watcher.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.autobutler.core.event.Topics;
import io.autobutler.simulator.RucioSimulator;
import io.autobutler.testsupport.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the Rucio simulator in this JVM, publishing Hermes messages to the test broker, and points the watcher at
 * it. Polls run when a test asks (the scheduled one is an hour apart), so that each test decides what the poll sees.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

  public static final String HERMES_TOPIC = "IN2P3_RAW_DISK-raw";
  private static RucioSimulator simulator;

  public static RucioSimulator simulator() {
    return simulator;
  }

  @Override
  public Map<String, String> start() {
    Map<String, Integer> topics = new LinkedHashMap<>(Topics.all());
    topics.put(HERMES_TOPIC, 3);
    KafkaBroker.createTopics(topics);
    simulator = RucioSimulator.start(RucioSimulator.Settings.defaults(KafkaBroker.bootstrapServers()), 0);
    Map<String, String> config = new LinkedHashMap<>();
    config.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
    config.put("autobutler.watcher.rucio.url", simulator.baseUrl());
    config.put("autobutler.watcher.rucio.username", "autobutler");
    config.put("autobutler.watcher.rucio.password", "secret");
    config.put("autobutler.watcher.rucio.account", "autobutler");
    config.put("autobutler.watcher.rucio.attempts", "4");
    config.put("autobutler.watcher.rse", "IN2P3_RAW_DISK");
    config.put("autobutler.watcher.scopes", "raw");
    config.put("autobutler.watcher.dataset-patterns", "Dataset/*");
    config.put("autobutler.watcher.hermes.topics", HERMES_TOPIC);
    config.put("autobutler.watcher.hermes.group-id", "watcher-test-" + UUID.randomUUID());
    config.put("autobutler.watcher.poll.interval", "PT1H");
    config.put("autobutler.watcher.poll.overlap", "PT2S");
    config.put("autobutler.watcher.poll.batch-size", "7");
    config.put("autobutler.watcher.poll.datasets-per-request", "2");
    config.put("autobutler.watcher.transactional-id", "watcher-test-" + UUID.randomUUID());
    return config;
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
      simulator = null;
    }
  }
}
