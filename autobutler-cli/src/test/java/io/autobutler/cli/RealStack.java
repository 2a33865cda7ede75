package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.PidFile;
import io.autobutler.cli.stack.PostgresServer;
import io.autobutler.cli.stack.ProcessControl;
import io.autobutler.cli.stack.Service;
import picocli.CommandLine;

/**
 * One real local stack per test JVM, for every test that needs a catalog-service: the real {@code up} (Kafka,
 * PostgreSQL {@code auto} with the fallback to the embedded server, the four service jars) on free ports, in a
 * state folder of its own under {@code target/real-stack/}, so that it never meets a stack on the default ports nor
 * the stack of another test run of this checkout.
 *
 * <p>Use it with {@code @ExtendWith(RealStack.class)} and a parameter of type {@link Stack} (constructor, lifecycle
 * or test method). The stack is started on first use and kept in the root {@link ExtensionContext.Store}; when the
 * whole run ends, JUnit closes it: {@code down}, then the check that no process of the stack is left, then its
 * database is dropped from the machine's server. A stack left by a run that was killed is stopped and removed by the
 * next run.
 */
public final class RealStack implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealStack.class);
  private static final Path ROOT = ProjectHome.locate(Map.of());
  /** Every stack of this checkout's test runs lives below this folder, in a folder named after its JVM's pid. */
  private static final Path STACKS = ROOT.resolve("autobutler-cli/target/real-stack");
  /** The stacks this run started: never taken for leftovers of a killed run. */
  private static final java.util.Set<Path> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Stack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  /**
   * A stack of a test's own, with its own campaign manifest (given the registry database's URL) and settings for the
   * services in up's environment ({@code AUTOBUTLER_WATCHER_RUCIO_URL}, …); the caller closes it.
   */
  public static Stack dedicated(String name, java.util.function.Function<String, String> manifest,
                                Map<String, String> environment) {
    Stack stack = new Stack(STACKS.resolve(ProcessHandle.current().pid() + "-" + name), manifest, environment);
    stack.start();
    return stack;
  }

  /** The run's stack, started on first use. */
  public static Stack stack(ExtensionContext context) {
    Stack stack = context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(Stack.class, key -> new Stack(STACKS.resolve(Long.toString(ProcessHandle.current().pid()))),
            Stack.class);
    stack.start();
    return stack;
  }

  /**
   * The running stack and what tests do with it. Closed once by JUnit at the end of the run (both interfaces: JUnit
   * 6 closes {@link AutoCloseable} values, older ones {@code CloseableResource}s).
   */
  @SuppressWarnings("deprecation")
  public static final class Stack implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    /** The repository the stack's campaign manifest ingests into. */
    public static final String EVENT_REPOSITORY = "event_ingest";
    /** The TAGGED selection of science raws the stack's campaign manifest declares. */
    public static final String EVENT_SCIENCE = "LSSTComCam/raw/science";
    /** The Rucio scope whose replicas the stack's campaign manifest takes. */
    public static final String EVENT_SCOPE = "cli_raw";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger REPOSITORIES = new AtomicInteger();

    private final Path state;
    private final long began = System.nanoTime();
    private final List<Long> pids = new ArrayList<>();
    private final Properties recorded = new Properties();
    private String ingestUrl;
    private String kafkaBootstrap;
    private boolean startAttempted;
    private Throwable startFailure;
    private boolean closed;
    private String upOut = "";
    private String upErr = "";
    private String token;
    private String catalogUrl;
    private String watcherUrl;
    private String verifierUrl;

    /** What the stack's campaign manifest is, given the registry database's URL; up's environment. */
    private final java.util.function.Function<String, String> manifestFor;
    private final Map<String, String> upEnvironment;

    Stack(Path state) {
      this(state, Stack::manifest, Map.of());
    }

    Stack(Path state, java.util.function.Function<String, String> manifestFor, Map<String, String> upEnvironment) {
      this.state = state.toAbsolutePath().normalize();
      this.manifestFor = manifestFor;
      this.upEnvironment = Map.copyOf(upEnvironment);
    }

    // ------------------------------------------------------------------------------------------- start and stop

    synchronized void start() {
      if (!startAttempted) {
        startAttempted = true;
        try {
          up();
        } catch (Throwable e) {
          startFailure = e;
        }
      }
      if (startFailure != null) {
        throw new AssertionError("the real stack did not start (state in " + ROOT.relativize(state) + "): "
            + startFailure.getMessage(), startFailure);
      }
    }

    private void up() throws Exception {
      requireBuilt();
      STARTED.add(state);
      removeLeftoverStacks(STACKS);
      int[] ports = FreePorts.of(8);
      String database = "autobutler_test_" + UUID.randomUUID().toString().substring(0, 8);
      String dbUrl = "jdbc:postgresql://127.0.0.1:5432/" + database;
      // the database the services will use, which the manifest's seed must name
      String registryUrl = dbUrl;
      if (new PostgresServer(JdbcUrl.parse(dbUrl), "postgres", "postgres").probe()
          == PostgresServer.Probe.LOGIN_REFUSED) {
        // a server these tests may not use: point 'auto' at a free port, so that it starts the embedded one
        dbUrl = "jdbc:postgresql://127.0.0.1:" + ports[7] + "/" + database;
        registryUrl = "jdbc:postgresql://127.0.0.1:" + ports[6] + "/" + database;
      }
      Files.createDirectories(state);
      Path manifest = Files.writeString(state.resolve("campaign-manifest.yaml"), manifestFor.apply(registryUrl));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code;
      try {
        code = cli(upEnvironment, out, err, "up", "--state-dir", state.toString(), "--manifest", manifest.toString(),
            "--kafka-port", Integer.toString(ports[0]), "--kafka-controller-port", Integer.toString(ports[1]),
            "--watcher-port", Integer.toString(ports[2]), "--ingest-port", Integer.toString(ports[3]),
            "--catalog-port", Integer.toString(ports[4]), "--verifier-port", Integer.toString(ports[5]),
            "--postgres", "auto", "--embedded-postgres-port", Integer.toString(ports[6]),
            "--db-url", dbUrl, "--timeout", "100");
      } finally {
        upOut = out.toString();
        upErr = err.toString();
        // whatever came up is stopped by close(), even if up failed half-way
        recorded.putAll(readProperties(state.resolve("run/stack.properties")));
        pids.addAll(recordedPids(state));
      }
      assertThat(code).as("up: %s%s", upOut, upErr).isZero();
      phase("up");
      assertThat(pids).as("pids recorded by up").hasSizeGreaterThanOrEqualTo(5);
      catalogUrl = "http://127.0.0.1:" + ports[4];
      ingestUrl = "http://127.0.0.1:" + ports[3];
      kafkaBootstrap = "127.0.0.1:" + ports[0];
      watcherUrl = "http://127.0.0.1:" + ports[2];
      verifierUrl = "http://127.0.0.1:" + ports[5];
      token = Files.readString(state.resolve("token")).strip();
    }

    /**
     * {@code down}; then no process of this stack may be left (neither a recorded pid nor any process carrying the
     * stack's marker). Whatever is left is killed and the database dropped, and the run fails.
     */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      List<String> problems = new ArrayList<>();
      try {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli(out, err, "down", "--state-dir", state.toString());
        phase("down");
        if (code != 0) {
          problems.add("down exited with " + code + ": " + out + err);
        }
        if (startFailure == null) {
          for (String expected : List.of("stopped catalog-service", "stopped kafka")) {
            if (!out.toString().contains(expected)) {
              problems.add("down did not say '" + expected + "': " + out + err);
            }
          }
        }
        // after down, the recorded processes and anything else with this stack's marker must be gone
        pids.addAll(recordedPids(state));
        for (long pid : pids) {
          if (ProcessHandle.of(pid).filter(ProcessControl::isRunning).isPresent()) {
            problems.add("process " + pid + " still runs after down");
          }
        }
        List<String> left = processesOf(state);
        if (!left.isEmpty()) {
          problems.add("processes of this stack still run after down: " + left);
        }
      } catch (RuntimeException | IOException e) {
        problems.add("down failed: " + e);
      } finally {
        for (long pid : pids) {
          ProcessHandle.of(pid).filter(ProcessControl::isRunning).ifPresent(ProcessHandle::destroyForcibly);
        }
        ProcessHandle.allProcesses().filter(p -> isOf(p, state)).forEach(ProcessHandle::destroyForcibly);
        if ("server".equals(recorded.getProperty("postgres.kind"))) {
          dropDatabase(JdbcUrl.parse(recorded.getProperty("postgres.effective.url")));
        }
      }
      if (!problems.isEmpty()) {
        throw new AssertionError("the real stack in " + ROOT.relativize(state) + " did not stop cleanly:\n  "
            + String.join("\n  ", problems));
      }
    }

    // ------------------------------------------------------------------------------------------- what tests use

    /** The stack's state folder (its token, logs, pid files; {@code AUTOBUTLER_STATE_DIR} for the CLI). */
    public Path stateDir() {
      return state;
    }

    /** catalog-service, e.g. {@code http://127.0.0.1:41234}. */
    public String catalogUrl() {
      return catalogUrl;
    }

    /** replication-watcher. */
    public String watcherUrl() {
      return watcherUrl;
    }

    /** verifier-service. */
    public String verifierUrl() {
      return verifierUrl;
    }

    /** ingest-service. */
    public String ingestUrl() {
      return ingestUrl;
    }

    /** How many replicas of a Rucio scope the ingest ledger has seen (recorded or seen again) since {@code when}. */
    public long replicasSeenSince(String scope, java.time.Instant when) {
      try (Connection c = DriverManager.getConnection(jdbcUrl().jdbc(),
               recorded.getProperty("db.user", "postgres"), "postgres");
           PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM autobutler.replica WHERE scope = ?"
               + " AND last_seen >= ?")) {
        ps.setString(1, scope);
        ps.setObject(2, java.time.OffsetDateTime.ofInstant(when, java.time.ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the replica ledger: " + e.getMessage(), e);
      }
    }

    /** The stack's Kafka broker, {@code host:port}. */
    public String kafkaBootstrap() {
      return kafkaBootstrap;
    }

    /**
     * The campaign manifest {@code up} gave the services: catalog-service creates repository
     * {@link #EVENT_REPOSITORY} with LSSTComCam registered and keeps the TAGGED selection {@link #EVENT_SCIENCE} of
     * its science raws; replicas of scope {@link #EVENT_SCOPE} in Rucio datasets {@code Dataset/LSSTComCam/raw/*} are
     * ComCam raws for it, with define-visits; every other replica is only recorded.
     */
    private static String manifest(String dbUrl) {
      return "manifest-version: 1\n"
          + "name: cli-tests\n"
          + "repository:\n"
          + "  name: " + EVENT_REPOSITORY + "\n"
          + "  seed: {registry: {db: '" + JdbcUrl.parse(dbUrl).display() + "', namespace: " + EVENT_REPOSITORY
          + "}}\n"
          + "rucio: {rse: IN2P3_RAW_DISK, scopes: [" + EVENT_SCOPE + "]}\n"
          + "setup: {instruments: [lsst.obs.lsst.LsstComCam]}\n"
          + "rules:\n"
          + "  - name: comcam-raws\n"
          + "    match: {scope: " + EVENT_SCOPE + ", dataset: 'Dataset/LSSTComCam/raw/*'}\n"
          + "    action: ingest-raws\n"
          + "    instrument: LSSTComCam\n"
          + "    run: LSSTComCam/raw/all\n"
          + "    define-visits: true\n"
          + "tagged:\n"
          + "  - name: " + EVENT_SCIENCE + "\n"
          + "    dataset-type: raw\n"
          + "    collections: [LSSTComCam/raw/all]\n"
          + "    where: exposure.observation_type = 'science'\n";
    }

    /** catalog-service's write token, as {@code up} generated it. */
    public String token() {
      return token;
    }

    /** What {@code up} printed on stdout and stderr. */
    public String upOutput() {
      return upOut;
    }

    public String upErrors() {
      return upErr;
    }

    /** The registry database as the butler writes it in seeds: {@code postgresql://host:port/database}. */
    public String registryDb() {
      return jdbcUrl().display();
    }

    /** How {@code up} recorded the stack ({@code run/stack.properties}). */
    public Properties recorded() {
      Properties copy = new Properties();
      copy.putAll(recorded);
      return copy;
    }

    /**
     * A new, empty repository over REST with the token: a unique name (from the hint) that is also its registry
     * namespace in the stack's database, its datastore in the state folder.
     */
    public String newRepository(String hint) {
      String name = uniqueName(hint);
      write("/api/repositories", Map.of("name", name, "seedConfig", seedConfig(name), "override", true), 201);
      return name;
    }

    /** A repository name not used yet in this stack, also usable as a registry namespace: {@code hint_<n>}. */
    public String uniqueName(String hint) {
      String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
      return (base.isEmpty() || !Character.isLetter(base.charAt(0)) ? "r_" + base : base)
          + "_" + REPOSITORIES.incrementAndGet();
    }

    /** A seed config for repository {@code name}: namespace {@code name} in the stack's database. */
    public String seedConfig(String name) {
      Path datastore;
      try {
        datastore = Files.createDirectories(state.resolve("datastore").resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return "datastore:\n  name: " + name + "\n  root: \"" + datastore.toUri() + "\"\nregistry:\n  db: "
          + registryDb() + "\n  namespace: " + name + "\n";
    }

    /** Registers collections of one type (RUN, TAGGED, CALIBRATION, CHAINED) over REST with the token. */
    public void collections(String repo, String type, String... names) {
      for (String name : names) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("doc", null);
        write(repoPath(repo, "collections"), body, 201);
      }
    }

    /** Defines chain {@code parent} (mode redefine, created if missing) over REST with the token. */
    public void chain(String repo, String parent, String... children) {
      write(repoPath(repo, "collection-chain"),
          Map.of("parent", parent, "children", List.of(children), "mode", "redefine", "flatten", false), 200);
    }

    /** Registers a new dataset type over REST with the token. */
    public void datasetType(String repo, String name, String storageClass, boolean isCalibration,
                            String... dimensions) {
      write(repoPath(repo, "dataset-types"), Map.of("name", name, "storageClass", storageClass,
          "dimensions", List.of(dimensions), "isCalibration", isCalibration), 201);
    }

    /** The collections of a repository with their types, by name, as catalog-service lists them. */
    public Map<String, String> collectionTypes(String repo) {
      JsonNode table = getJson(repoPath(repo, "collections") + "?chains=NO-CHILDREN");
      Map<String, String> types = new TreeMap<>();
      table.path("rows").forEach(row -> types.put(row.get(0).asText(), row.get(1).asText()));
      return types;
    }

    /** The dataset types of a repository as catalog-service lists them, by name. */
    public Map<String, JsonNode> datasetTypes(String repo) {
      Map<String, JsonNode> types = new TreeMap<>();
      getJson(repoPath(repo, "dataset-types")).forEach(t -> types.put(t.get("name").asText(), t));
      return types;
    }

    /** The children of a chain, in order, read from the repository's tables in PostgreSQL. */
    public List<String> chainInDatabase(String repo, String parent) {
      return query(repo, "SELECT k.name FROM collection_chain cc JOIN collection p ON p.collection_id = cc.parent"
          + " JOIN collection k ON k.collection_id = cc.child WHERE p.name = ? ORDER BY cc.position", parent);
    }

    /** A collection's documentation, read from the repository's table in PostgreSQL (empty if none). */
    public Optional<String> docInDatabase(String repo, String collection) {
      List<String> docs = query(repo, "SELECT doc FROM collection WHERE name = ?", collection);
      assertThat(docs).as("collection %s in %s", collection, repo).hasSize(1);
      return Optional.ofNullable(docs.get(0));
    }

    /** How many {@code tract} or {@code patch} records of a skymap the repository's tables hold. */
    public long skymapRecords(String repo, String element, String skymap) {
      assertThat(element).isIn("tract", "patch");
      return Long.parseLong(query(repo, "SELECT count(*) FROM " + element + " WHERE skymap = ?", skymap).get(0));
    }

    /** {@code GET} on catalog-service (reads need no token): the JSON answer of a 200. */
    public JsonNode getJson(String path) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(catalogUrl + path)).GET());
      assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A JSON {@code POST} to {@code url}, with {@code Authorization: Bearer <token>} when a token is given. */
    public static HttpResponse<String> postJson(String url, String body, String token) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return send(request);
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** {@code /api/repositories/<repo>/<rest>}. */
    public static String repoPath(String repo, String rest) {
      return "/api/repositories/" + URLEncoder.encode(repo, StandardCharsets.UTF_8) + "/" + rest;
    }

    /** Where the time goes, on stderr (the stack's start dominates: four JVMs, Kafka and PostgreSQL). */
    public void phase(String name) {
      System.err.printf("RealStack: %s done after %.1f s%n", name, (System.nanoTime() - began) / 1e9);
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** POSTs a JSON body to catalog-service with the token and checks the status. */
    public void write(String path, Object body, int expectedStatus) {
      String json;
      try {
        json = JSON.writeValueAsString(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      HttpResponse<String> response = postJson(catalogUrl + path, json, token);
      assertThat(response.statusCode()).as("POST %s %s: %s", path, json, response.body()).isEqualTo(expectedStatus);
    }

    private JdbcUrl jdbcUrl() {
      return JdbcUrl.parse(recorded.getProperty("postgres.effective.url"));
    }

    private List<String> query(String repo, String sql, String parameter) {
      assertThat(repo).matches("[a-z_][a-z0-9_]*");
      try (Connection c = DriverManager.getConnection(jdbcUrl().jdbc(),
               recorded.getProperty("db.user", "postgres"), "postgres");
           Statement s = c.createStatement()) {
        s.execute("SET search_path TO \"" + repo + "\"");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, parameter);
          List<String> values = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              values.add(rs.getString(1));
            }
          }
          return values;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read " + repo + " in " + registryDb() + ": " + e.getMessage(), e);
      }
    }

    static int cli(StringWriter out, StringWriter err, String... args) {
      return cli(Map.of(), out, err, args);
    }

    private static int cli(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
      CommandLine cl = AutobutlerCommand.commandLine(env);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      return cl.execute(args);
    }

    static void requireBuilt() {
      List<String> missing = new ArrayList<>();
      for (Service s : Service.values()) {
        if (!Files.isRegularFile(s.jar(ROOT))) {
          missing.add(ROOT.relativize(s.jar(ROOT)).toString());
        }
      }
      if (!Files.isDirectory(ROOT.resolve("deploy/kafka/target/libs"))) {
        missing.add("deploy/kafka/target/libs");
      }
      assertThat(missing)
          .as("the tests run the built services: build them first with ./mvnw -B -DskipTests package "
              + "(./mvnw verify builds them before this module); missing")
          .isEmpty();
    }

    /**
     * Stacks under {@code stacks} of earlier runs whose JVM is gone (killed before JUnit could close them): stopped
     * with their own record, their database dropped, their folder removed (also one named after this JVM's pid: a
     * reused pid). Stacks of other live runs are left alone.
     */
    static void removeLeftoverStacks(Path stacks) throws IOException {
      if (!Files.isDirectory(stacks)) {
        return;
      }
      List<Path> folders;
      try (Stream<Path> list = Files.list(stacks)) {
        folders = list.filter(Files::isDirectory).toList();
      }
      for (Path old : folders) {
        if (STARTED.contains(old.toAbsolutePath().normalize())) {
          continue; // a stack of this run
        }
        String owner = old.getFileName().toString().split("-", 2)[0];
        boolean liveOtherRun = owner.matches("[0-9]+") && Long.parseLong(owner) != ProcessHandle.current().pid()
            && ProcessHandle.of(Long.parseLong(owner)).filter(ProcessHandle::isAlive).isPresent();
        if (liveOtherRun) {
          continue;
        }
        Properties record = readProperties(old.resolve("run/stack.properties"));
        cli(new StringWriter(), new StringWriter(), "down", "--state-dir", old.toString());
        ProcessHandle.allProcesses().filter(p -> isOf(p, old)).forEach(ProcessHandle::destroyForcibly);
        if ("server".equals(record.getProperty("postgres.kind")) && record.getProperty("postgres.effective.url") != null) {
          dropDatabase(JdbcUrl.parse(record.getProperty("postgres.effective.url")));
        }
        try (Stream<Path> files = Files.walk(old)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
      }
    }

    static List<Long> recordedPids(Path state) throws IOException {
      List<Long> pids = new ArrayList<>();
      Path run = state.resolve("run");
      if (Files.isDirectory(run)) {
        try (Stream<Path> files = Files.list(run)) {
          files.filter(f -> f.toString().endsWith(".pid"))
              .forEach(f -> PidFile.read(f).ifPresent(p -> pids.add(p.pid())));
        }
      }
      Path postmaster = state.resolve("postgres/data/postmaster.pid");
      if (Files.isRegularFile(postmaster)) {
        pids.add(Long.parseLong(Files.readAllLines(postmaster).get(0).strip()));
      }
      return pids;
    }

    /** Live processes whose command line carries the stack's marker (every process up starts has it). */
    static List<String> processesOf(Path state) {
      return ProcessHandle.allProcesses().filter(p -> isOf(p, state))
          .map(p -> p.pid() + " " + String.join(" ", ProcessControl.commandLine(p).orElse(List.of())))
          .toList();
    }

    static boolean isOf(ProcessHandle process, Path state) {
      String marker = "-Dautobutler.stack=" + state.toAbsolutePath().normalize();
      return process.pid() != ProcessHandle.current().pid() && ProcessControl.isRunning(process)
          && ProcessControl.commandLine(process).map(args -> args.contains(marker)).orElse(false);
    }

    static Properties readProperties(Path file) throws IOException {
      Properties p = new Properties();
      if (Files.isRegularFile(file)) {
        try (var reader = Files.newBufferedReader(file)) {
          p.load(reader);
        }
      }
      return p;
    }

    /** Drops the stack's database on the machine's server (after down): nothing of the tests stays there. */
    static void dropDatabase(JdbcUrl url) {
      String admin = url.withDatabase("postgres").jdbc();
      try (Connection c = DriverManager.getConnection(admin, "postgres", "postgres");
           Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS \"" + url.database().replace("\"", "\"\"") + "\" WITH (FORCE)");
      } catch (SQLException e) {
        System.err.println("could not drop the test database " + url.database() + ": " + e.getMessage());
      }
    }
  }
}
