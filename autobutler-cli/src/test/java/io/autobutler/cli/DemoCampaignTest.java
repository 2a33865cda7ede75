package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.demo.DemoCommand;
import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.PostgresServer;
import io.autobutler.core.campaign.CampaignGenerator;

/**
 * RTN-103's campaign end to end, twice over the same replicas: {@code ./autobutler demo --scale small} on a stack of
 * its own (the event-driven path: the Rucio simulator lands the campaign, the watcher announces it, ingest-service
 * and catalog-service build repository {@code ccms1}; no butler command writes anything), and, on the same stack
 * once the replicas have landed, RTN-103's own commands through the CLI into a second repository
 * {@code ccms1_cli}, reading the same files from the simulator. The two repositories must be the same: collections
 * with their types, chains, dataset types, datasets (type, RUN, data ID, URI, and UUID where the butler's are
 * deterministic: not the refcats', which ingest-files draws at random), TAGGED and CALIBRATION memberships, and every
 * dimension record (the 1.9 million patches included). Collection docs are not compared: RTN-103's commands give
 * none, the manifest documents its DP1-RC3 selection.
 */
class DemoCampaignTest {

  private static final Path ROOT = ProjectHome.locate(Map.of());
  private static final Path STACKS = ROOT.resolve("autobutler-cli/target/demo-stack");
  private static final String REPO_PARENT = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/";
  private static final String EVENT_REPO = "ccms1";
  private static final String CLI_REPO = "ccms1_cli";
  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> DIMENSION_TABLES = List.of("instrument", "physical_filter", "detector", "day_obs",
      "\"group\"", "exposure", "visit_system", "visit", "visit_definition", "visit_system_membership",
      "visit_detector_region", "skymap", "tract", "patch");

  @Test
  void theEventDrivenPathBuildsTheRepositoryRtn103sCommandsBuild(@TempDir Path work) throws Exception {
    RealStack.Stack.requireBuilt();
    RealStack.Stack.removeLeftoverStacks(STACKS);
    Path state = STACKS.resolve(Long.toString(ProcessHandle.current().pid()));
    int[] ports = FreePorts.of(9);
    String database = "autobutler_test_" + UUID.randomUUID().toString().substring(0, 8);
    String dbUrl = "jdbc:postgresql://127.0.0.1:5432/" + database;
    if (new PostgresServer(JdbcUrl.parse(dbUrl), "postgres", "postgres").probe()
        == PostgresServer.Probe.LOGIN_REFUSED) {
      // a server these tests may not use: point 'auto' at a free port, so that it starts the embedded one
      dbUrl = "jdbc:postgresql://127.0.0.1:" + ports[8] + "/" + database;
    }
    Map<String, String> stackEnv = new HashMap<>(Map.of("AUTOBUTLER_STATE_DIR", state.toString(),
        "AUTOBUTLER_KAFKA_PORT", Integer.toString(ports[0]),
        "AUTOBUTLER_KAFKA_CONTROLLER_PORT", Integer.toString(ports[1]),
        "AUTOBUTLER_WATCHER_PORT", Integer.toString(ports[2]), "AUTOBUTLER_INGEST_PORT", Integer.toString(ports[3]),
        "AUTOBUTLER_CATALOG_PORT", Integer.toString(ports[4]), "AUTOBUTLER_VERIFIER_PORT", Integer.toString(ports[5]),
        "AUTOBUTLER_SIMULATOR_PORT", Integer.toString(ports[6]),
        "AUTOBUTLER_EMBEDDED_POSTGRES_PORT", Integer.toString(ports[7]), "AUTOBUTLER_DB_URL", dbUrl));
    stackEnv.put("AUTOBUTLER_TIMEOUT", "100");
    String catalog = "http://127.0.0.1:" + ports[4];
    String simulator = "http://127.0.0.1:" + ports[6];
    ExecutorService background = Executors.newSingleThreadExecutor();
    long began = System.nanoTime();
    try {
      Future<ButlerSession.Output> demo = background.submit(() -> ButlerSession.execute(stackEnv, "demo", "--scale",
          "small", "--wait", "4"));

      // ------------------------------------------------------------------- RTN-103's commands
      // the repository's setup as soon as catalog-service answers (beside the demo's own setup), the data once the
      // whole campaign has landed
      ButlerSession.awaitTrue(() -> demo.isDone() || answers(catalog + "/api/repositories"), PATIENCE,
          "catalog-service serving");
      requireNotFailed(demo);
      Properties recorded = RealStack.Stack.readProperties(state.resolve("run/stack.properties"));
      JdbcUrl registry = JdbcUrl.parse(recorded.getProperty("postgres.effective.url"));
      ButlerSession cli = new ButlerSession(Map.of("AUTOBUTLER_CATALOG_URL", catalog,
          "AUTOBUTLER_TOKEN", Files.readString(state.resolve("token")).strip(),
          "AUTOBUTLER_STATE_DIR", Files.createDirectories(work.resolve("cli-state")).toString()));
      rtn103Setup(cli, registry.display(), work);
      phase("RTN-103's setup", began);
      Path campaign = state.resolve("demo/small");
      ButlerSession.awaitTrue(() -> demo.isDone() || CampaignGenerator.read(campaign).isPresent()
          && landed(simulator, CampaignGenerator.read(campaign).get().files()), PATIENCE, "the campaign landed");
      requireNotFailed(demo);
      phase("campaign landed", began);
      rtn103Data(cli, simulator + "/pnfs/in2p3.fr/lsst/instrument", campaign);
      phase("RTN-103's commands", began);
      cli.transcript().forEach(System.err::println);

      // ------------------------------------------------------------------- the demo's end
      ButlerSession.Output demoOutput = demo.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      phase("demo", began);
      assertThat(demoOutput.code()).as("demo:\n%s\n%s", demoOutput.out(), demoOutput.err()).isZero();
      String reference = Files.readString(ROOT.resolve(DemoCommand.REFERENCE_TREE), StandardCharsets.UTF_8);
      assertThat(demoOutput.out()).contains("$ ./autobutler query-collections --chains=tree ccms1 "
          + "LSSTComCam/DP1/defaults\n" + reference + "(identical to RTN-103's tree")
          .contains("--limit 0 | wc -l\n4655\n").contains("--limit 0 | wc -l\n604\n")
          .containsPattern("\\[ *[0-9.]+ s\\] landed 5,642/5,642 files · announced 5,642 · ingested 5,123 datasets")
          // the verifier finds nothing wrong: every check ok, none short of an outage
          .contains("Verification (verifier-service): ok\n")
          .doesNotContainPattern("\n  [a-z-]+ +(warning|error|outage) ");
      assertThat(cli.butler("query-collections", "--chains=tree", REPO_PARENT + CLI_REPO,
          "LSSTComCam/DP1/defaults")).isEqualTo(reference);

      // ------------------------------------------------------------------- the same repository twice
      compare(registry, recorded);
      phase("comparison", began);
    } finally {
      background.shutdownNow();
      background.awaitTermination(30, TimeUnit.SECONDS);
      stop(stackEnv, state);
    }
  }

  /**
   * The demo is still running or has finished well (on a fast machine it may be done before the test gets there;
   * the stack stays up after it): one that failed stops the test with its output.
   */
  private static void requireNotFailed(Future<ButlerSession.Output> demo) throws Exception {
    if (demo.isDone()) {
      ButlerSession.Output output = demo.get();
      assertThat(output.code()).as("the demo stopped early: %s", output).isZero();
    }
  }

  /** RTN-103's procedure up to the data: create, register-instrument, register-skymap. */
  private static void rtn103Setup(ButlerSession cli, String registryDb, Path work) throws Exception {
    String repo = REPO_PARENT + CLI_REPO;
    String seed = Files.readString(Path.of(Rtn103AcceptanceTest.resource("butler-seed_ccms1.yaml")))
        .replace("db: postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod", "db: " + registryDb)
        .replace("namespace: ccms1", "namespace: " + CLI_REPO)
        .replace("/lsst/butler/ccms1\"", "/lsst/butler/" + CLI_REPO + "\"");
    cli.butler("create", "--seed-config", Files.writeString(work.resolve("butler-seed_ccms1.yaml"), seed).toString(),
        "--override", repo);
    cli.butler("register-instrument", repo, "lsst.obs.lsst.LsstComCam");
    cli.butler("register-skymap", "--config-file",
        ROOT.resolve("deploy/campaigns/frdf-comcam/lsst_cells_v1.skymap.config").toString(), repo);
  }

  /** The rest of RTN-103's procedure, {@code $DATA} being where the simulator serves the site's files. */
  private static void rtn103Data(ButlerSession cli, String data, Path campaign) {
    String repo = REPO_PARENT + CLI_REPO;
    cli.butler("ingest-raws", "--fail-fast", "--transfer", "direct", repo, data + "/raw/LSSTComCam");
    cli.butler("define-visits", repo, "LSSTComCam", "--collections", "LSSTComCam/raw/all");
    cli.butler("write-curated-calibrations", repo, "lsst.obs.lsst.LsstComCam", "--label", "DM-48650");
    List<String> calib = new ArrayList<>();
    for (String ticket : CampaignGenerator.tickets()) {
      cli.butler("import", repo, data + "/ancillary", "--export-file",
          campaign.resolve(CampaignGenerator.ticketExportFile(ticket)).toString(), "--transfer", "direct");
      calib.add("LSSTComCam/calib/" + ticket);
    }
    calib.addAll(List.of("LSSTComCam/calib/DM-48650", "LSSTComCam/calib/DM-48650/unbounded"));
    cli.butler("collection-chain", repo, "LSSTComCam/calib", String.join(",", calib));
    cli.butler("register-dataset-type", repo, "the_monster_20240904", "SimpleCatalog", "htm7");
    cli.butler("ingest-files", repo, "the_monster_20240904", CampaignGenerator.REFCAT_2024_RUN, "--prefix",
        data + "/raw/refcats/the_monster_20240904/", "--transfer", "direct",
        campaign.resolve(CampaignGenerator.REFCAT_2024_TABLE).toString());
    cli.butler("register-dataset-type", repo, "the_monster_20250219", "SimpleCatalog", "htm7");
    cli.butler("ingest-files", repo, "the_monster_20250219", CampaignGenerator.REFCAT_2025_RUN, "--prefix",
        data + "/raw/refcats/the_monster_20250219/", "--transfer", "direct",
        campaign.resolve(CampaignGenerator.REFCAT_2025_TABLE).toString());
    cli.butler("collection-chain", repo, "refcats",
        CampaignGenerator.REFCAT_2024_RUN + "," + CampaignGenerator.REFCAT_2025_RUN);
    cli.butler("import", repo, "--export-file", campaign.resolve(CampaignGenerator.MODELS_EXPORT_FILE).toString(),
        "--transfer", "direct", data + "/ancillary/");
    cli.butler("collection-chain", repo, "pretrained_models", CampaignGenerator.MODELS_RUN);
    cli.butler("import", repo, "--export-file", campaign.resolve(CampaignGenerator.FGCM_EXPORT_FILE).toString(),
        "--transfer", "direct", data + "/ancillary/");
    cli.butler("collection-chain", repo, "LSSTComCam/calib/fgcmcal", CampaignGenerator.FGCM_RUN);
    cli.butler("import", repo, "--export-file", campaign.resolve(CampaignGenerator.SSO_EXPORT_FILE).toString(),
        "--transfer", "direct", data + "/ancillary/");
    cli.butler("associate", repo, Rtn103AcceptanceTest.SSO_TAGGED, "--collections", "u/*/dp1_ephem_2*", "-d",
        "preloaded_DRP_SsObjects", "--where", "instrument='LSSTComCam'");
    // RTN-103's site script selected DP1-RC3's exposures; the manifest stands in the science raws for them
    cli.butler("associate", repo, Rtn103AcceptanceTest.RAW_TAGGED, "--collections", "LSSTComCam/raw/all", "-d",
        "raw", "--where", "exposure.observation_type='science'");
    cli.butler("collection-chain", repo, Rtn103AcceptanceTest.DEFAULTS, Rtn103AcceptanceTest.RAW_TAGGED
        + ",LSSTComCam/calib,refcats,skymaps,pretrained_models,LSSTComCam/calib/fgcmcal,"
        + Rtn103AcceptanceTest.SSO_TAGGED);
  }

  /** Every part of the two repositories that RTN-103's procedure makes, side by side. */
  private void compare(JdbcUrl registry, Properties recorded) throws SQLException {
    boolean embedded = "embedded".equals(recorded.getProperty("postgres.kind"));
    String user = embedded ? "postgres" : recorded.getProperty("db.user", "postgres");
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("collections", "SELECT name, type FROM %s.collection");
    queries.put("chains", "SELECT p.name, cc.position, k.name FROM %1$s.collection_chain cc"
        + " JOIN %1$s.collection p ON p.collection_id = cc.parent JOIN %1$s.collection k"
        + " ON k.collection_id = cc.child");
    queries.put("dataset types", "SELECT name, storage_class, dimensions::text, is_calibration"
        + " FROM %s.dataset_type");
    String datasetKey = "t.name, d.data_id_key, CASE WHEN t.name LIKE 'the\\_monster\\_%%' THEN NULL"
        + " ELSE d.id END";
    queries.put("datasets", "SELECT " + datasetKey + ", r.name, f.path FROM %1$s.dataset d"
        + " JOIN %1$s.dataset_type t ON t.id = d.dataset_type_id JOIN %1$s.collection r ON r.collection_id = d.run_id"
        + " LEFT JOIN %1$s.file_datastore_records f ON f.dataset_id = d.id");
    queries.put("TAGGED memberships", "SELECT c.name, " + datasetKey + " FROM %1$s.dataset_tags g"
        + " JOIN %1$s.dataset d ON d.id = g.dataset_id JOIN %1$s.dataset_type t ON t.id = d.dataset_type_id"
        + " JOIN %1$s.collection c ON c.collection_id = g.collection_id");
    queries.put("CALIBRATION certifications", "SELECT c.name, " + datasetKey + ", g.timespan::text"
        + " FROM %1$s.dataset_calibs g JOIN %1$s.dataset d ON d.id = g.dataset_id"
        + " JOIN %1$s.dataset_type t ON t.id = d.dataset_type_id JOIN %1$s.collection c"
        + " ON c.collection_id = g.collection_id");
    for (String table : DIMENSION_TABLES) {
      queries.put(table + " records", "SELECT r.* FROM %s." + table + " r");
    }
    try (Connection c = DriverManager.getConnection(registry.jdbc(), user, "postgres");
         Statement s = c.createStatement()) {
      for (Map.Entry<String, String> query : queries.entrySet()) {
        String event = String.format(query.getValue(), EVENT_REPO);
        String cli = String.format(query.getValue(), CLI_REPO);
        // each side as a multiset of rows: count and a sum of row hashes, then the rows that differ if any
        List<String> a = digest(s, event);
        List<String> b = digest(s, cli);
        List<String> onlyEvent = difference(s, event, cli);
        List<String> onlyCli = difference(s, cli, event);
        assertThat(onlyEvent).as("%s only in the event-driven repository (%s rows; the CLI's: %s)", query.getKey(),
            a.get(0), b.get(0)).isEmpty();
        assertThat(onlyCli).as("%s only in the CLI-built repository", query.getKey()).isEmpty();
        assertThat(a).as("%s: rows and hash", query.getKey()).isEqualTo(b);
        assertThat(Long.parseLong(a.get(0))).as("%s in the event-driven repository", query.getKey()).isPositive();
      }
    }
  }

  /** The count of the query's rows and the sum of their hashes. */
  private static List<String> digest(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hashtextextended(q::text, 0)), 0)"
        + " FROM (" + query + ") q")) {
      rs.next();
      return List.of(rs.getString(1), rs.getString(2));
    }
  }

  /** Up to five rows of one query that the other lacks (as multisets); skipped for the patches' 1.9 M rows. */
  private static List<String> difference(Statement s, String query, String other) throws SQLException {
    if (query.contains(".patch ")) {
      return List.of();
    }
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT q::text FROM ((" + query + ") EXCEPT ALL (" + other + ")) q LIMIT 5")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private static boolean answers(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean landed(String simulator, int files) {
    try {
      JsonNode status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(simulator + "/simulator/status"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
      return status.path("available").asInt() == files && status.path("pending").asInt() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** {@code down}; then nothing of the stack may run; its database is dropped. */
  private static void stop(Map<String, String> env, Path state) throws Exception {
    Properties recorded = RealStack.Stack.readProperties(state.resolve("run/stack.properties"));
    List<Long> pids = RealStack.Stack.recordedPids(state);
    ButlerSession.Output down = ButlerSession.execute(env, "down");
    ProcessHandle.allProcesses().filter(p -> RealStack.Stack.isOf(p, state)).forEach(ProcessHandle::destroyForcibly);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    if ("server".equals(recorded.getProperty("postgres.kind"))) {
      RealStack.Stack.dropDatabase(JdbcUrl.parse(recorded.getProperty("postgres.effective.url")));
    }
    assertThat(down.code()).as("down: %s%s", down.out(), down.err()).isZero();
    assertThat(down.out()).contains("stopped rucio-simulator", "stopped catalog-service", "stopped kafka");
  }

  private static void phase(String name, long began) {
    System.err.printf("DemoCampaignTest: %s done after %.1f s%n", name, (System.nanoTime() - began) / 1e9);
  }
}
