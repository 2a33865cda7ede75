package io.autobutler.catalog.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.runtime.RetryWaits;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs convergence passes: set the repository up (once per process), converge the chains, then the tagged
 * selections (and the chains again when a selection's collection was just created, since chains may hold it).
 *
 * <p>Passes run one at a time on one thread: at start-up, every {@code full-pass-interval}, on
 * {@code POST /api/campaign/converge}, and after {@code butler.ingested} summaries. Summaries are coalesced: those that
 * arrive within {@code converge-spacing} of the last pass wait for the next one, which queries each tagged selection
 * only in the runs they named (and only for the dataset types they named). A failed pass (PostgreSQL down, the
 * repository not creatable) leaves readiness DOWN with the reason and is retried as a full pass with back-off, so
 * nothing a summary announced is lost even though summaries are acknowledged when they are noted.
 */
@ApplicationScoped
public class Convergence {

  private static final Logger LOG = Logger.getLogger(Convergence.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final Campaign campaign;
  private final CampaignConfig config;
  private final CampaignSetup setup;
  private final RegistryLookup registries;
  private final CampaignMetrics metrics;
  private final ConvergenceHealth health;
  private final DatasetQuery datasetQuery = new DatasetQuery();
  private final AtomicLong passes = new AtomicLong();
  private ScheduledExecutorService executor;

  /** Runs named by summaries not yet converged, by dataset type; guarded by {@code this.pending}. */
  private final Map<String, Set<String>> pending = new HashMap<>();
  private boolean eventPassScheduled;
  private boolean retryScheduled;
  private final RetryWaits retryWaits = new RetryWaits(FIRST_RETRY, MAX_RETRY);

  private volatile boolean setUp;
  private volatile PassReport lastPass;
  private volatile long lastPassStartMillis;

  public Convergence(Campaign campaign, CampaignConfig config, CampaignSetup setup, RegistryLookup registries,
                     CampaignMetrics metrics, ConvergenceHealth health) {
    this.campaign = campaign;
    this.config = config;
    this.setup = setup;
    this.registries = registries;
    this.metrics = metrics;
    this.health = health;
  }

  void onStart(@Observes StartupEvent event) {
    if (!campaign.configured()) {
      LOG.info("no campaign manifest configured (autobutler.catalog.manifest): nothing is converged");
      return;
    }
    CampaignManifest manifest = campaign.manifest();
    LOG.infof("campaign manifest %s: repository %s, %d chains, %d tagged selections", manifest.name(),
        manifest.repository().name(), manifest.chains().size(), manifest.tagged().size());
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "campaign-convergence");
      thread.setDaemon(true);
      return thread;
    });
    executor.execute(() -> attempt("start-up"));
    long every = config.fullPassInterval().toMillis();
    if (every > 0) {
      executor.scheduleWithFixedDelay(() -> attempt("periodic"), every, every, TimeUnit.MILLISECONDS);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Notes what a summary says was ingested; a pass that covers it runs within {@code converge-spacing}. */
  public void ingested(IngestedEvent event) {
    synchronized (pending) {
      pending.computeIfAbsent(event.datasetType(), t -> new LinkedHashSet<>()).add(event.run());
      // Before start-up or during shutdown: the start-up pass is a full one, so nothing is lost.
      if (eventPassScheduled || executor == null || executor.isShutdown()) {
        return;
      }
      eventPassScheduled = true;
      long delay = Math.max(0, lastPassStartMillis + config.convergeSpacing().toMillis() - System.currentTimeMillis());
      executor.schedule(this::eventPass, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void eventPass() {
    Map<String, Set<String>> runs;
    synchronized (pending) {
      runs = new HashMap<>(pending);
      pending.clear();
      eventPassScheduled = false;
    }
    attempt("ingested", runs);
  }

  /** A full pass now, on the caller's thread (waits for a pass under way); failures are thrown. */
  public PassReport convergeNow(String trigger) {
    return pass(trigger, null);
  }

  private void attempt(String trigger) {
    attempt(trigger, null);
  }

  /** Runs a pass; a failure is retried as a full pass with back-off (one retry chain at a time). */
  private void attempt(String trigger, Map<String, Set<String>> runs) {
    try {
      pass(trigger, runs);
      synchronized (pending) {
        retryWaits.reset();
      }
    } catch (RuntimeException e) {
      metrics.failed();
      String reason = "convergence pass (" + trigger + ") failed: " + e.getMessage();
      health.down(reason);
      synchronized (pending) {
        if (retryScheduled || executor == null || executor.isShutdown()) {
          LOG.warnf("%s; a retry is already scheduled", reason);
          return;
        }
        retryScheduled = true;
        long wait = retryWaits.next().toMillis();
        LOG.warnf("%s; retrying in %d ms", reason, wait);
        executor.schedule(() -> {
          synchronized (pending) {
            retryScheduled = false;
          }
          attempt("retry");
        }, wait, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * One pass. {@code runs} null: every selection is queried whole; else only in those runs, by dataset type.
   */
  private synchronized PassReport pass(String trigger, Map<String, Set<String>> runs) {
    CampaignManifest manifest = campaign.manifest();
    Instant started = Instant.now();
    lastPassStartMillis = started.toEpochMilli();
    List<String> changes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (!setUp) {
      changes.addAll(setup.apply(campaign));
      setUp = true;
    }
    Registry registry = registries.registry(manifest.repository().name());
    List<Chain> chains = DeclaredCollections.childrenFirst(manifest.chains());
    int chainEdits = convergeChains(registry, chains, changes, errors);
    int associated = 0;
    boolean created = false;
    for (Tagged tagged : manifest.tagged()) {
      Set<String> searched = runs == null ? null : runs.getOrDefault(tagged.datasetType(), Set.of());
      if (searched != null && searched.isEmpty()) {
        continue;
      }
      try {
        TaggedConvergence.Outcome outcome = TaggedConvergence.converge(registry, datasetQuery, tagged, searched);
        outcome.change().ifPresent(changes::add);
        associated += outcome.added();
        created |= outcome.created();
      } catch (Registry.RegistryDatabaseException e) {
        throw e;
      } catch (RuntimeException e) {
        errors.add("tagged " + tagged.name() + ": " + e.getMessage());
      }
    }
    if (created) {
      chainEdits += convergeChains(registry, chains, changes, errors);
    }
    PassReport report = new PassReport(trigger, runs == null, started,
        Duration.between(started, Instant.now()).toMillis(), List.copyOf(changes), chainEdits, associated,
        List.copyOf(errors));
    changes.forEach(change -> LOG.infof("campaign %s: %s", manifest.name(), change));
    errors.forEach(error -> LOG.warnf("campaign %s: cannot converge %s", manifest.name(), error));
    LOG.debugf("campaign %s: %s pass in %d ms, %d changes", manifest.name(), trigger, report.durationMillis(),
        changes.size());
    passes.incrementAndGet();
    lastPass = report;
    metrics.passed(report);
    health.up();
    return report;
  }

  private static int convergeChains(Registry registry, List<Chain> chains, List<String> changes, List<String> errors) {
    int edits = 0;
    for (Chain chain : chains) {
      try {
        var change = ChainConvergence.converge(registry, chain);
        if (change.isPresent()) {
          changes.add(change.get());
          edits++;
        }
      } catch (Registry.RegistryDatabaseException e) {
        throw e;
      } catch (RuntimeException e) {
        // e.g. the name is taken by a RUN: this chain is reported, the others go on.
        errors.add("chain " + chain.name() + ": " + e.getMessage());
      }
    }
    return edits;
  }

  /** The last pass, or null before the first one went through. */
  public PassReport lastPass() {
    return lastPass;
  }

  /** Passes completed since start. */
  public long passes() {
    return passes.get();
  }

  /** Why convergence is failing now, or null. */
  public String problem() {
    return health.problem();
  }
}
