package io.autobutler.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.repo.CatalogClient;
import io.autobutler.cli.stack.KafkaBrokerProcess;
import io.autobutler.cli.stack.ProcessControl;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.cli.stack.StackToken;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.event.Topics;
import io.autobutler.core.manifest.ManifestReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler bench verify}: every check of verifier-service on a repository of RTN-103's size, without
 * checksums. The repository is filled once as {@code bench ingest} fills its own (the same campaign on disk, the
 * same event-driven ingest) and kept for later runs; a verifier-service of the bench's own (its own port, topics and
 * a manifest holding the repository to 9 detectors per exposure, its raw count, its campaign folder as the managed
 * root) verifies it, once to warm up, then {@code --runs} times, timed from the request to the answer.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Fills repository bench_verify once with --raws synthetic LSSTComCam raws (as bench ingest does;"
        + " kept for later runs), starts a verifier-service of its own with a manifest for it, and times"
        + " POST /api/repositories/bench_verify/verify?checksums=none: one warm-up run, then --runs timed runs.",
        "Last line: verify raws=<n> seconds=<x> (the median run)"})
public class VerifyBenchCommand implements Callable<Integer> {

  static final String REPOSITORY = "bench_verify";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions options;

  @Option(names = "--raws", defaultValue = "148845", description = "How many raws (default: RTN-103's 148,845).")
  int raws;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs after the warm-up (default 3).")
  int runs;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    if (raws < 1 || runs < 1) {
      throw new CliException("--raws and --runs must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    AutobutlerCommand root = (AutobutlerCommand) spec.root().userObject();
    StackConfig config = StackConfig.resolve(options, root.env(), root.home());
    Path verifierJar = Service.VERIFIER_SERVICE.jar(config.projectRoot());
    Path ingestJar = Service.INGEST_SERVICE.jar(config.projectRoot());
    for (Path jar : List.of(verifierJar, ingestJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new CliException("not built: " + config.projectRoot().relativize(jar)
            + ". Build with ./mvnw -B -q -DskipTests package");
      }
    }
    if (!KafkaBrokerProcess.answers(config.kafkaBootstrap())) {
      throw new CliException("no Kafka at " + config.kafkaBootstrap() + ": run ./autobutler up first");
    }
    IngestBenchCommand.Database db = IngestBenchCommand.Database.of(config);
    CatalogClient client = new CatalogClient(URI.create(config.serviceUrl(Service.CATALOG_SERVICE)),
        StackToken.read(config.tokenFile()));
    String id = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);

    // 1. The repository, filled once (bench ingest's campaign and event-driven ingest) and kept.
    long registered = rawCount(db);
    if (registered < 0) {
      IngestBenchCommand filler = new IngestBenchCommand();
      filler.raws = raws;
      filler.warmup = 0;
      filler.stallTimeout = 300;
      filler.fill(config, db, client, ingestJar, REPOSITORY, id, out);
      registered = rawCount(db);
    } else {
      out.printf("reusing repository %s: %,d raws%n", REPOSITORY, registered);
    }
    if (registered != raws) {
      throw new CliException("repository " + REPOSITORY + " holds " + registered + " raws, not " + raws
          + ": remove it, or run with --raws " + registered);
    }
    Path campaign = IngestBenchCommand.campaignRoot(config, raws);
    String managedRoot = DatastoreFiles.text(campaign.toAbsolutePath().toUri());
    Path manifest = IngestBenchCommand.work(config).resolve("verify-manifest-" + raws + ".yaml");
    Files.writeString(manifest, manifest(config, raws));
    ManifestReader.read(manifest);

    // 2. A verifier-service of the bench's own, and the timed runs.
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String name : List.of(Topics.BUTLER_VERIFICATION, Topics.BUTLER_INGESTED, Topics.RUCIO_DATASETS)) {
      topics.put("bench.verify." + id + "." + name, Topics.all().get(name));
      topics.put("bench.verify." + id + "." + name + Topics.DLQ_SUFFIX, 1);
    }
    KafkaBrokerProcess.createTopics(config.kafkaBootstrap(), topics, config.timeout());
    Path log = config.logsDir().resolve("bench-verifier-service.log");
    Process service = null;
    List<Double> seconds = new ArrayList<>();
    JsonNode last = null;
    try {
      int port = IngestBenchCommand.freePort();
      service = start(config, db, verifierJar, manifest, managedRoot, id, port, log);
      URI verify = URI.create("http://127.0.0.1:" + port + "/api/repositories/" + REPOSITORY
          + "/verify?checksums=none");
      for (int run = 0; run <= runs; run++) {
        long t0 = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(verify).timeout(Duration.ofMinutes(30))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (answer.statusCode() != 200) {
          throw new CliException("the bench verifier-service answered " + answer.statusCode() + ": " + answer.body()
              + "; see " + log);
        }
        last = JSON.readTree(answer.body());
        out.printf(Locale.ROOT, "%s: %.2f s, %d reports%n", run == 0 ? "warm-up run (not counted)" : "run " + run,
            elapsed, last.size());
        out.flush();
        if (run > 0) {
          seconds.add(elapsed);
        }
      }
    } finally {
      if (service != null) {
        ProcessControl.terminate(service.toHandle(), Duration.ofSeconds(20));
      }
      KafkaBrokerProcess.deleteTopics(config.kafkaBootstrap(), topics.keySet(), config.timeout());
    }
    Map<String, int[]> byCheck = new TreeMap<>();
    for (JsonNode report : last) {
      int[] counts = byCheck.computeIfAbsent(report.path("check").asText(), k -> new int[2]);
      counts[0]++;
      counts[1] += "ok".equals(report.path("severity").asText()) ? 0 : 1;
    }
    byCheck.forEach((check, counts) -> out.printf("  %-22s %,6d reports, %,d not ok%n", check, counts[0], counts[1]));
    seconds.sort(Double::compare);
    double median = seconds.get(seconds.size() / 2);
    out.printf(Locale.ROOT, "verify raws=%d seconds=%.2f%n", raws, median);
    out.flush();
    return 0;
  }

  /** The bench repository held to what its campaign is: 9 detectors per exposure, its raw count, its folder. */
  private static String manifest(StackConfig config, int raws) {
    return "manifest-version: 1\n"
        + "name: bench-verify\n"
        + "repository:\n"
        + "  name: " + REPOSITORY + "\n"
        + "  seed: {registry: {db: " + config.dbUrl().display() + ", namespace: " + REPOSITORY + "}}\n"
        + "rucio: {rse: IN2P3_RAW_DISK, scopes: [" + REPOSITORY + "]}\n"
        + "rules:\n"
        + "  - name: comcam-raws\n"
        + "    match: {scope: " + REPOSITORY + ", dataset: 'Dataset/LSSTComCam/raw/*'}\n"
        + "    action: ingest-raws\n"
        + "    instrument: " + SyntheticRaws.INSTRUMENT + "\n"
        + "expectations:\n"
        + "  detectors-per-exposure: {LSSTComCam: 9}\n"
        + "  counts:\n"
        + "    - {name: raws, dataset-type: raw, collections: [" + SyntheticRaws.RUN + "], count: " + raws + "}\n";
  }

  private Process start(StackConfig config, IngestBenchCommand.Database db, Path jar, Path manifest,
                        String managedRoot, String id, int port, Path log) throws IOException, InterruptedException {
    String topics = "bench.verify." + id + ".";
    List<String> command = new ArrayList<>(List.of(ProcessControl.javaExecutable().toString(),
        "-Dquarkus.http.port=" + port,
        "-Dautobutler.verifier.manifest=" + manifest.toAbsolutePath(),
        "-Dautobutler.verifier.schedule=0s",
        "-Dautobutler.verifier.storage.managed-roots=" + managedRoot,
        // the campaign folder's marker file is the bench's, not dark data
        "-Dautobutler.verifier.storage.dark-data-ignore=_index.json,campaign.properties",
        // each check's time, in the bench's log
        "-Dquarkus.log.category.\"io.autobutler.verifier.service\".level=DEBUG",
        "-Dkafka.group.id=bench-verify-" + id,
        "-Dmp.messaging.outgoing.verification.topic=" + topics + Topics.BUTLER_VERIFICATION,
        "-Dmp.messaging.incoming.ingested.topic=" + topics + Topics.BUTLER_INGESTED,
        "-Dmp.messaging.incoming.ingested.group.id=bench-verify-" + id,
        "-Dmp.messaging.incoming.datasets.topic=" + topics + Topics.RUCIO_DATASETS,
        "-Dmp.messaging.incoming.datasets.group.id=bench-verify-" + id + "-datasets",
        "-Dmp.messaging.outgoing.ingested-dlq.topic=" + topics + Topics.BUTLER_INGESTED + Topics.DLQ_SUFFIX,
        "-Dmp.messaging.outgoing.datasets-dlq.topic=" + topics + Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX,
        "-jar", jar.toString()));
    return IngestBenchCommand.startJar(config, db, command, port, "verifier-service", log);
  }

  /** The bench repository's raws, or -1 when it does not exist yet. */
  private static long rawCount(IngestBenchCommand.Database db) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
        + REPOSITORY + ".dataset d JOIN " + REPOSITORY + ".dataset_type t ON t.id = d.dataset_type_id"
        + " WHERE t.name = 'raw'"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
        return -1;
      }
      throw e;
    }
  }
}
