package io.autobutler.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.Folders;
import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.LocalStack;
import io.autobutler.cli.stack.PidFile;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.core.campaign.CampaignGenerator;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.event.Topics;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler demo}: RTN-103's campaign end to end. The campaign generator writes the synthetic campaign,
 * {@code up} starts the stack with a Rucio simulator serving it and the campaign's manifest, the replicas land over
 * a few seconds, and the services build the repository with nobody typing a butler command; the demo shows the
 * progress and ends with RTN-103's checks.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "RTN-103's campaign end to end: replicas land, the repository builds itself.",
        "",
        "Generates the synthetic ComCam campaign of the scale (once: .autobutler/demo/<scale>/), writes its manifest "
            + "from deploy/campaigns/frdf-comcam/manifest.yaml with local roots, starts the stack ('up') with a Rucio "
            + "simulator that serves the campaign at IN2P3_RAW_DISK, lands every replica through it over a few "
            + "seconds (with Hermes messages), and shows what has landed, been ingested and been verified until "
            + "the repository holds the whole campaign. Then prints query-collections --chains=tree of "
            + "LSSTComCam/DP1/defaults (RTN-103's tree), the raw and science-raw counts, the verifier's summary, and "
            + "where to look next. Each scale has a database of its own (<database>_demo_<scale>); running the demo "
            + "again finds its campaign in place. './autobutler down' stops everything.",
        "",
        "The stack options are up's; --manifest is not used (the demo writes its campaign's own)."})
public class DemoCommand implements Callable<Integer> {

  /** The repository RTN-103 builds (namespace ccms1), as the manifest names it. */
  static final String REPOSITORY = "ccms1";
  static final String DEFAULTS = "LSSTComCam/DP1/defaults";
  /** RTN-103's {@code query-collections --chains=tree $REPO LSSTComCam/DP1/defaults}, line for line. */
  public static final String REFERENCE_TREE = "deploy/campaigns/frdf-comcam/rtn103-defaults-tree.txt";
  private static final int WAVES = 10;
  private static final Duration WAVE_SPACING = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofSeconds(2);

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions options;

  @Option(names = "--scale", paramLabel = "small|full", defaultValue = "small",
      description = "small: 4,651 raws (600 science), a thirty-second of RTN-103's campaign, about a minute; full: "
          + "RTN-103's 148,845 raws (19,201 science). Default: small.")
  String scale;

  @Option(names = "--wait", paramLabel = "MINUTES",
      description = "How long to wait for the repository to hold the whole campaign (default 10, full scale 60).")
  Integer waitMinutes;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public Integer call() throws Exception {
    long began = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CampaignGenerator.Scale size;
    try {
      size = CampaignGenerator.Scale.parse(scale);
    } catch (IllegalArgumentException e) {
      throw new CliException("--scale: " + e.getMessage());
    }
    StackConfig base = StackConfig.resolve(options, parent.env(), parent.home());
    Path folder = base.stateDir().resolve("demo").resolve(size.label());
    CampaignGenerator.Summary campaign = campaign(size, folder, out);

    Path manifestFile = folder.resolve(DemoManifest.FILE_NAME);
    JdbcUrl database = demoDatabase(base.dbUrl(), size);
    StackConfig config = base.withCampaign(database, manifestFile, folder.resolve(CampaignGenerator.CATALOGUE));
    refuseOtherStack(base, config);
    Path datastore = base.stateDir().resolve("datastore").resolve(REPOSITORY + "_" + size.label());
    new LocalStack(config, out, err).up(registry -> DemoManifest.write(base.projectRoot().resolve(DemoManifest.SOURCE),
        folder, new DemoManifest.Roots(directoryUri(datastore), registry.server().url().display(),
            config.simulatorUrl()), campaign));
    CampaignManifest manifest = ManifestReader.read(manifestFile);
    String repository = manifest.repository().name();

    CampaignProgress progress = new CampaignProgress(http, config.simulatorUrl(),
        config.serviceUrl(Service.REPLICATION_WATCHER), config.serviceUrl(Service.INGEST_SERVICE),
        config.serviceUrl(Service.CATALOG_SERVICE), config.serviceUrl(Service.VERIFIER_SERVICE), repository, campaign);
    out.println();
    long landingBegan = System.nanoTime();
    int pending = progress.pendingFiles();
    if (pending > 0) {
      out.printf(Locale.ROOT, "Landing the campaign at %s through the Rucio simulator: %,d files in %d waves, %d ms"
          + " apart, with Hermes messages for the files that carry Rubin metadata%n", manifest.rucio().rse(),
          pending, WAVES, WAVE_SPACING.toMillis());
      out.flush();
      land(config.simulatorUrl(), pending);
    } else {
      out.printf(Locale.ROOT, "Every replica of the campaign has landed at %s already%n", manifest.rucio().rse());
    }
    double landed = seconds(landingBegan);
    Duration patience = Duration.ofMinutes(waitMinutes != null ? waitMinutes
        : size == CampaignGenerator.Scale.FULL ? 60 : 10);
    List<String> missing = follow(progress, campaign, landingBegan, patience, out);
    out.println();
    if (!missing.isEmpty()) {
      out.println("The repository does not hold the whole campaign after " + patience.toMinutes() + " minutes:");
      missing.forEach(m -> out.println("  " + m));
      out.println("The stack keeps running: see " + rel(config, config.logsDir()) + ", './autobutler status', and"
          + " './autobutler down' to stop it.");
      out.flush();
      return 1;
    }
    out.printf(Locale.ROOT, "Repository %s holds the whole %s campaign: the replicas landed in %.1f s, the"
        + " repository was complete %.1f s after the first landed (%.0f s since the demo started).%n",
        repository, size.label(), landed, seconds(landingBegan), seconds(began));
    report(config, repository, campaign, out);
    return 0;
  }

  /**
   * The scale's own database: {@code <database>_demo_<scale>}, the configured database's name without the suffix a
   * running demo stack recorded.
   */
  static JdbcUrl demoDatabase(JdbcUrl configured, CampaignGenerator.Scale size) {
    String name = configured.database();
    for (CampaignGenerator.Scale any : CampaignGenerator.Scale.values()) {
      if (name.endsWith("_demo_" + any.label())) {
        name = name.substring(0, name.length() - ("_demo_" + any.label()).length());
      }
    }
    return configured.withDatabase(name + "_demo_" + size.label());
  }

  /** The campaign of this scale in its folder: the one generated before, or a new one. */
  private static CampaignGenerator.Summary campaign(CampaignGenerator.Scale size, Path folder, PrintWriter out)
      throws IOException {
    Optional<CampaignGenerator.Summary> existing = CampaignGenerator.read(folder)
        .filter(s -> s.version() == CampaignGenerator.VERSION && s.scale().equals(size.label()));
    CampaignGenerator.Summary campaign;
    String how;
    if (existing.isPresent()) {
      campaign = existing.get();
      how = "generated before";
    } else {
      out.printf(Locale.ROOT, "Generating the %s campaign in %s …%n", size.label(), folder);
      out.flush();
      Folders.deleteTree(folder);
      long t = System.nanoTime();
      campaign = CampaignGenerator.write(size, folder);
      how = String.format(Locale.ROOT, "generated in %.1f s", seconds(t));
    }
    int refcatDatasets = (int) campaign.rucioDatasets().keySet().stream().filter(d -> d.contains("/refcats/"))
        .count();
    out.printf(Locale.ROOT, "Campaign (%s, %s): %,d raws (%,d science) in %,d exposures over %d nights,"
        + " %d calibration tickets, refcats in %d Rucio datasets, pretrained models, FGCM, SSO: %,d files in %d Rucio"
        + " datasets%n", size.label(), how, campaign.raws(), campaign.scienceRaws(), campaign.exposures(),
        campaign.rucioDatasets().keySet().stream().filter(d -> d.startsWith("raw:Dataset/LSSTComCam/raw/")).count(),
        CampaignGenerator.tickets().size(), refcatDatasets, campaign.files(), campaign.rucioDatasets().size());
    out.flush();
    return campaign;
  }

  /** A stack of this state folder that runs without this campaign (another manifest, another scale) is not ours. */
  private static void refuseOtherStack(StackConfig base, StackConfig demo) {
    boolean running = Stream.concat(Stream.of(Service.values()).map(Service::moduleName),
            Stream.of(LocalStack.KAFKA, LocalStack.POSTGRES, LocalStack.SIMULATOR))
        .anyMatch(component -> PidFile.liveProcess(base.pidFile(component)).isPresent());
    String recorded = base.recorded().getProperty("manifest");
    if (running && !demo.manifest().toString().equals(recorded)) {
      throw new CliException("a stack runs in " + base.stateDir() + " with " + (recorded == null ? "no campaign"
          : "the campaign " + recorded) + ": stop it first with './autobutler down' (its data stay)");
    }
  }

  /** Makes every file of the catalogue land, in waves: COPYING, a Hermes message, AVAILABLE 100 ms later. */
  private void land(String simulatorUrl, int files) throws InterruptedException {
    int perWave = (files + WAVES - 1) / WAVES;
    for (int wave = 0; wave < WAVES; wave++) {
      long next = System.nanoTime() + WAVE_SPACING.toNanos();
      post(simulatorUrl + "/simulator/land", "{\"count\":" + perWave + ",\"hermes\":true,\"availableAfterMs\":100}");
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
    }
  }

  private void post(String url, String body) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new CliException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new CliException("POST " + url + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /**
   * Shows the progress line until the repository holds the whole campaign (then returns nothing missing) or
   * patience runs out (then returns what is missing). On a terminal the line is rewritten in place.
   */
  private List<String> follow(CampaignProgress progress, CampaignGenerator.Summary campaign, long since,
                              Duration patience, PrintWriter out) throws InterruptedException {
    boolean terminal = System.console() != null;
    long deadline = System.nanoTime() + patience.toNanos();
    long lastLine = 0;
    while (true) {
      List<String> missing = progress.missing();
      CampaignProgress.Figures figures = progress.figures();
      String line = String.format(Locale.ROOT, "[%5.1f s] landed %,d/%,d files · announced %s · ingested %s"
          + " datasets · verified: %s", seconds(since), Math.max(figures.landed(), 0), campaign.files(),
          figure(figures.announced()), figure(figures.ingested()),
          figures.verified() == null ? "—" : figures.verified());
      boolean done = missing.isEmpty() || System.nanoTime() > deadline;
      String waiting = missing.isEmpty() ? "" : abbreviate(" · waiting for " + missing.get(0), 100);
      if (terminal) {
        out.print("\r" + line + abbreviate(waiting, 60) + "\u001b[K" + (done ? "\n" : ""));
      } else if (done || System.nanoTime() - lastLine > Duration.ofSeconds(5).toNanos()) {
        out.println(line + waiting);
        lastLine = System.nanoTime();
      }
      out.flush();
      if (done) {
        return missing;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static String abbreviate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }

  /** RTN-103's closing checks, the verifier's summary, and where to look next. */
  private void report(StackConfig config, String repository, CampaignGenerator.Summary campaign, PrintWriter out)
      throws IOException {
    String tree = butler(config, out, "query-collections", "--chains=tree", repository, DEFAULTS);
    String reference = Files.readString(config.projectRoot().resolve(REFERENCE_TREE), StandardCharsets.UTF_8);
    out.println(tree.equals(reference) ? "(identical to RTN-103's tree, " + REFERENCE_TREE + ")"
        : "(NOT identical to RTN-103's tree, " + REFERENCE_TREE + ")");

    // RTN-103 counts lines: query-datasets prints 4 lines besides the rows of one dataset type
    out.println();
    String all = "query-datasets " + repository + " raw --collections " + SyntheticRaws.RUN + " --limit 0";
    String scienceOnly = "query-datasets " + repository + " raw --collections " + SyntheticRaws.RUN
        + " --where \"exposure.observation_type='science'\" --limit 0";
    long raws = butler(config, null, "query-datasets", repository, "raw", "--collections", SyntheticRaws.RUN,
        "--limit", "0").lines().count();
    long science = butler(config, null, "query-datasets", repository, "raw", "--collections", SyntheticRaws.RUN,
        "--where", "exposure.observation_type='science'", "--limit", "0").lines().count();
    out.println("$ ./autobutler " + all + " | wc -l");
    out.println(raws);
    out.println("$ ./autobutler " + scienceOnly + " | wc -l");
    out.println(science);
    out.printf(Locale.ROOT, "(%,d raws and %,d science raws, the %s campaign's; RTN-103 shows %d and %d lines:"
        + " %,d and %,d)%n", raws - 4, science - 4, campaign.scale(), SyntheticRaws.RTN103_RAWS + 4,
        SyntheticRaws.RTN103_SCIENCE_RAWS + 4, SyntheticRaws.RTN103_RAWS, SyntheticRaws.RTN103_SCIENCE_RAWS);

    out.println();
    VerifierSummary verdict = VerifierSummary.fetch(http, config.serviceUrl(Service.VERIFIER_SERVICE), repository,
        true);
    if (verdict.served()) {
      out.println("Verification (verifier-service): " + (verdict.severity() == null ? "" : verdict.severity()));
      verdict.lines().forEach(line -> out.println("  " + line));
    } else {
      out.println("Verification: " + verdict.note());
    }

    String catalog = config.serviceUrl(Service.CATALOG_SERVICE);
    String verifier = config.serviceUrl(Service.VERIFIER_SERVICE);
    out.println();
    out.println("Where to look next:");
    out.println("  " + catalog + "/api/campaign                       chains, tagged selections, convergence passes");
    out.println("  " + catalog + "/api/repositories/" + repository + "/collections?chains=TREE");
    out.println("  " + verifier + "/api/repositories/" + repository + "/verification   the verifier's summary");
    out.println("  " + config.serviceUrl(Service.REPLICATION_WATCHER) + "/api/watcher"
        + "                        replicas and datasets announced, last poll");
    out.println("  " + config.simulatorUrl() + "/simulator/status                  the Rucio simulator's RSE");
    out.println("  topics on " + config.kafkaBootstrap() + ": " + String.join(", ", Topics.RUCIO_REPLICAS,
        Topics.RUCIO_DATASETS, Topics.BUTLER_INGESTED, Topics.BUTLER_VERIFICATION) + " (and their .dlq)");
    out.println("  ./autobutler query-datasets " + repository + " flat --collections LSSTComCam/calib --limit 0");
    out.println("  ./autobutler query-dimension-records " + repository + " visit --limit 5");
    out.println("  ./autobutler status · ./autobutler down (data stay in " + rel(config, config.stateDir()) + ")");
    out.flush();
  }

  /**
   * Runs a butler command of this CLI against the stack, as a user types it; with {@code echo}, prints the command
   * and its output there. Returns its output.
   */
  private String butler(StackConfig config, PrintWriter echo, String... args) {
    Map<String, String> env = new HashMap<>(parent.env());
    env.put("AUTOBUTLER_STATE_DIR", config.stateDir().toString());
    env.put("AUTOBUTLER_CATALOG_URL", config.serviceUrl(Service.CATALOG_SERVICE));
    StringWriter text = new StringWriter();
    StringWriter errors = new StringWriter();
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(text, true));
    cl.setErr(new PrintWriter(errors, true));
    int code = cl.execute(args);
    if (code != 0) {
      throw new CliException("./autobutler " + String.join(" ", args) + " failed: " + errors);
    }
    if (echo != null) {
      echo.println();
      echo.println("$ ./autobutler " + String.join(" ", args));
      echo.print(text);
      echo.flush();
    }
    return text.toString();
  }

  private static String figure(long value) {
    return value < 0 ? "—" : String.format(Locale.ROOT, "%,d", value);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** {@code file://} URL of a folder, with the trailing slash butler roots have; creates the folder. */
  static String directoryUri(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
    String uri = folder.toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  private static Path rel(StackConfig config, Path path) {
    return path.startsWith(config.projectRoot()) ? config.projectRoot().relativize(path) : path;
  }
}
