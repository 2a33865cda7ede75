package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.ProcessControl;
import io.autobutler.core.campaign.SyntheticRaws;

/**
 * Verification on the whole event path, with a stack of its own: a small ComCam campaign lands at the Rucio
 * simulator's RSE; the stack's watcher polls it onto Kafka, ingest-service ingests it, catalog-service converges the
 * manifest's selection and chain, and verifier-service — reading Rucio through the watcher, storage at the RSE's
 * URLs — reports it clean; {@code ./autobutler verify} exits 0. Then a replica lost at the RSE and a chain child the
 * manifest does not declare are each reported, and {@code verify} exits 1 naming them.
 */
class VerificationEndToEndTest {

  private static final String REPO = "e2e_verify";
  /** 9 science raws and 63 others: whole exposures only. */
  private static final int RAWS = 72;
  private static final Path ROOT = ProjectHome.locate(Map.of());

  @TempDir
  Path data;

  @Test
  void aCampaignLandedThroughTheEventPathIsVerifiedCleanThenItsFaultsAreFound() throws Exception {
    Path rse = data.resolve("rse");
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeWhole(RAWS, 1, rse.resolve("raw/LSSTComCam/raw"));
    int simulatorPort = freePort();
    String simulator = "http://127.0.0.1:" + simulatorPort;
    Path simulatorLog = data.resolve("rucio-simulator.log");
    ProcessBuilder pb = new ProcessBuilder(ProcessControl.javaExecutable().toString(), "-jar",
        ROOT.resolve("rucio-simulator/target/quarkus-app/quarkus-run.jar").toString())
        .redirectErrorStream(true).redirectOutput(simulatorLog.toFile());
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(simulatorPort));
    pb.environment().put("SIMULATOR_SCOPES", "raw");
    Process simulatorProcess = pb.start();
    RealStack.Stack stack = null;
    try {
      awaitUp(simulator + "/ping", simulatorProcess, simulatorLog);
      admin(simulator, "directory", "{\"path\": \"" + rse.toAbsolutePath() + "\"}");
      admin(simulator, "land", "{\"count\": 1000}");

      Map<String, String> environment = new HashMap<>();
      environment.put("AUTOBUTLER_WATCHER_RUCIO_URL", simulator);
      environment.put("AUTOBUTLER_WATCHER_RUCIO_USERNAME", "autobutler");
      environment.put("AUTOBUTLER_WATCHER_RUCIO_PASSWORD", "secret");
      environment.put("AUTOBUTLER_WATCHER_RUCIO_ACCOUNT", "autobutler");
      environment.put("AUTOBUTLER_WATCHER_POLL_INTERVAL", "PT2S");
      environment.put("AUTOBUTLER_CATALOG_CONVERGE_SPACING", "1s");
      environment.put("AUTOBUTLER_VERIFIER_SPACING", "2s");
      environment.put("AUTOBUTLER_VERIFIER_STORAGE_MANAGED_ROOTS", simulator + "/pnfs/in2p3.fr/lsst/instrument/raw/");
      stack = RealStack.dedicated("verify", VerificationEndToEndTest::manifest, environment);

      Map<String, String> env = new HashMap<>();
      env.put("AUTOBUTLER_STATE_DIR", data.resolve("cli").toString());
      env.put("AUTOBUTLER_CATALOG_URL", stack.catalogUrl());
      env.put("AUTOBUTLER_TOKEN", stack.token());
      env.put("AUTOBUTLER_VERIFIER_URL", stack.verifierUrl());

      // Clean: every raw ingested through the event path, the selection and chain converged, every report ok.
      String clean = awaitVerify(env, 0, Duration.ofSeconds(240));
      assertThat(clean).contains("Repository " + REPO + ": ok", "rucio-registry", "registry-storage", "dark-data",
          "completeness", "manifest-drift");

      // A replica lost at the RSE: Rucio no longer has it (and the RSE no longer serves it).
      String lostName = campaign.folders().get(0).uri().substring(campaign.folders().get(0).uri()
          .indexOf("LSSTComCam/raw/")) + campaign.folders().get(0).raws().keySet().iterator().next();
      admin(simulator, "lose", "{\"scope\": \"raw\", \"name\": \"" + lostName + "\"}");
      String lost = run(env, 1, "verify", "--now", REPO);
      assertThat(lost).contains("rucio-dataset:raw:Dataset/" + lostName.substring(0, lostName.lastIndexOf('/')),
          "1 lost", "kind=lost", "raw:" + lostName, "run:LSSTComCam/raw/all", "1 registered files gone from the RSE",
          "1 missing");

      // A chain child the manifest does not declare.
      run(env, 0, "collection-chain", REPO, "LSSTComCam/defaults", "LSSTComCam/raw/all", "--mode", "extend");
      String drift = run(env, 1, "verify", "--now", REPO);
      assertThat(drift).contains("chain:LSSTComCam/defaults", "1 children not declared", "line=+ LSSTComCam/raw/all");
    } finally {
      try {
        if (stack != null) {
          stack.close();
        }
      } finally {
        ProcessControl.terminate(simulatorProcess.toHandle(), Duration.ofSeconds(20));
      }
    }
  }

  /** The campaign manifest of the stack: LSSTComCam raws from Rucio, a science selection in a chain, expectations. */
  private static String manifest(String registryUrl) {
    return "manifest-version: 1\n"
        + "name: e2e-verify\n"
        + "repository: {name: " + REPO + ", seed: {registry: {db: '" + JdbcUrl.parse(registryUrl).display()
        + "', namespace: " + REPO + "}}}\n"
        + "rucio: {rse: IN2P3_RAW_DISK, scopes: [raw]}\n"
        + "setup: {instruments: [lsst.obs.lsst.LsstComCam]}\n"
        + "rules:\n"
        + "  - name: comcam-raws\n"
        + "    match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}\n"
        + "    action: ingest-raws\n"
        + "    instrument: LSSTComCam\n"
        + "    run: LSSTComCam/raw/all\n"
        + "chains:\n"
        + "  - name: LSSTComCam/defaults\n"
        + "    children: [LSSTComCam/raw/science]\n"
        + "tagged:\n"
        + "  - name: LSSTComCam/raw/science\n"
        + "    dataset-type: raw\n"
        + "    collections: [LSSTComCam/raw/all]\n"
        + "    where: exposure.observation_type = 'science'\n"
        + "expectations:\n"
        + "  detectors-per-exposure: {LSSTComCam: 9}\n"
        + "  counts:\n"
        + "    - {name: raws, dataset-type: raw, collections: [LSSTComCam/raw/all], count: " + RAWS + "}\n";
  }

  /** {@code verify --now REPO} until it exits with {@code code}; its output then. */
  private static String awaitVerify(Map<String, String> env, int code, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = AutobutlerCommand.commandLine(env).setOut(new PrintWriter(out, true))
          .setErr(new PrintWriter(err, true)).execute("verify", "--now", REPO);
      last = out + "" + err;
      if (exit == code) {
        return last;
      }
      Thread.sleep(3000);
    }
    throw new AssertionError("verify did not exit with " + code + " within " + patience + "; last:\n" + last);
  }

  private static String run(Map<String, String> env, int code, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AutobutlerCommand.commandLine(env).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    assertThat(exit).as("%s%n%s%s", List.of(args), out, err).isEqualTo(code);
    return out + "" + err;
  }

  private static void admin(String simulator, String action, String json) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(simulator + "/simulator/" + action)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static void awaitUp(String url, Process process, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try {
        if (HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the Rucio simulator did not start: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
