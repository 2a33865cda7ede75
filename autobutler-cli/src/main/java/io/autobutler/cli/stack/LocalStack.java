package io.autobutler.cli.stack;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.autobutler.cli.CliException;
import io.autobutler.core.event.Topics;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestException;
import io.autobutler.core.manifest.ManifestReader;

/**
 * The local stack: a Kafka broker, PostgreSQL (the configured server, or an embedded one) and the four services,
 * each a background process recorded in a pid file under the state folder. {@code up} is idempotent, {@code down}
 * stops only what {@code up} started.
 */
public final class LocalStack {

  public static final String KAFKA = "kafka";
  public static final String POSTGRES = "postgres";
  /** The Rucio simulator a campaign stack runs ({@code ./autobutler demo}): a test double of Rucio, not a service. */
  public static final String SIMULATOR = "rucio-simulator";
  /** The account the watcher signs in to the simulator with (userpass, as with a real Rucio). */
  private static final String SIMULATOR_ACCOUNT = "autobutler";
  /** Environment variable of catalog-service's write token ({@code autobutler.auth.write-token}). */
  public static final String WRITE_TOKEN_ENV = "AUTOBUTLER_AUTH_WRITE_TOKEN";
  private static final Duration SERVICE_GRACE = Duration.ofSeconds(30);
  private static final Duration KAFKA_GRACE = Duration.ofSeconds(60);
  private static final Duration POSTGRES_GRACE = Duration.ofSeconds(30);

  private final StackConfig config;
  private final PrintWriter out;
  private final PrintWriter err;
  private final HealthProbe health = new HealthProbe();

  /** Settings for the services from up's environment: {@code AUTOBUTLER_WATCHER_…} for the watcher, and so on. */
  private final Map<String, String> environment;

  public LocalStack(StackConfig config, PrintWriter out, PrintWriter err) {
    this(config, out, err, Map.of());
  }

  public LocalStack(StackConfig config, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    this.config = config;
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
  }

  /** The PostgreSQL server the services use, and whether it is the configured one or the embedded one. */
  public record Registry(String kind, PostgresServer server) {
    public boolean embedded() {
      return "embedded".equals(kind);
    }
  }

  // ---------------------------------------------------------------------------------------------- up

  /** Starts whatever is not running yet, waits until every service is healthy, prints the service addresses. */
  public Registry up() {
    return up(null);
  }

  /**
   * {@link #up()}, with a step between PostgreSQL and the services: {@code beforeServices} gets the registry
   * server and may write the campaign manifest the services then read (checked after it, not before anything).
   */
  public Registry up(Consumer<Registry> beforeServices) {
    Map<Service, Optional<ProcessHandle>> running = new EnumMap<>(Service.class);
    for (Service s : Service.values()) {
      running.put(s, PidFile.liveProcess(config.pidFile(s.moduleName())));
    }
    List<String> missing = running.entrySet().stream()
        .filter(e -> e.getValue().isEmpty() && !Files.isRegularFile(e.getKey().jar(config.projectRoot())))
        .map(e -> rel(e.getKey().jar(config.projectRoot())).toString())
        .toList();
    if (!missing.isEmpty()) {
      throw new CliException("not built: " + String.join(", ", missing)
          + ". Build with ./mvnw -B -q -DskipTests package (the ./autobutler launcher does it when jars are missing)");
    }
    if (config.rucioListing() != null && PidFile.liveProcess(config.pidFile(SIMULATOR)).isEmpty()
        && !Files.isRegularFile(simulatorJar())) {
      throw new CliException("not built: " + rel(simulatorJar())
          + ". Build with ./mvnw -B -q -DskipTests package (the ./autobutler launcher does it when jars are missing)");
    }
    CampaignManifest manifest = config.manifest() == null || beforeServices != null ? null
        : checkManifest(config.manifest());
    createDirectories(config.logsDir());
    createDirectories(config.runDir());

    StackToken.Ensured token = StackToken.ensure(config.tokenFile());
    if (token.generated()) {
      err.println("catalog-service: generated a write token in " + rel(config.tokenFile())
          + " (the butler commands read it from there)");
      running.get(Service.CATALOG_SERVICE).ifPresent(p -> err.println("catalog-service: running since before the"
          + " token was generated (pid " + p.pid() + "), so it refuses writes: run ./autobutler down, then up"));
    }
    startKafka();
    Registry registry = startPostgres();
    config.record(registry.kind(), registry.server().url());
    if (beforeServices != null) {
      beforeServices.accept(registry);
      manifest = config.manifest() == null ? null : checkManifest(config.manifest());
    }
    RucioSettings rucio = config.rucioListing() == null ? null : startSimulator(manifest);

    for (Service s : Service.values()) {
      if (running.get(s).isPresent()) {
        err.println(s.moduleName() + ": already running (pid " + running.get(s).get().pid() + ")");
      } else {
        startService(s, registry, token.token(), rucio);
      }
    }
    err.flush();
    if (rucio != null) {
      awaitSimulator();
    }
    awaitHealthy();
    printServices();
    return registry;
  }

  /** A manifest the services would refuse stops {@code up} before anything starts, with the reader's message. */
  private static CampaignManifest checkManifest(Path manifest) {
    try {
      return ManifestReader.read(manifest);
    } catch (ManifestException e) {
      throw new CliException("campaign manifest " + e.getMessage());
    }
  }

  /** What the watcher is told of the Rucio it watches: the simulator's address and its Hermes topics. */
  private record RucioSettings(String url, String password, List<String> hermesTopics) {
  }

  Path simulatorJar() {
    return config.projectRoot().resolve(SIMULATOR).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /**
   * Starts the Rucio simulator (unless it runs) with the campaign's catalogue listing, for the manifest's RSE and
   * scopes, its Hermes messages on this stack's Kafka (topics {@code <RSE>-<scope>}, created here).
   */
  private RucioSettings startSimulator(CampaignManifest manifest) {
    String rse = manifest != null && manifest.rucio() != null && manifest.rucio().rse() != null
        ? manifest.rucio().rse() : "IN2P3_RAW_DISK";
    List<String> scopes = manifest != null && manifest.rucio() != null && manifest.rucio().scopes() != null
        ? manifest.rucio().scopes() : List.of("raw");
    List<String> topics = scopes.stream().map(scope -> rse + "-" + scope).toList();
    KafkaBrokerProcess.createTopics(config.kafkaBootstrap(), topics.stream().collect(Collectors.toMap(t -> t, t -> 3)),
        config.timeout());
    // a password of this stack's own, never on a command line
    String password = StackToken.ensure(config.runDir().resolve("rucio-simulator.secret")).token();
    Optional<ProcessHandle> running = PidFile.liveProcess(config.pidFile(SIMULATOR));
    if (running.isPresent()) {
      err.println(SIMULATOR + ": already running (pid " + running.get().pid() + ")");
      return new RucioSettings(config.simulatorUrl(), password, topics);
    }
    requireFree(config.simulatorPort(), "the Rucio simulator", "--simulator-port or AUTOBUTLER_SIMULATOR_PORT");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(config.simulatorPort()));
    env.put("SIMULATOR_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
    env.put("SIMULATOR_CATALOGUE_LISTING", config.rucioListing().toString());
    env.put("SIMULATOR_RSE", rse);
    env.put("SIMULATOR_SCOPES", String.join(",", scopes));
    env.put("SIMULATOR_ACCOUNT", SIMULATOR_ACCOUNT);
    env.put("SIMULATOR_USERNAME", SIMULATOR_ACCOUNT);
    env.put("SIMULATOR_PASSWORD", password);
    Path log = config.logFile(SIMULATOR);
    err.println(SIMULATOR + ": starting on " + config.simulatorUrl() + " with " + rel(config.rucioListing())
        + " (log " + rel(log) + ")");
    err.flush();
    Process process = ProcessControl.startDetached(List.of(ProcessControl.javaExecutable().toString(),
        config.stackMarker(), "-jar", simulatorJar().toString()), env, config.projectRoot(), log);
    new PidFile(process.pid(), List.of(config.stackMarker(), simulatorJar().toString()))
        .write(config.pidFile(SIMULATOR));
    return new RucioSettings(config.simulatorUrl(), password, topics);
  }

  /** The simulator answers Rucio's {@code GET /ping} once its catalogue is loaded. */
  private void awaitSimulator() {
    long deadline = System.nanoTime() + config.timeout().toNanos();
    Path log = config.logFile(SIMULATOR);
    while (!health.answers(config.simulatorUrl() + "/ping")) {
      if (PidFile.liveProcess(config.pidFile(SIMULATOR)).isEmpty()) {
        throw new CliException(SIMULATOR + " exited during startup; see " + rel(log) + System.lineSeparator()
            + ProcessControl.tail(log, 20));
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(SIMULATOR + " did not answer GET /ping within " + config.timeout().toSeconds()
            + " s; see " + rel(log) + ". './autobutler down' stops what was started.");
      }
      KafkaBrokerProcess.sleep(300);
    }
  }

  void startKafka() {
    KafkaBrokerProcess broker = broker();
    Path pidFile = config.pidFile(KAFKA);
    Path log = config.logFile(KAFKA);
    Optional<ProcessHandle> running = PidFile.liveProcess(pidFile);
    if (running.isPresent()) {
      err.println("kafka: already running on " + broker.bootstrap() + " (pid " + running.get().pid() + ")");
    } else {
      broker.checkLibs();
      requireFree(config.kafkaPort(), "Kafka", "--kafka-port or AUTOBUTLER_KAFKA_PORT");
      requireFree(config.kafkaControllerPort(), "the Kafka controller",
          "--kafka-controller-port or AUTOBUTLER_KAFKA_CONTROLLER_PORT");
      broker.writeConfig();
      broker.formatIfNeeded(log, config.timeout());
      err.println("kafka: starting on " + broker.bootstrap() + " (log " + rel(log) + ")");
      err.flush();
      PidFile started = broker.start(log);
      started.write(pidFile);
      broker.awaitReady(ProcessHandle.of(started.pid()).orElseGet(() -> failedAtStart("Kafka broker", log)), log,
          config.timeout());
    }
    Map<String, Integer> topics = KafkaBrokerProcess.createTopics(broker.bootstrap(), Topics.all(), config.timeout());
    err.println("kafka: " + topics.size() + " topics ready (" + topics.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" ")) + ")");
    err.flush();
  }

  KafkaBrokerProcess broker() {
    return new KafkaBrokerProcess(
        config.projectRoot().resolve("deploy/kafka/target/libs"),
        config.projectRoot().resolve("deploy/kafka"),
        config.kafkaDir(),
        StackConfig.HOST, config.kafkaPort(), config.kafkaControllerPort(),
        config.stackMarker());
  }

  Registry startPostgres() {
    PostgresServer configured = new PostgresServer(config.dbUrl(), config.dbUser(), config.dbPassword());
    PostgresServer embedded = embeddedServer();
    Optional<ProcessHandle> embeddedRunning = PidFile.liveProcess(config.pidFile(POSTGRES));
    if (embeddedRunning.isEmpty()) {
      embeddedRunning = adoptOrphanPostmaster(embedded);
    }
    if (embeddedRunning.isPresent()) {
      err.println("postgresql: embedded server already running on " + embedded.url().display()
          + " (pid " + embeddedRunning.get().pid() + ")");
      return useDatabase(new Registry("embedded", embedded));
    }
    if (config.postgresMode() == PostgresMode.EMBEDDED) {
      return startEmbedded(embedded);
    }
    PostgresServer.Probe probe = configured.probe();
    switch (probe) {
      case UP, DATABASE_MISSING -> {
        err.println("postgresql: using the server at " + configured.url().display());
        return useDatabase(new Registry("server", configured));
      }
      case LOGIN_REFUSED -> throw new CliException("PostgreSQL at " + configured.url().display()
          + " refused user " + configured.user() + ": set AUTOBUTLER_DB_USER / AUTOBUTLER_DB_PASSWORD "
          + "(or --db-user / --db-password), or use --postgres embedded");
      case UNREACHABLE -> {
        if (config.postgresMode() == PostgresMode.SERVER) {
          throw new CliException("no PostgreSQL server answers at " + configured.url().display()
              + " (--postgres server)");
        }
        err.println("postgresql: nothing answers at " + configured.url().display()
            + ", starting an embedded server");
        return startEmbedded(embedded);
      }
      default -> throw new CliException("PostgreSQL at " + configured.url().display()
          + " answers but cannot be used now; try again, or use --postgres embedded");
    }
  }

  PostgresServer embeddedServer() {
    return new PostgresServer(config.dbUrl().withHostAndPort(StackConfig.HOST, config.embeddedPostgresPort())
        .withParameters(""), "postgres", "postgres");
  }

  private Registry useDatabase(Registry registry) {
    if (registry.server().ensureDatabase()) {
      err.println("postgresql: created database " + registry.server().url().database());
    }
    err.flush();
    return registry;
  }

  private Registry startEmbedded(PostgresServer embedded) {
    Path data = config.postgresDir().resolve("data");
    Path log = config.logFile(POSTGRES);
    stopOrphanPostmaster(data);
    requireFree(config.embeddedPostgresPort(), "the embedded PostgreSQL",
        "--embedded-postgres-port or AUTOBUTLER_EMBEDDED_POSTGRES_PORT");
    List<String> command = new ArrayList<>(List.of(
        ProcessControl.javaExecutable().toString(),
        "-Xmx128m",
        config.stackMarker(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", ownClasspath(),
        EmbeddedPostgresMain.class.getName(),
        data.toString(),
        Integer.toString(config.embeddedPostgresPort()),
        config.postgresDir().resolve("bin").toString()));
    err.println("postgresql: starting an embedded server on " + embedded.url().display() + " (data in "
        + rel(data) + ", log " + rel(log) + ")");
    err.flush();
    Process process = ProcessControl.startDetached(command, Map.of(), config.stateDir(), log);
    new PidFile(process.pid(), List.of(config.stackMarker(), EmbeddedPostgresMain.class.getName(), data.toString()))
        .write(config.pidFile(POSTGRES));
    long deadline = System.nanoTime() + config.timeout().toNanos();
    while (true) {
      PostgresServer.Probe probe = embedded.probe();
      if (probe == PostgresServer.Probe.UP || probe == PostgresServer.Probe.DATABASE_MISSING) {
        break;
      }
      if (!process.isAlive()) {
        throw new CliException("the embedded PostgreSQL exited during startup; see " + rel(log)
            + System.lineSeparator() + ProcessControl.tail(log, 20));
      }
      if (System.nanoTime() > deadline) {
        throw new CliException("the embedded PostgreSQL did not answer on " + embedded.url().display()
            + " within " + config.timeout().toSeconds() + " s; see " + rel(log));
      }
      KafkaBrokerProcess.sleep(300);
    }
    return useDatabase(new Registry("embedded", embedded));
  }

  /** This program's classpath, absolute, for the background Java processes it starts from its own classes. */
  static String ownClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(s -> Path.of(s).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * The postmaster of the embedded data folder, if one runs: its pid from {@code postmaster.pid}, and only if that
   * process's command line names the data folder.
   */
  private static Optional<PidFile> postmaster(Path data) {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      PidFile postmaster = new PidFile(Long.parseLong(lines.get(0).trim()), List.of(data.toString()));
      return postmaster.process().isPresent() ? Optional.of(postmaster) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * An embedded server whose Java launcher is gone (killed by force) but which still serves: keep using it, and
   * record the postmaster itself in the pid file so that {@code down} stops it.
   */
  private Optional<ProcessHandle> adoptOrphanPostmaster(PostgresServer embedded) {
    Optional<PidFile> postmaster = postmaster(config.postgresDir().resolve("data"));
    if (postmaster.isEmpty()) {
      return Optional.empty();
    }
    PostgresServer.Probe probe = embedded.probe();
    if (probe != PostgresServer.Probe.UP && probe != PostgresServer.Probe.DATABASE_MISSING) {
      return Optional.empty();
    }
    postmaster.get().write(config.pidFile(POSTGRES));
    return postmaster.get().process();
  }

  /**
   * A postmaster of the embedded data folder left over without its Java launcher: stop it, since it holds the data
   * folder and the port. Only a process whose command line names that data folder is touched.
   */
  private Optional<ProcessControl.StopResult> stopOrphanPostmaster(Path data) {
    return postmaster(data).flatMap(PidFile::process).map(p -> {
      err.println("postgresql: stopping the embedded server left running (pid " + p.pid() + ")");
      err.flush();
      return ProcessControl.terminate(p, POSTGRES_GRACE);
    });
  }

  private void startService(Service service, Registry registry, String writeToken, RucioSettings rucio) {
    requireFree(config.port(service), service.moduleName(),
        "--" + service.key() + "-port or " + service.portEnv());
    Path jar = service.jar(config.projectRoot());
    Path log = config.logFile(service.moduleName());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
    env.put("QUARKUS_DATASOURCE_JDBC_URL", registry.server().url().jdbc());
    env.put("QUARKUS_DATASOURCE_USERNAME", registry.server().user());
    env.put("QUARKUS_DATASOURCE_PASSWORD", registry.server().password());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(config.port(service)));
    if (service == Service.CATALOG_SERVICE) {
      // in the environment, never on the command line where ps would show it
      env.put(WRITE_TOKEN_ENV, writeToken);
    }
    if (service == Service.REPLICATION_WATCHER && rucio != null) {
      env.put("AUTOBUTLER_WATCHER_RUCIO_URL", rucio.url());
      env.put("AUTOBUTLER_WATCHER_RUCIO_ACCOUNT", SIMULATOR_ACCOUNT);
      env.put("AUTOBUTLER_WATCHER_RUCIO_USERNAME", SIMULATOR_ACCOUNT);
      env.put("AUTOBUTLER_WATCHER_RUCIO_PASSWORD", rucio.password());
      env.put("AUTOBUTLER_WATCHER_HERMES_TOPICS", String.join(",", rucio.hermesTopics()));
      // files without Rubin metadata (index files, refcat shards) have no Hermes message: a brisk poll finds them
      env.put("AUTOBUTLER_WATCHER_POLL_INTERVAL", "PT2S");
    }
    if (config.manifest() != null) {
      env.put("AUTOBUTLER_INGEST_MANIFEST", config.manifest().toString());
      env.put("AUTOBUTLER_WATCHER_MANIFEST", config.manifest().toString());
      env.put("AUTOBUTLER_CATALOG_MANIFEST", config.manifest().toString());
      env.put("AUTOBUTLER_VERIFIER_MANIFEST", config.manifest().toString());
    }
    if (service == Service.VERIFIER_SERVICE) {
      // what Rucio has at the RSE, the verifier reads through the watcher
      env.put("AUTOBUTLER_VERIFIER_WATCHER_URL", config.serviceUrl(Service.REPLICATION_WATCHER));
    }
    // the service's own settings in up's environment (a process inherits them anyway; a caller in the same JVM,
    // such as a test, gives them this way): AUTOBUTLER_WATCHER_RUCIO_URL to the watcher, and so on
    String prefix = "AUTOBUTLER_" + service.key().toUpperCase(java.util.Locale.ROOT) + "_";
    environment.forEach((name, value) -> {
      if (name.startsWith(prefix) && !name.equals(service.portEnv())) {
        env.put(name, value);
      }
    });
    List<String> command = List.of(ProcessControl.javaExecutable().toString(), config.stackMarker(),
        "-jar", jar.toString());
    err.println(service.moduleName() + ": starting on " + config.serviceUrl(service) + " (log " + rel(log) + ")");
    err.flush();
    Process process = ProcessControl.startDetached(command, env, config.projectRoot(), log);
    new PidFile(process.pid(), List.of(config.stackMarker(), jar.toString()))
        .write(config.pidFile(service.moduleName()));
  }

  private void awaitHealthy() {
    List<Service> pending = new ArrayList<>(List.of(Service.values()));
    Map<Service, HealthProbe.Health> last = new EnumMap<>(Service.class);
    long deadline = System.nanoTime() + config.timeout().toNanos();
    while (!pending.isEmpty()) {
      for (Service s : List.copyOf(pending)) {
        Path log = config.logFile(s.moduleName());
        if (PidFile.read(config.pidFile(s.moduleName())).flatMap(PidFile::process).isEmpty()) {
          throw new CliException(s.moduleName() + " exited during startup; see " + rel(log)
              + System.lineSeparator() + ProcessControl.tail(log, 20));
        }
        HealthProbe.Health h = health.check(config.serviceUrl(s));
        last.put(s, h);
        if (h == HealthProbe.Health.UP) {
          pending.remove(s);
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        Service s = pending.get(0);
        throw new CliException(s.moduleName() + " did not become healthy within " + config.timeout().toSeconds()
            + " s (GET " + config.serviceUrl(s) + "/q/health: " + last.get(s) + "); see "
            + rel(config.logFile(s.moduleName())) + ". './autobutler down' stops what was started.");
      }
      KafkaBrokerProcess.sleep(500);
    }
  }

  /** One line per service (and the simulator, when the stack runs one): its name and base URL. */
  public void printServices() {
    for (Service s : Service.values()) {
      out.println(s.moduleName() + " " + config.serviceUrl(s));
    }
    if (config.rucioListing() != null) {
      out.println(SIMULATOR + " " + config.simulatorUrl());
    }
    out.flush();
  }

  // ---------------------------------------------------------------------------------------------- down

  /** Stops what {@code up} started (services, then Kafka, then the embedded PostgreSQL); data stay. */
  public void down() {
    int stopped = 0;
    List<Service> services = new ArrayList<>(List.of(Service.values()));
    java.util.Collections.reverse(services);
    for (Service s : services) {
      stopped += stop(s.moduleName(), SERVICE_GRACE);
    }
    stopped += stop(SIMULATOR, SERVICE_GRACE);
    stopped += stop(KAFKA, KAFKA_GRACE);
    stopped += stop(POSTGRES, POSTGRES_GRACE);
    Optional<ProcessControl.StopResult> orphan = stopOrphanPostmaster(config.postgresDir().resolve("data"));
    if (orphan.isPresent()) {
      stopped++;
    }
    PidFile.deleteQuietly(config.recordFile());
    if (stopped == 0) {
      out.println("nothing was running");
    }
    out.flush();
  }

  private int stop(String component, Duration grace) {
    Path pidFile = config.pidFile(component);
    Optional<PidFile> recorded = PidFile.read(pidFile);
    if (recorded.isEmpty()) {
      PidFile.deleteQuietly(pidFile);
      return 0;
    }
    ProcessControl.StopResult result = ProcessControl.stop(pidFile, grace);
    switch (result) {
      case STOPPED -> out.println("stopped " + component + " (pid " + recorded.get().pid() + ")");
      case KILLED -> out.println("killed " + component + " (pid " + recorded.get().pid() + ") after "
          + grace.toSeconds() + " s");
      case NOT_RUNNING -> out.println(component + " was not running (stale pid file removed)");
    }
    out.flush();
    return result == ProcessControl.StopResult.NOT_RUNNING ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------------------- status

  /** Prints one line per part with its state; true when everything is UP. */
  public boolean status() {
    boolean allUp = true;
    for (Service s : Service.values()) {
      boolean ours = PidFile.liveProcess(config.pidFile(s.moduleName())).isPresent();
      HealthProbe.Health h = health.check(config.serviceUrl(s));
      String state = switch (h) {
        case UP -> "UP";
        case DOWN -> "DOWN";
        case UNREACHABLE -> ours ? "DOWN" : "not running";
      };
      allUp &= h == HealthProbe.Health.UP;
      out.println(s.moduleName() + " " + config.serviceUrl(s) + " " + state);
    }

    if (config.rucioListing() != null || PidFile.liveProcess(config.pidFile(SIMULATOR)).isPresent()) {
      boolean answers = health.answers(config.simulatorUrl() + "/ping");
      allUp &= answers;
      out.println(SIMULATOR + " " + config.simulatorUrl() + " " + (answers ? "UP"
          : PidFile.liveProcess(config.pidFile(SIMULATOR)).isPresent() ? "DOWN" : "not running"));
    }

    boolean kafkaOurs = PidFile.liveProcess(config.pidFile(KAFKA)).isPresent();
    String kafkaState;
    if (ProcessControl.portAnswers(StackConfig.HOST, config.kafkaPort())) {
      kafkaState = KafkaBrokerProcess.answers(config.kafkaBootstrap()) ? "UP" : "DOWN";
    } else {
      kafkaState = kafkaOurs ? "DOWN" : "not running";
    }
    allUp &= kafkaState.equals("UP");
    out.println("kafka " + config.kafkaBootstrap() + " " + kafkaState);

    boolean embeddedOurs = PidFile.liveProcess(config.pidFile(POSTGRES)).isPresent();
    boolean recordedEmbedded = "embedded".equals(config.recorded().getProperty("postgres.kind"));
    // the database the running stack uses, as up recorded it (the demo's campaign has one of its own)
    String recordedUrl = config.recorded().getProperty("postgres.effective.url");
    PostgresServer pg;
    if (recordedUrl != null) {
      pg = recordedEmbedded ? new PostgresServer(JdbcUrl.parse(recordedUrl), "postgres", "postgres")
          : new PostgresServer(JdbcUrl.parse(recordedUrl), config.dbUser(), config.dbPassword());
    } else {
      pg = embeddedOurs || config.postgresMode() == PostgresMode.EMBEDDED ? embeddedServer()
          : new PostgresServer(config.dbUrl(), config.dbUser(), config.dbPassword());
    }
    String pgState = switch (pg.probe()) {
      case UP -> "UP";
      case DATABASE_MISSING -> "DOWN (no database " + pg.url().database() + ")";
      case LOGIN_REFUSED -> "DOWN (login refused for " + pg.user() + ")";
      case UNREACHABLE -> embeddedOurs ? "DOWN" : "not running";
      case ERROR -> "DOWN";
    };
    allUp &= pgState.equals("UP");
    out.println("postgresql " + pg.url().display() + " " + pgState);
    out.flush();
    return allUp;
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private void requireFree(int port, String what, String howToChange) {
    if (ProcessControl.portAnswers(StackConfig.HOST, port)) {
      throw new CliException("port " + port + " (for " + what + ") is in use by a process this stack did not start;"
          + " stop it or choose another port with " + howToChange);
    }
  }

  private static <T> T failedAtStart(String what, Path log) {
    throw new CliException(what + " exited at once; see " + log + System.lineSeparator()
        + ProcessControl.tail(log, 20));
  }

  /** A path as the user would type it from the project folder, when it is inside it. */
  Path rel(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    return abs.startsWith(config.projectRoot()) ? config.projectRoot().relativize(abs) : abs;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
