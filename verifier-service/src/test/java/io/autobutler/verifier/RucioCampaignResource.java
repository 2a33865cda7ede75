package io.autobutler.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.event.Topics;
import io.autobutler.simulator.Catalogue;
import io.autobutler.simulator.RucioSimulator;
import io.autobutler.testsupport.KafkaBroker;
import io.autobutler.testsupport.PostgresResource;

/**
 * Rucio for the verifier, as in production: the Rucio simulator (in this JVM) holds a small ComCam campaign at its RSE
 * (one Rucio dataset per exposure folder, every file AVAILABLE, served over HTTP at its PFN), and the real
 * replication-watcher runs as a process of its own against it, in the test's database and broker; the verifier reads
 * the RSE through the watcher's {@code /api/rse-replicas}. The watcher's jar must be built (the reactor builds it
 * before this module).
 */
public class RucioCampaignResource extends PostgresResource {

  static final String REPOSITORY = "verify_rucio";
  /** 9 science raws and 63 others: whole exposures only. */
  static final int RAWS = 72;
  static RucioSimulator simulator;
  static SyntheticRaws.IndexedCampaign campaign;
  static Path rse;
  static Process watcher;
  static int watcherPort;

  static final String MANIFEST = """
      manifest-version: 1
      name: verify-rucio-test
      repository:
        name: verify_rucio
        seed: {registry: {db: 'postgresql://127.0.0.1:5432/unused', namespace: verify_rucio}}
      rucio: {rse: IN2P3_RAW_DISK, scopes: [raw]}
      rules:
        - name: comcam-raws
          match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}
          action: ingest-raws
          instrument: LSSTComCam
      expectations:
        detectors-per-exposure: {LSSTComCam: 9}
      """;

  @Override
  public Map<String, String> start() {
    Map<String, String> database = super.start();
    Map<String, String> config = new HashMap<>(database);
    try {
      KafkaBroker.createTopics(Topics.all());
      rse = Files.createTempDirectory("verifier-rse");
      campaign = SyntheticRaws.writeWhole(RAWS, 0, rse.resolve("raw/LSSTComCam/raw"));
      simulator = RucioSimulator.start(RucioSimulator.Settings.defaults(null), 0);
      simulator.catalogue().addDirectory(rse);
      List<Catalogue.SimFile> files = new ArrayList<>();
      simulator.catalogue().datasets(d -> true).forEach(d -> files.addAll(simulator.catalogue().filesOf(d)));
      simulator.landFiles(simulator.catalogue().startLanding(files), false, 0);
      watcherPort = freePort();
      watcher = startWatcher(database);
      Path manifest = Files.writeString(rse.resolveSibling(rse.getFileName() + "-manifest.yaml"), MANIFEST);
      config.put("autobutler.verifier.manifest", manifest.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    config.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
    config.put("autobutler.verifier.watcher-url", "http://127.0.0.1:" + watcherPort);
    config.put("autobutler.verifier.storage.managed-roots", simulator.baseUrl()
        + simulator.settings().pfnPrefix() + "raw/");
    config.put("autobutler.verifier.schedule", "0s");
    return config;
  }

  /** The real replication-watcher, watching the simulator's RSE; it announces what it polls, as it would. */
  private static Process startWatcher(Map<String, String> database) throws IOException, InterruptedException {
    Path jar = projectRoot().resolve("replication-watcher/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("this test runs the built replication-watcher: " + jar + " is missing; build it"
          + " with ./mvnw -B -q -DskipTests package (./mvnw verify builds it before this module)");
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Dquarkus.http.port=" + watcherPort,
        "-Dautobutler.watcher.rucio.url=" + simulator.baseUrl(),
        "-Dautobutler.watcher.rucio.username=autobutler", "-Dautobutler.watcher.rucio.password=secret",
        "-Dautobutler.watcher.rucio.account=autobutler",
        "-Dautobutler.watcher.rse=IN2P3_RAW_DISK", "-Dautobutler.watcher.scopes=raw",
        "-Dautobutler.watcher.dataset-patterns=Dataset/LSSTComCam/raw/*",
        "-Dautobutler.watcher.poll.interval=PT1H",
        "-Dautobutler.watcher.schema=watcher_" + id, "-Dautobutler.watcher.transactional-id=verifier-test-" + id,
        "-jar", jar.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(Files.createTempFile("verifier-test-watcher", ".log").toFile()));
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", database.get("quarkus.datasource.jdbc.url"));
    pb.environment().put("QUARKUS_DATASOURCE_USERNAME", database.get("quarkus.datasource.username"));
    pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", database.get("quarkus.datasource.password"));
    Process process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watcherPort + "/q/health/live"))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the replication-watcher did not start (see the verifier-test-watcher log in"
        + " the temporary folder)");
  }

  /** Stops the watcher: Rucio can no longer be read. */
  static void stopWatcher() throws InterruptedException {
    if (watcher != null && watcher.isAlive()) {
      watcher.destroy();
      if (!watcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        watcher.destroyForcibly();
      }
    }
  }

  @Override
  public void stop() {
    try {
      stopWatcher();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (simulator != null) {
      simulator.close();
    }
    super.stop();
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the project: no mvnw above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
