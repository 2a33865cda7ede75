package io.autobutler.watcher.runtime;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.manifest.ManifestReader;
import io.autobutler.watcher.announce.Announcer;
import io.autobutler.watcher.hermes.HermesListener;
import io.autobutler.watcher.poll.ReplicaPoller;
import io.autobutler.watcher.poll.WatchScope;
import io.autobutler.watcher.rucio.RucioClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the watcher when Rucio is configured: the announcer (settling what a previous run left pending), the poll
 * on a schedule, and the Hermes listener on its own thread. {@link #stop()} and {@link #start()} restart it all
 * from the persisted state, as a new process would.
 */
@ApplicationScoped
public class WatcherRuntime {

  private static final Logger LOG = Logger.getLogger(WatcherRuntime.class);

  private final WatcherConfig config;
  private final AgroalDataSource dataSource;
  private final String bootstrapServers;
  private Announcer announcer;
  private WatchScope watchScope;
  private ReplicaPoller poller;
  private HermesListener hermes;
  private Thread hermesThread;
  private ScheduledExecutorService schedule;
  private volatile String lastPollError;
  private volatile ReplicaPoller.Result lastPoll;
  private volatile boolean stopped;

  public WatcherRuntime(WatcherConfig config, AgroalDataSource dataSource,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.config = config;
    this.dataSource = dataSource;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.rucio().url().isEmpty()) {
      LOG.info("no Rucio configured (autobutler.watcher.rucio.url): only replicas posted to /api/replica-events"
          + " are announced");
      return;
    }
    startOrRetry();
  }

  /** Starts now, or keeps trying in the background while Kafka, PostgreSQL or Rucio are not there yet. */
  private void startOrRetry() {
    try {
      start();
    } catch (RuntimeException e) {
      LOG.errorf("the watcher cannot start yet (trying again in 15 s): %s", e.getMessage());
      Thread retry = new Thread(() -> {
        try {
          Thread.sleep(15_000);
          if (!stopped) {
            startOrRetry();
          }
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }, "watcher-start");
      retry.setDaemon(true);
      retry.start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    stop();
  }

  public synchronized boolean running() {
    return announcer != null;
  }

  /** Starts watching: fails fast on a configuration error, retries Rucio and Kafka problems in the loops. */
  public synchronized void start() {
    if (announcer != null) {
      return;
    }
    WatchScope scope = watchScope(config);
    URI url = rucioUrl(config);
    RucioClient rucio = rucioClient(config);
    Announcer created = new Announcer(dataSource, config.schema(), bootstrapServers, config.transactionalId(),
        config.replicasTopic(), config.datasetsTopic());
    try {
      created.settlePending();
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
    announcer = created;
    watchScope = scope;
    WatcherConfig.Poll p = config.poll();
    poller = new ReplicaPoller(rucio, announcer, dataSource, config.schema(), scope, new ReplicaPoller.Settings(p.overlap(),
        p.fullListingInterval(), p.batchSize(), p.datasetsPerRequest()));
    schedule = Executors.newSingleThreadScheduledExecutor(r2 -> new Thread(r2, "watcher-poll"));
    schedule.scheduleWithFixedDelay(this::pollQuietly, 0, p.interval().toMillis(), TimeUnit.MILLISECONDS);
    config.hermes().topics().filter(t -> !t.isEmpty()).ifPresent(topics -> {
      hermes = new HermesListener(bootstrapServers, config.hermes().groupId(), topics, rucio, announcer, scope,
          dataSource, config.schema(), config.hermes().giveUpAfter());
      hermesThread = new Thread(hermes, "watcher-hermes");
      hermesThread.start();
    });
    LOG.infof("watching %s (scopes %s, datasets %s) at %s: poll every %s%s", scope.rse(), scope.scopes(),
        scope.datasetPatterns(), url, p.interval(), hermes == null ? ", no Hermes topics"
        : ", Hermes topics " + config.hermes().topics().get());
  }

  /** What the settings (or the manifest they name) say to watch. */
  public static WatchScope watchScope(WatcherConfig config) {
    return WatchScope.resolve(config.rse(), config.scopes(), config.datasetPatterns(),
        config.manifest().filter(m -> !m.isBlank()).map(m -> ManifestReader.read(Path.of(m).toAbsolutePath())));
  }

  /** A Rucio client with the configured URL and credentials. */
  public static RucioClient rucioClient(WatcherConfig config) {
    WatcherConfig.Rucio r = config.rucio();
    URI url = rucioUrl(config);
    return new RucioClient(new RucioClient.Settings(url, r.authUrl().orElse(url), r.account(), r.username(),
        r.password(), r.tokenFile(), r.vo(), r.timeout(), r.attempts(), r.renewBefore()));
  }

  private static URI rucioUrl(WatcherConfig config) {
    return config.rucio().url().orElseThrow(() -> new IllegalStateException("autobutler.watcher.rucio.url is not set"));
  }

  /** Stops the loops and closes the clients; the persisted state stays for the next start. */
  public synchronized void stop() {
    if (announcer == null) {
      return;
    }
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(60, TimeUnit.SECONDS);
      if (hermes != null) {
        hermes.stop();
        hermesThread.join(60_000);
        hermes.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (poller != null) {
        poller.close();
      }
      announcer.close();
      announcer = null;
      poller = null;
      hermes = null;
    }
  }

  /** Runs one poll now, on the caller's thread (polls never overlap). */
  public ReplicaPoller.Result pollNow() {
    ReplicaPoller current;
    synchronized (this) {
      current = poller;
    }
    if (current == null) {
      throw new IllegalStateException("the watcher is not running (no Rucio configured)");
    }
    ReplicaPoller.Result result = current.pollOnce();
    lastPoll = result;
    return result;
  }

  private void pollQuietly() {
    try {
      pollNow();
      lastPollError = null;
    } catch (RuntimeException e) {
      lastPollError = e.getMessage();
      LOG.errorf("poll failed (the cursor stays, the next poll covers it): %s", e.getMessage());
    }
  }

  /** Counters and the last poll, for the status endpoint. */
  public synchronized Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("running", announcer != null);
    if (announcer != null) {
      status.put("rse", watchScope.rse());
      status.put("scopes", watchScope.scopes());
      status.put("datasetPatterns", watchScope.datasetPatterns());
      status.put("announcedReplicas", announcer.announcedReplicas());
      status.put("announcedDatasets", announcer.announcedDatasets());
      status.put("lastPoll", lastPoll);
      status.put("lastPollError", lastPollError);
      if (hermes != null) {
        status.put("pendingHermesHints", hermes.pendingHints());
        status.put("ignoredHermesMessages", hermes.ignoredMessages());
        status.put("malformedHermesMessages", hermes.malformedMessages());
      }
    }
    return status;
  }
}
