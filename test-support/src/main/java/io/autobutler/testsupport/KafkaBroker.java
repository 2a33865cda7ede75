package io.autobutler.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker for tests: the one at {@code KAFKA_BOOTSTRAP_SERVERS} when set, otherwise a single
 * combined KRaft node started in this JVM (Kafka's own test kit), once per JVM.
 */
public final class KafkaBroker {

  public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

  private static String bootstrap;
  private static KafkaClusterTestKit cluster;

  private KafkaBroker() {
  }

  public static synchronized String bootstrapServers() {
    if (bootstrap != null) {
      return bootstrap;
    }
    String fromEnv = System.getenv(BOOTSTRAP_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      bootstrap = fromEnv;
      return bootstrap;
    }
    // On a fatal fault (seen while it shuts down at the end of a run) the broker halts the JVM, which turns a
    // passing test JVM into a crashed fork. In a test JVM the broker reports instead.
    Exit.setExitProcedure((status, message) -> System.err.println("in-JVM Kafka broker asked to exit(" + status
        + "): " + message));
    Exit.setHaltProcedure((status, message) -> System.err.println("in-JVM Kafka broker asked to halt(" + status
        + "): " + message));
    try {
      cluster = new KafkaClusterTestKit.Builder(
          new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
          .setConfigProp("auto.create.topics.enable", "true")
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "3")
          // one broker: transactional producers need the transaction log on it, as deploy/kafka configures it
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
    }
    bootstrap = cluster.bootstrapServers();
    Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stop));
    return bootstrap;
  }

  /** Stops the in-JVM broker, if this JVM started one; a later call is a no-op. */
  public static synchronized void stop() {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      System.err.println("in-JVM Kafka broker did not close cleanly: " + e);
    } finally {
      cluster = null;
      bootstrap = null;
    }
  }

  /** Creates the topics (name → partitions) that do not exist yet. */
  public static void createTopics(Map<String, Integer> partitionsByTopic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> topics = partitionsByTopic.entrySet().stream()
          .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
          .toList();
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
