package io.autobutler.cli.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import io.autobutler.cli.CliException;

/**
 * The resolved settings of one local stack: where its files are and where each part listens.
 * Each setting comes from the command-line option, else the environment variable, else what the running stack
 * recorded at {@code up} ({@code run/stack.properties}), else the default.
 */
public record StackConfig(
    Path projectRoot,
    Path stateDir,
    int kafkaPort,
    int kafkaControllerPort,
    Map<Service, Integer> servicePorts,
    JdbcUrl dbUrl,
    String dbUser,
    String dbPassword,
    PostgresMode postgresMode,
    int embeddedPostgresPort,
    Duration timeout,
    Path manifest,
    int simulatorPort,
    Path rucioListing) {

  public static final String HOST = "127.0.0.1";
  public static final String DEFAULT_DB_URL = "jdbc:postgresql://127.0.0.1:5432/autobutler";
  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
  public static final int DEFAULT_EMBEDDED_POSTGRES_PORT = 55432;
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;
  public static final int DEFAULT_SIMULATOR_PORT = 8085;
  static final String RECORD_FILE = "stack.properties";

  public StackConfig {
    servicePorts = Collections.unmodifiableMap(new EnumMap<>(servicePorts));
    manifest = manifest == null ? null : manifest.toAbsolutePath().normalize();
    rucioListing = rucioListing == null ? null : rucioListing.toAbsolutePath().normalize();
  }

  /** Resolves the settings: option, else environment, else the running stack's record, else default. */
  public static StackConfig resolve(StackOptions options, Map<String, String> env, Path projectRoot) {
    StackOptions o = options == null ? new StackOptions() : options;
    Path stateDir = stateDir(o.stateDir, env, projectRoot);
    Properties recorded = readRecord(stateDir.resolve("run").resolve(RECORD_FILE));
    Resolver r = new Resolver(env, recorded);

    Map<Service, Integer> ports = new EnumMap<>(Service.class);
    for (Service s : Service.values()) {
      ports.put(s, r.port(o.servicePort(s), s.portEnv(), s.key() + ".port", s.defaultPort()));
    }
    return new StackConfig(
        projectRoot.toAbsolutePath().normalize(),
        stateDir,
        r.port(o.kafkaPort, "AUTOBUTLER_KAFKA_PORT", "kafka.port", DEFAULT_KAFKA_PORT),
        r.port(o.kafkaControllerPort, "AUTOBUTLER_KAFKA_CONTROLLER_PORT", "kafka.controller.port",
            DEFAULT_KAFKA_CONTROLLER_PORT),
        ports,
        JdbcUrl.parse(r.value(o.dbUrl, "AUTOBUTLER_DB_URL", "db.url", DEFAULT_DB_URL, Function.identity())),
        r.value(o.dbUser, "AUTOBUTLER_DB_USER", "db.user", "postgres", Function.identity()),
        // never recorded on disk
        r.value(o.dbPassword, "AUTOBUTLER_DB_PASSWORD", null, "postgres", Function.identity()),
        r.value(o.postgresMode, "AUTOBUTLER_POSTGRES", "postgres.mode", PostgresMode.AUTO,
            v -> parseMode(v)),
        r.port(o.embeddedPostgresPort, "AUTOBUTLER_EMBEDDED_POSTGRES_PORT", "embedded.postgres.port",
            DEFAULT_EMBEDDED_POSTGRES_PORT),
        Duration.ofSeconds(positive("--timeout / AUTOBUTLER_TIMEOUT", r.value(o.timeoutSeconds, "AUTOBUTLER_TIMEOUT",
            null, DEFAULT_TIMEOUT_SECONDS, v -> parseInt("AUTOBUTLER_TIMEOUT", v)))),
        r.value(o.manifest, "AUTOBUTLER_MANIFEST", "manifest", null, Path::of),
        r.port(o.simulatorPort, "AUTOBUTLER_SIMULATOR_PORT", "simulator.port", DEFAULT_SIMULATOR_PORT),
        // only ./autobutler demo sets it; a later 'up' of the same stack restarts the simulator with it
        r.value(null, null, "simulator.listing", null, Path::of));
  }

  /**
   * This stack running a campaign: the registry database, the campaign manifest the services converge to, and the
   * catalogue listing of a Rucio simulator that {@code up} starts and the watcher watches.
   */
  public StackConfig withCampaign(JdbcUrl campaignDbUrl, Path campaignManifest, Path simulatorListing) {
    return new StackConfig(projectRoot, stateDir, kafkaPort, kafkaControllerPort, servicePorts, campaignDbUrl, dbUser,
        dbPassword, postgresMode, embeddedPostgresPort, timeout, campaignManifest, simulatorPort, simulatorListing);
  }

  /** The state folder: the option, else {@code AUTOBUTLER_STATE_DIR}, else {@code .autobutler} in the project. */
  public static Path stateDir(Path option, Map<String, String> env, Path projectRoot) {
    String fromEnv = env.get("AUTOBUTLER_STATE_DIR");
    Path stateDir = option != null ? option
        : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : projectRoot.resolve(".autobutler");
    return stateDir.toAbsolutePath().normalize();
  }

  /**
   * The catalog-service address the running stack of that state folder recorded at {@code up}, if it runs; the
   * butler commands use it when given no address.
   */
  public static java.util.Optional<String> recordedCatalogUrl(Path stateDir) {
    return recordedServiceUrl(stateDir, Service.CATALOG_SERVICE);
  }

  /** A service's address as the running stack of that state folder recorded it at {@code up}, if it runs. */
  public static java.util.Optional<String> recordedServiceUrl(Path stateDir, Service service) {
    String port = readRecord(stateDir.resolve("run").resolve(RECORD_FILE)).getProperty(service.key() + ".port");
    if (port == null || !port.trim().matches("[0-9]{1,5}")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("http://" + HOST + ":" + port.trim());
  }

  /** The catalog write token that {@code up} generated for this stack (mode 0600; see {@link StackToken}). */
  public Path tokenFile() {
    return StackToken.file(stateDir);
  }

  public String kafkaBootstrap() {
    return HOST + ":" + kafkaPort;
  }

  public int port(Service service) {
    return servicePorts.get(service);
  }

  public String serviceUrl(Service service) {
    return "http://" + HOST + ":" + port(service);
  }

  /** The Rucio simulator's base URL, when this stack runs one. */
  public String simulatorUrl() {
    return "http://" + HOST + ":" + simulatorPort;
  }

  public Path logsDir() {
    return stateDir.resolve("logs");
  }

  public Path runDir() {
    return stateDir.resolve("run");
  }

  public Path kafkaDir() {
    return stateDir.resolve("kafka");
  }

  public Path postgresDir() {
    return stateDir.resolve("postgres");
  }

  public Path pidFile(String component) {
    return runDir().resolve(component + ".pid");
  }

  public Path logFile(String component) {
    return logsDir().resolve(component + ".log");
  }

  public Path recordFile() {
    return runDir().resolve(RECORD_FILE);
  }

  /** The argument every process of this stack carries, so that it is recognised as ours and no other's. */
  public String stackMarker() {
    return "-Dautobutler.stack=" + stateDir;
  }

  /** Writes the settings (never the password) for later commands, so that they find this stack without options. */
  public void record(String postgresKind, JdbcUrl effectiveDbUrl) {
    Properties p = new Properties();
    p.setProperty("kafka.port", Integer.toString(kafkaPort));
    p.setProperty("kafka.controller.port", Integer.toString(kafkaControllerPort));
    servicePorts.forEach((s, port) -> p.setProperty(s.key() + ".port", Integer.toString(port)));
    p.setProperty("db.url", dbUrl.jdbc());
    p.setProperty("db.user", dbUser);
    p.setProperty("postgres.mode", postgresMode.name().toLowerCase(Locale.ROOT));
    p.setProperty("embedded.postgres.port", Integer.toString(embeddedPostgresPort));
    p.setProperty("postgres.kind", postgresKind);
    p.setProperty("postgres.effective.url", effectiveDbUrl.jdbc());
    if (manifest != null) {
      p.setProperty("manifest", manifest.toString());
    }
    p.setProperty("simulator.port", Integer.toString(simulatorPort));
    if (rucioListing != null) {
      p.setProperty("simulator.listing", rucioListing.toString());
    }
    try {
      Files.createDirectories(runDir());
      try (Writer w = Files.newBufferedWriter(recordFile(), StandardCharsets.UTF_8)) {
        p.store(w, "The running local stack, written by ./autobutler up and removed by ./autobutler down");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + recordFile(), e);
    }
  }

  /** What {@link #record} wrote, or an empty set. */
  public Properties recorded() {
    return readRecord(recordFile());
  }

  private static Properties readRecord(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        // an unreadable record is as good as none: defaults apply
      }
    }
    return p;
  }

  private static PostgresMode parseMode(String value) {
    try {
      return PostgresMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException("PostgreSQL mode '" + value + "' is not one of auto, server, embedded");
    }
  }

  private static int positive(String name, int n) {
    if (n <= 0) {
      throw new CliException(name + " must be positive, not " + n);
    }
    return n;
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new CliException(name + " is not a number: '" + value + "'");
    }
  }

  private record Resolver(Map<String, String> env, Properties recorded) {

    <T> T value(T option, String envName, String recordKey, T fallback, Function<String, T> parse) {
      if (option != null) {
        return option;
      }
      String fromEnv = envName == null ? null : env.get(envName);
      if (fromEnv != null && !fromEnv.isBlank()) {
        return parse.apply(fromEnv);
      }
      String fromRecord = recordKey == null ? null : recorded.getProperty(recordKey);
      if (fromRecord != null && !fromRecord.isBlank()) {
        return parse.apply(fromRecord);
      }
      return fallback;
    }

    int port(Integer option, String envName, String recordKey, int fallback) {
      int port = value(option, envName, recordKey, fallback, v -> parseInt(envName, v));
      if (port < 1 || port > 65535) {
        throw new CliException("port " + port + " (" + envName + ") is outside 1-65535");
      }
      return port;
    }
  }
}
