package io.autobutler.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a Quarkus test at a real Kafka broker (see {@link KafkaBroker}). */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
  }

  @Override
  public void stop() {
    // The broker lives as long as the JVM so that test classes do not pay its start-up again.
  }
}
