package io.autobutler.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.KafkaBrokerProcess;
import io.autobutler.cli.stack.ProcessControl;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.core.event.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler bench watch}: against the running local stack's Kafka and PostgreSQL, starts the Rucio
 * simulator and a replication-watcher of its own pointed at it (a fresh scope, state schema and topics each run),
 * lands warm-up replicas first (untimed), then replicas, and measures what the watcher turns into replica events:
 * the throughput through the poll path, and the delay from "AVAILABLE at the RSE" to the event through the Hermes
 * path (and, for comparison, through the poll path alone).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Starts the Rucio simulator and a second replication-watcher (own port, schema watcher_bench,"
        + " a new scope and topics per run) against the stack of ./autobutler up, lets it announce --warmup replicas"
        + " (untimed), lands --replicas replicas at once with no Hermes message and times their events, then lands"
        + " --waves waves of --wave-size replicas with Hermes messages and measures each one's delay from AVAILABLE"
        + " to its event (then up to 5 waves without message, through the poll alone). The events go to topics of"
        + " the bench's own (bench.watch.<scope>.rucio.replicas), which the stack's ingest-service does not read.",
        "Last line: watch replicas_per_s=<n> p95_latency_ms=<n>"})
public class WatchBenchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RSE = "IN2P3_RAW_DISK";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions options;

  @Option(names = "--replicas", defaultValue = "100000", description = "Replicas landed at once for the poll-path"
      + " throughput (default 100,000).")
  int replicas;

  @Option(names = "--warmup", defaultValue = "50000", description = "Replicas of other datasets announced first,"
      + " untimed, so that the timing sees the watcher as it runs for days, its code compiled by the JIT"
      + " (default 50,000; 0: none).")
  int warmup;

  @Option(names = "--files-per-dataset", defaultValue = "1000", description = "Files per Rucio dataset (default 1000).")
  int filesPerDataset;

  @Option(names = "--waves", defaultValue = "20", description = "Hermes-path waves (default 20).")
  int waves;

  @Option(names = "--wave-size", defaultValue = "50", description = "Replicas per wave (default 50).")
  int waveSize;

  @Option(names = "--poll-interval", defaultValue = "2", description = "The watcher's poll interval in seconds"
      + " (default 2).")
  int pollInterval;

  @Option(names = "--available-after-ms", defaultValue = "100", description = "How long after its transfer-done"
      + " message a replica turns AVAILABLE (default 100 ms).")
  int availableAfterMs;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> started = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    AutobutlerCommand root = (AutobutlerCommand) spec.root().userObject();
    StackConfig config = StackConfig.resolve(options, root.env(), root.home());
    Path home = config.projectRoot();
    Path simulatorJar = home.resolve("rucio-simulator/target/quarkus-app/quarkus-run.jar");
    Path watcherJar = home.resolve("replication-watcher/target/quarkus-app/quarkus-run.jar");
    for (Path jar : List.of(simulatorJar, watcherJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new CliException("not built: " + home.relativize(jar) + ". Build with ./mvnw -B -q -DskipTests package");
      }
    }
    String bootstrap = config.kafkaBootstrap();
    if (!KafkaBrokerProcess.answers(bootstrap)) {
      throw new CliException("no Kafka at " + bootstrap + ": run ./autobutler up first");
    }
    Properties recorded = config.recorded();
    String dbUrl = recorded.getProperty("postgres.effective.url");
    if (dbUrl == null) {
      throw new CliException("no running stack recorded in " + config.recordFile() + ": run ./autobutler up first");
    }
    boolean embedded = "embedded".equals(recorded.getProperty("postgres.kind"));
    String dbUser = embedded ? "postgres" : config.dbUser();
    String dbPassword = embedded ? "postgres" : config.dbPassword();
    String scope = "bench" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
    String hermesTopic = RSE + "-" + scope;
    // The bench watcher announces on topics of its own, as a second watcher of a site would: the stack's
    // ingest-service does not consume its events, so the figures are the watcher's alone.
    String replicasTopic = "bench.watch." + scope + "." + Topics.RUCIO_REPLICAS;
    String datasetsTopic = "bench.watch." + scope + "." + Topics.RUCIO_DATASETS;
    KafkaBrokerProcess.createTopics(bootstrap, Map.of(hermesTopic, 3,
        replicasTopic, Topics.all().get(Topics.RUCIO_REPLICAS), datasetsTopic, Topics.all().get(Topics.RUCIO_DATASETS)),
        config.timeout());
    try (Connection c = DriverManager.getConnection(JdbcUrl.parse(dbUrl).jdbc(), dbUser, dbPassword);
         Statement s = c.createStatement()) {
      // a fresh ledger each run, so that the figures count this run's replicas only
      s.execute("DROP SCHEMA IF EXISTS watcher_bench CASCADE");
    }

    Path logs = config.logsDir();
    Files.createDirectories(logs);
    try {
      int simulatorPort = freePort();
      String simulatorUrl = "http://127.0.0.1:" + simulatorPort;
      Map<String, String> simulatorEnv = new HashMap<>();
      simulatorEnv.put("QUARKUS_HTTP_PORT", Integer.toString(simulatorPort));
      simulatorEnv.put("SIMULATOR_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
      simulatorEnv.put("SIMULATOR_SCOPES", scope);
      start(List.of(ProcessControl.javaExecutable().toString(), "-Xmx2g", "-jar", simulatorJar.toString()),
          simulatorEnv, logs.resolve("bench-rucio-simulator.log"));
      awaitUp(simulatorUrl + "/ping", "the Rucio simulator", logs.resolve("bench-rucio-simulator.log"));
      int datasets = Math.max(1, (replicas + filesPerDataset - 1) / filesPerDataset);
      int waveFiles = (waves + Math.min(waves, 5)) * waveSize;
      int waveDatasets = Math.max(1, (waveFiles + filesPerDataset - 1) / filesPerDataset);
      int warmupDatasets = warmup == 0 ? 0 : Math.max(1, (warmup + filesPerDataset - 1) / filesPerDataset);
      long generateStart = System.nanoTime();
      // The catalogue lands files in the order they were generated: the warm-up's come first.
      if (warmup > 0) {
        admin(simulatorUrl, "campaign", Map.of("scope", scope, "datasetPrefix", "Dataset/Bench/warmup_",
            "datasets", warmupDatasets, "filesPerDataset", Math.min(filesPerDataset, warmup), "fileBytes", 64));
      }
      admin(simulatorUrl, "campaign", Map.of("scope", scope, "datasetPrefix", "Dataset/Bench/poll_",
          "datasets", datasets, "filesPerDataset", Math.min(filesPerDataset, replicas), "fileBytes", 64));
      admin(simulatorUrl, "campaign", Map.of("scope", scope, "datasetPrefix", "Dataset/Bench/hermes_",
          "datasets", waveDatasets, "filesPerDataset", Math.min(filesPerDataset, waveFiles), "fileBytes", 64));
      out.printf("simulator %s: scope %s, %d + %d + %d datasets generated in %.1f s%n", simulatorUrl, scope,
          warmupDatasets, datasets, waveDatasets, (System.nanoTime() - generateStart) / 1e9);
      out.flush();

      int watcherPort = freePort();
      Map<String, String> watcherEnv = new HashMap<>();
      watcherEnv.put("QUARKUS_HTTP_PORT", Integer.toString(watcherPort));
      watcherEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
      watcherEnv.put("QUARKUS_DATASOURCE_JDBC_URL", JdbcUrl.parse(dbUrl).jdbc());
      watcherEnv.put("QUARKUS_DATASOURCE_USERNAME", dbUser);
      watcherEnv.put("QUARKUS_DATASOURCE_PASSWORD", dbPassword);
      watcherEnv.put("AUTOBUTLER_WATCHER_SCHEMA", "watcher_bench");
      watcherEnv.put("AUTOBUTLER_WATCHER_RUCIO_URL", simulatorUrl);
      watcherEnv.put("AUTOBUTLER_WATCHER_RUCIO_USERNAME", "autobutler");
      watcherEnv.put("AUTOBUTLER_WATCHER_RUCIO_PASSWORD", "secret");
      watcherEnv.put("AUTOBUTLER_WATCHER_RSE", RSE);
      watcherEnv.put("AUTOBUTLER_WATCHER_SCOPES", scope);
      watcherEnv.put("AUTOBUTLER_WATCHER_DATASET_PATTERNS", "Dataset/Bench/*");
      watcherEnv.put("AUTOBUTLER_WATCHER_HERMES_TOPICS", hermesTopic);
      watcherEnv.put("AUTOBUTLER_WATCHER_HERMES_GROUP_ID", "bench-" + scope);
      watcherEnv.put("AUTOBUTLER_WATCHER_TRANSACTIONAL_ID", "bench-" + scope);
      watcherEnv.put("AUTOBUTLER_WATCHER_REPLICAS_TOPIC", replicasTopic);
      watcherEnv.put("AUTOBUTLER_WATCHER_DATASETS_TOPIC", datasetsTopic);
      watcherEnv.put("AUTOBUTLER_WATCHER_POLL_INTERVAL", "PT" + pollInterval + "S");
      watcherEnv.put("AUTOBUTLER_WATCHER_POLL_OVERLAP", "PT2S");
      // the per-batch timings of the poll, in the bench watcher's log
      watcherEnv.put("QUARKUS_LOG_CATEGORY__IO_AUTOBUTLER_WATCHER__LEVEL", "DEBUG");
      start(List.of(ProcessControl.javaExecutable().toString(), "-jar", watcherJar.toString()), watcherEnv,
          logs.resolve("bench-replication-watcher.log"));
      String watcherUrl = "http://127.0.0.1:" + watcherPort;
      awaitUp(watcherUrl + "/api/watcher", "the bench replication-watcher", logs.resolve("bench-replication-watcher.log"));
      awaitRunning(watcherUrl, logs.resolve("bench-replication-watcher.log"));
      out.printf("replication-watcher %s: poll every %d s, Hermes topic %s (log %s)%n", watcherUrl, pollInterval,
          hermesTopic, home.relativize(logs.resolve("bench-replication-watcher.log")));
      out.flush();

      try (EventReader events = new EventReader(bootstrap, replicasTopic, scope + ":")) {
        // 0. The warm-up, untimed: a fresh JVM spends its first seconds compiling.
        if (warmup > 0) {
          long warmStart = System.nanoTime();
          admin(simulatorUrl, "land", Map.of("count", warmupDatasets * Math.min(filesPerDataset, warmup),
              "hermes", false));
          int warmed = events.await(warmupDatasets * Math.min(filesPerDataset, warmup), Duration.ofMinutes(10)).size();
          out.printf("warm-up: %,d replicas announced in %.1f s (not part of the figures)%n", warmed,
              (System.nanoTime() - warmStart) / 1e9);
          out.flush();
        }
        // 1. Throughput through the poll path: everything lands at once, with no message.
        long landedAt = System.currentTimeMillis();
        admin(simulatorUrl, "land", Map.of("count", replicas, "hermes", false));
        List<ConsumerRecord<String, String>> pollEvents = events.await(replicas, Duration.ofMinutes(10));
        long first = pollEvents.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(landedAt);
        long last = pollEvents.stream().mapToLong(ConsumerRecord::timestamp).max().orElse(landedAt);
        double perSecond = pollEvents.size() / Math.max(0.001, (last - first) / 1000.0);
        out.printf("poll path: %d replicas landed at once; first event %.2f s after landing, last %.2f s:"
            + " %,.0f replicas/s from first to last event, %,.0f replicas/s including the wait for the poll%n",
            pollEvents.size(), (first - landedAt) / 1000.0, (last - landedAt) / 1000.0, perSecond,
            pollEvents.size() / Math.max(0.001, (last - landedAt) / 1000.0));
        out.flush();
        Map<String, Long> availableAt = availableTimes(simulatorUrl);
        List<Long> pollLatencies = latencies(pollEvents, availableAt);

        // 2. Latency through the Hermes path: waves of transfers, each message before AVAILABLE.
        List<ConsumerRecord<String, String>> hermesEvents = new ArrayList<>();
        for (int wave = 0; wave < waves; wave++) {
          admin(simulatorUrl, "land", Map.of("count", waveSize, "hermes", true, "availableAfterMs", availableAfterMs));
          hermesEvents.addAll(events.await(waveSize, Duration.ofMinutes(2)));
          Thread.sleep(200);
        }
        // 3. For comparison, the same trickle with no message: only the poll finds these.
        List<ConsumerRecord<String, String>> trickleEvents = new ArrayList<>();
        for (int wave = 0; wave < Math.min(waves, 5); wave++) {
          admin(simulatorUrl, "land", Map.of("count", waveSize, "hermes", false));
          trickleEvents.addAll(events.await(waveSize, Duration.ofMinutes(2)));
        }
        availableAt = availableTimes(simulatorUrl);
        List<Long> hermesLatencies = latencies(hermesEvents, availableAt);
        List<Long> trickleLatencies = latencies(trickleEvents, availableAt);
        long hermesFromHermes = hermesEvents.stream().filter(r -> r.value().contains("\"source\":\"hermes\"")).count();
        out.printf("hermes path: %d replicas in %d waves (%d announced from their message), delay from AVAILABLE to"
            + " event: median %d ms, p95 %d ms, max %d ms%n", hermesEvents.size(), waves, hermesFromHermes,
            percentile(hermesLatencies, 50), percentile(hermesLatencies, 95), percentile(hermesLatencies, 100));
        out.printf("poll path, %d waves of %d with no message (poll every %d s): delay from AVAILABLE to event median"
            + " %d ms, p95 %d ms; for the %d landed at once: median %d ms, p95 %d ms%n", Math.min(waves, 5), waveSize,
            pollInterval, percentile(trickleLatencies, 50), percentile(trickleLatencies, 95), pollEvents.size(),
            percentile(pollLatencies, 50), percentile(pollLatencies, 95));
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(watcherUrl + "/api/watcher"))
            .build(), HttpResponse.BodyHandlers.ofString()).body());
        out.printf("watcher: %d replicas and %d datasets announced%n", status.path("announcedReplicas").asLong(),
            status.path("announcedDatasets").asLong());
        out.printf(Locale.ROOT, "watch replicas_per_s=%.0f p95_latency_ms=%d%n", perSecond,
            percentile(hermesLatencies, 95));
        out.flush();
      }
    } finally {
      for (Process p : started) {
        ProcessControl.terminate(p.toHandle(), Duration.ofSeconds(20));
      }
      KafkaBrokerProcess.deleteTopics(bootstrap, List.of(hermesTopic, replicasTopic, datasetsTopic),
          config.timeout());
    }
    return 0;
  }

  private void start(List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(env);
    started.add(pb.start());
  }

  private void awaitUp(String url, String what, Path log) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (started.stream().anyMatch(p -> !p.isAlive())) {
        throw new CliException(what + " exited during startup; see " + log + System.lineSeparator()
            + ProcessControl.tail(log, 20));
      }
      Thread.sleep(300);
    }
    throw new CliException(what + " did not answer at " + url + " within 120 s; see " + log);
  }

  private void awaitRunning(String watcherUrl, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(watcherUrl + "/api/watcher"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      if (status.path("running").asBoolean() && !status.path("lastPoll").isMissingNode()
          && !status.path("lastPoll").isNull()) {
        return;
      }
      Thread.sleep(300);
    }
    throw new CliException("the bench replication-watcher did not start watching within 120 s; see " + log);
  }

  private JsonNode admin(String simulatorUrl, String action, Map<String, Object> body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/simulator/" + action))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new CliException("simulator " + action + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private Map<String, Long> availableTimes(String simulatorUrl) throws Exception {
    Map<String, Long> times = new HashMap<>();
    HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(simulatorUrl
        + "/simulator/available")).build(), HttpResponse.BodyHandlers.ofLines());
    response.body().forEach(line -> {
      try {
        JsonNode n = JSON.readTree(line);
        times.put(n.path("scope").asText() + ":" + n.path("name").asText(), n.path("availableAt").asLong());
      } catch (IOException e) {
        throw new CliException("unreadable line from the simulator: " + line);
      }
    });
    return times;
  }

  private static List<Long> latencies(List<ConsumerRecord<String, String>> events, Map<String, Long> availableAt)
      throws IOException {
    List<Long> latencies = new ArrayList<>();
    for (ConsumerRecord<String, String> r : events) {
      JsonNode e = JSON.readTree(r.value());
      Long at = availableAt.get(e.path("scope").asText() + ":" + e.path("name").asText());
      if (at != null && at > 0) {
        latencies.add(r.timestamp() - at);
      }
    }
    Collections.sort(latencies);
    return latencies;
  }

  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The committed events of the bench's replica topic whose key starts with the bench scope, from now on. */
  private static final class EventReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String keyPrefix;

    EventReader(String bootstrap, String topic, String keyPrefix) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
      this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
      this.keyPrefix = keyPrefix;
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    List<ConsumerRecord<String, String>> await(int count, Duration timeout) {
      List<ConsumerRecord<String, String>> found = new ArrayList<>();
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (found.size() < count) {
        if (System.currentTimeMillis() > deadline) {
          throw new CliException("only " + found.size() + " of " + count + " replica events arrived within "
              + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.key() != null && r.key().startsWith(keyPrefix)) {
            found.add(r);
          }
        }
      }
      return found;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
