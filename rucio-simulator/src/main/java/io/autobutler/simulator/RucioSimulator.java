package io.autobutler.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.autobutler.simulator.Catalogue.SimFile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A wire-compatible stand-in for a Rucio server with one RSE: the REST endpoints the watcher uses, the Hermes
 * messages Rubin's Kafka path carries, the replicas' files over HTTP, and admin endpoints that make replicas land
 * or get lost. It runs inside the Quarkus app of this module, or in-process for tests ({@link #start}).
 */
public final class RucioSimulator implements AutoCloseable {

  /** The Rucio version the simulator answers GET /ping with. */
  public static final String VERSION = "38.5.5";

  /**
   * @param rse            the one RSE, e.g. IN2P3_RAW_DISK
   * @param pfnPrefix      the RSE protocol's prefix; a PFN is base URL + prefix + scope/name (identity lfn2pfn)
   * @param kafkaBootstrap where Hermes messages go, or null for none
   * @param scopes         scopes that exist even while they hold nothing
   */
  public record Settings(String rse, String account, String username, String password, Duration tokenLifetime,
                         String pfnPrefix, String kafkaBootstrap, Set<String> scopes) {

    public Settings {
      if (!pfnPrefix.startsWith("/") || !pfnPrefix.endsWith("/")) {
        throw new IllegalArgumentException("the PFN prefix must start and end with '/': " + pfnPrefix);
      }
    }

    public static Settings defaults(String kafkaBootstrap) {
      return new Settings("IN2P3_RAW_DISK", "autobutler", "autobutler", "secret", Duration.ofHours(1),
          "/pnfs/in2p3.fr/lsst/instrument/", kafkaBootstrap, Set.of("raw", "ancillary", "refcats"));
    }
  }

  final Settings settings;
  final Catalogue catalogue = new Catalogue();
  final Tokens tokens;
  final Faults faults = new Faults();
  final HermesPublisher hermes;
  private final Vertx vertx;
  private final boolean ownVertx;
  private HttpServer server;
  private volatile String baseUrl;

  public RucioSimulator(Vertx vertx, Settings settings, String baseUrl) {
    this(vertx, settings, false);
    this.baseUrl = baseUrl;
  }

  private RucioSimulator(Vertx vertx, Settings settings, boolean ownVertx) {
    this.vertx = vertx;
    this.ownVertx = ownVertx;
    this.settings = settings;
    this.tokens = new Tokens(settings.tokenLifetime());
    this.hermes = settings.kafkaBootstrap() == null || settings.kafkaBootstrap().isBlank() ? null
        : new HermesPublisher(settings.kafkaBootstrap(), settings.rse());
  }

  /** Starts a simulator with its own HTTP server on 127.0.0.1 (port 0: any free port). */
  public static RucioSimulator start(Settings settings, int port) {
    RucioSimulator simulator = new RucioSimulator(Vertx.vertx(), settings, true);
    Router router = Router.router(simulator.vertx);
    simulator.install(router);
    try {
      simulator.server = simulator.vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      simulator.close();
      throw new IllegalStateException("the Rucio simulator could not listen on port " + port, e);
    }
    simulator.baseUrl = "http://127.0.0.1:" + simulator.server.actualPort();
    return simulator;
  }

  /** Adds the Rucio, admin and file routes to a router. */
  public void install(Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(256L * 1024 * 1024).setHandleFileUploads(false);
    RucioApi api = new RucioApi(this);
    AdminApi admin = new AdminApi(this);
    FileServer files = new FileServer(this);
    router.route("/simulator/*").handler(body).blockingHandler(admin::handle);
    router.route(settings.pfnPrefix() + "*").handler(files::handle);
    for (String path : List.of("/ping", "/auth/*", "/replicas/*", "/dids/*")) {
      router.route(path).handler(body).handler(api::handle);
    }
  }

  /** The base URL clients use, e.g. http://127.0.0.1:8085. */
  public String baseUrl() {
    return baseUrl;
  }

  public Settings settings() {
    return settings;
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  /** The replica's URL: base URL + the RSE prefix + scope/name, as Rucio's identity lfn2pfn builds it. */
  public String pfn(SimFile file) {
    return baseUrl + settings.pfnPrefix() + file.scope + "/" + file.name;
  }

  String rseId() {
    return UUID.nameUUIDFromBytes(settings.rse().getBytes()).toString().replace("-", "");
  }

  boolean knownScope(String scope) {
    return settings.scopes().contains(scope);
  }

  /** How a landing went. */
  public record Landing(int landed, int messages) {
  }

  /** Lands the next {@code count} files; see {@link #landFiles}. */
  public Landing land(int count, boolean withHermes, long availableAfterMillis) {
    return landFiles(catalogue.startLanding(count), withHermes, availableAfterMillis);
  }

  public Landing landDataset(String scope, String name, boolean withHermes, long availableAfterMillis) {
    return landFiles(catalogue.startLandingDataset(scope, name), withHermes, availableAfterMillis);
  }

  /**
   * Lands files as a transfer does: the replicas are COPYING, Hermes announces {@code transfer-done} (when asked and
   * Kafka is configured), and the replicas become AVAILABLE {@code availableAfterMillis} later, as Rucio's
   * conveyor-finisher does after the message. Without Hermes they appear with no message at all, as replicas
   * registered in place do.
   */
  public Landing landFiles(List<SimFile> landing, boolean withHermes, long availableAfterMillis) {
    int messages = 0;
    if (withHermes) {
      if (hermes == null) {
        throw new IllegalStateException("no Kafka configured for Hermes messages (simulator.kafka.bootstrap-servers)");
      }
      messages = hermes.transferDone(landing, this::pfn);
    }
    if (availableAfterMillis <= 0) {
      catalogue.makeAvailable(landing);
    } else {
      vertx.setTimer(availableAfterMillis, id -> catalogue.makeAvailable(landing));
    }
    return new Landing(landing.size(), messages);
  }

  /** Publishes a message as Hermes would, e.g. a duplicate or one for another RSE. */
  public void publishHermes(String topic, String message) {
    if (hermes == null) {
      throw new IllegalStateException("no Kafka configured for Hermes messages");
    }
    hermes.send(topic, message);
  }

  /** The next {@code count} Rucio API requests answer with this HTTP error, in Rucio's error form. */
  public void failNext(int count, int status) {
    faults.add(Faults.Kind.ERROR, status, count);
  }

  /** The next {@code count} Rucio API requests answer 200 with a body that is not Rucio's JSON. */
  public void garbleNext(int count) {
    faults.add(Faults.Kind.GARBAGE, 200, count);
  }

  /** Every token handed out so far becomes invalid: the next request with one gets 401. */
  public void expireTokens() {
    tokens.expireAll();
  }

  /** How many tokens GET /auth/userpass has handed out. */
  public int authentications() {
    return tokens.issued();
  }

  public void tokenLifetime(Duration lifetime) {
    tokens.lifetime(lifetime);
  }

  @Override
  public void close() {
    if (hermes != null) {
      hermes.close();
    }
    if (ownVertx) {
      if (server != null) {
        server.close();
      }
      vertx.close();
    }
  }
}
