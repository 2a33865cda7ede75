package io.autobutler.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.FreePorts;
import io.autobutler.cli.ProjectHome;
import io.autobutler.core.event.Topics;
import picocli.CommandLine;

/**
 * The infrastructure half of the local stack, for real: the Kafka broker process from deploy/kafka/target/libs
 * and the embedded PostgreSQL process, on free ports in a temporary state folder, next to anything already
 * running on the default ports. Then {@code down} and a check that no process is left.
 */
class LocalStackInfraTest {

  @TempDir
  Path state;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Long> started = new ArrayList<>();
  private StackConfig config;
  private LocalStack stack;

  @BeforeEach
  void setUp() throws IOException {
    Path root = ProjectHome.locate(Map.of());
    Path libs = root.resolve("deploy/kafka/target/libs");
    assertThat(libs)
        .as("the Kafka broker jars must be built before this test (./mvnw -B -DskipTests package -pl deploy/kafka);"
            + " the reactor builds deploy/kafka before autobutler-cli")
        .isDirectory();
    int[] ports = FreePorts.of(6);
    CommandLine cl = AutobutlerCommand.commandLine(Map.of());
    CommandLine.ParseResult parsed = cl.parseArgs("up",
        "--state-dir", state.toString(),
        "--kafka-port", Integer.toString(ports[0]),
        "--kafka-controller-port", Integer.toString(ports[1]),
        "--postgres", "embedded",
        "--embedded-postgres-port", Integer.toString(ports[2]),
        "--db-url", "jdbc:postgresql://127.0.0.1:" + ports[3] + "/autobutler_test",
        "--catalog-port", Integer.toString(ports[4]),
        "--timeout", "90");
    StackOptions options = ((UpCommand) parsed.subcommand().commandSpec().userObject()).options;
    config = StackConfig.resolve(options, Map.of(), root);
    stack = new LocalStack(config, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @AfterEach
  void leaveNothingRunning() {
    stack.down();
    for (long pid : started) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void kafkaAndEmbeddedPostgresStartAnswerAndStopCleanly() throws Exception {
    stack.startKafka();
    long kafkaPid = pid(LocalStack.KAFKA);
    started.add(kafkaPid);
    assertThat(err.toString()).contains("kafka: starting on " + config.kafkaBootstrap(), "kafka: 8 topics ready");

    // the topics are there with their partition counts
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    try (Admin admin = Admin.create(props)) {
      Map<String, TopicDescription> topics = admin.describeTopics(Set.copyOf(Topics.all().keySet()))
          .allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(topics.get(Topics.RUCIO_REPLICAS).partitions()).hasSizeGreaterThanOrEqualTo(3);
      Topics.all().forEach((name, partitions) ->
          assertThat(topics.get(name).partitions()).as(name).hasSize(partitions));
    }

    // a second start finds the broker and starts no other
    stack.startKafka();
    assertThat(pid(LocalStack.KAFKA)).isEqualTo(kafkaPid);
    assertThat(err.toString()).contains("kafka: already running");

    LocalStack.Registry registry = stack.startPostgres();
    long postgresPid = pid(LocalStack.POSTGRES);
    started.add(postgresPid);
    assertThat(registry.embedded()).isTrue();
    assertThat(registry.server().url().port()).isEqualTo(config.embeddedPostgresPort());
    assertThat(registry.server().probe()).isEqualTo(PostgresServer.Probe.UP);
    long postmaster = postmasterPid();
    started.add(postmaster);

    out.getBuffer().setLength(0);
    assertThat(stack.status()).as("services are not running").isFalse();
    assertThat(out.toString().lines()).contains(
        "catalog-service http://127.0.0.1:" + config.port(Service.CATALOG_SERVICE) + " not running",
        "kafka " + config.kafkaBootstrap() + " UP",
        "postgresql postgresql://127.0.0.1:" + config.embeddedPostgresPort() + "/autobutler_test UP");
    assertThat(out.toString()).doesNotContain("password", "postgres@");

    out.getBuffer().setLength(0);
    stack.down();
    assertThat(out.toString()).contains("stopped kafka (pid " + kafkaPid + ")",
        "stopped postgres (pid " + postgresPid + ")");
    for (long pid : List.of(kafkaPid, postgresPid, postmaster)) {
      assertThat(ProcessHandle.of(pid).filter(ProcessControl::isRunning)).as("process %d left running", pid).isEmpty();
    }
    assertThat(config.pidFile(LocalStack.KAFKA)).doesNotExist();
    assertThat(config.pidFile(LocalStack.POSTGRES)).doesNotExist();
    assertThat(config.kafkaDir().resolve("data/meta.properties")).as("data stay").exists();

    // restart on the existing data: the topics are still there
    stack.startKafka();
    started.add(pid(LocalStack.KAFKA));
    assertThat(err.toString()).contains("kafka: 8 topics ready (rucio.replicas:6 ");
  }

  @Test
  void downNeverStopsAProcessThatIsNotOurs() throws Exception {
    Process foreign = new ProcessBuilder("bash", "-c", "while :; do sleep 0.1; done").start();
    started.add(foreign.pid());
    Files.createDirectories(config.runDir());
    // the pid of a process that is not the stack's broker, as a stale pid file would name it
    new PidFile(foreign.pid(), stack.broker().markers()).write(config.pidFile("kafka"));
    stack.down();
    assertThat(foreign.isAlive()).isTrue();
    assertThat(out.toString()).contains("kafka was not running (stale pid file removed)");
    assertThat(config.pidFile("kafka")).doesNotExist();
    foreign.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  private long pid(String component) {
    return PidFile.read(config.pidFile(component)).orElseThrow().pid();
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(config.postgresDir().resolve("data/postmaster.pid")).get(0).trim());
  }
}
