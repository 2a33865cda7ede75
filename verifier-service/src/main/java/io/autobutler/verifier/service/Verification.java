package io.autobutler.verifier.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.runtime.RetryWaits;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.verifier.check.Check;
import io.autobutler.verifier.check.CheckContext;
import io.autobutler.verifier.check.ChecksumMode;
import io.autobutler.verifier.config.VerifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Runs every check on a repository and publishes what changed on {@code butler.verification}.
 *
 * <p>Runs of the configured repository happen at start-up, every {@code schedule}, and after trigger events
 * ({@code butler.ingested}, {@code rucio.datasets}), coalesced: the events that arrive within {@code spacing} of the
 * last run wait for the next one, so that a burst of 1,000 events causes one run. Runs are one at a time. A run
 * publishes the reports whose finding differs from the latest one of the same subject (a new subject, another
 * severity, other counts or items); all latest reports are served over REST. A run that fails (the registry
 * database down) leaves readiness DOWN with the reason and is retried with back-off.
 */
@ApplicationScoped
public class Verification {

  private static final Logger LOG = Logger.getLogger(Verification.class);

  private final VerifierConfig config;
  private final Campaign campaign;
  private final RegistryLookup registries;
  private final ReportStore store;
  private final List<Check> checks = new ArrayList<>();
  private final MutinyEmitter<String> reports;
  private final VerificationHealth health;
  private final MeterRegistry meters;
  private final RetryWaits retryWaits = new RetryWaits(Duration.ofSeconds(1), Duration.ofSeconds(60));
  /** Guards the scheduling flags and the retry waits. */
  private final Object scheduling = new Object();
  private ScheduledExecutorService executor;
  private boolean eventRunScheduled;
  private boolean retryScheduled;
  private volatile long lastRunStartMillis;

  public Verification(VerifierConfig config, Campaign campaign, RegistryLookup registries, ReportStore store,
                      Instance<Check> checks, @Channel("verification") MutinyEmitter<String> reports,
                      VerificationHealth health, MeterRegistry meters) {
    this.config = config;
    this.campaign = campaign;
    this.registries = registries;
    this.store = store;
    checks.forEach(this.checks::add);
    this.checks.sort(java.util.Comparator.comparing(Check::name));
    this.reports = reports;
    this.health = health;
    this.meters = meters;
  }

  void onStart(@Observes StartupEvent event) {
    if (campaign.repository().isEmpty()) {
      LOG.info("no campaign manifest nor repository configured: repositories are verified on request only");
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "verification");
      thread.setDaemon(true);
      return thread;
    });
    executor.execute(() -> attempt("start-up"));
    long every = config.schedule().toMillis();
    if (every > 0) {
      executor.scheduleWithFixedDelay(() -> attempt("schedule"), every, every, TimeUnit.MILLISECONDS);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** An event said the repository changed: a run follows within {@code spacing}, one for any number of events. */
  public void changed(String trigger) {
    synchronized (scheduling) {
      meters.counter("autobutler.verifier.trigger.events", "trigger", trigger).increment();
      if (eventRunScheduled || executor == null || executor.isShutdown()) {
        return;
      }
      eventRunScheduled = true;
      long delay = Math.max(0, lastRunStartMillis + config.spacing().toMillis() - System.currentTimeMillis());
      executor.schedule(() -> {
        synchronized (scheduling) {
          eventRunScheduled = false;
        }
        attempt(trigger);
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void attempt(String trigger) {
    String repository = campaign.repository().orElseThrow();
    try {
      Optional<Repository> found = registries.find(repository);
      if (found.isEmpty()) {
        LOG.debugf("repository %s does not exist yet: nothing to verify (%s)", repository, trigger);
        health.up();
        return;
      }
      verify(found.get(), trigger, ChecksumMode.SAMPLE);
      synchronized (scheduling) {
        retryWaits.reset();
      }
    } catch (RuntimeException e) {
      String reason = "verification of " + repository + " (" + trigger + ") failed: " + e.getMessage();
      health.down(reason);
      synchronized (scheduling) {
        if (retryScheduled || executor == null || executor.isShutdown()) {
          return;
        }
        retryScheduled = true;
        long wait = retryWaits.next().toMillis();
        LOG.warnf("%s; retrying in %d ms", reason, wait);
        executor.schedule(() -> {
          synchronized (scheduling) {
            retryScheduled = false;
          }
          attempt("retry");
        }, wait, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Runs every check on a repository now (waiting for a run under way), stores the reports as the latest and
   * publishes those that changed; returns them all. A check that fails gives an outage report of its own
   * (subject {@code repository}) and the others go on; a registry that cannot be read fails the run.
   */
  public synchronized List<VerificationReport> verify(Repository repository, String trigger, ChecksumMode checksums) {
    Instant started = Instant.now();
    lastRunStartMillis = started.toEpochMilli();
    Registry registry = registries.registry(repository);
    // the registry must answer: otherwise every check would report an outage for the same reason
    registry.transaction(c -> c.isValid(5));
    CheckContext context = new CheckContext(repository, registry, campaign.manifestFor(repository.name()), config,
        checksums, started);
    List<VerificationReport> all = new ArrayList<>();
    for (Check check : checks) {
      List<VerificationReport> found;
      long t0 = System.nanoTime();
      try {
        found = check.run(context);
      } catch (Registry.RegistryDatabaseException e) {
        throw e;
      } catch (Exception e) {
        LOG.warnf(e, "check %s of %s failed", check.name(), repository.name());
        found = List.of(context.report(check.name(), "repository").severity(Severity.OUTAGE)
            .problem("the check failed: " + e).build(started, null));
      }
      LOG.debugf("%s: %s in %d ms, %d reports", repository.name(), check.name(), (System.nanoTime() - t0) / 1_000_000,
          found.size());
      all.addAll(found);
      List<VerificationReport> changed = store.replace(repository.name(), check.checks(), found, started);
      changed.forEach(this::publish);
    }
    health.up();
    long problems = all.stream().filter(r -> r.severity().isProblem()).count();
    meters.counter("autobutler.verifier.runs", "trigger", trigger).increment();
    LOG.infof("verified %s (%s) in %d ms: %d reports, %d not ok", repository.name(), trigger,
        Duration.between(started, Instant.now()).toMillis(), all.size(), problems);
    return all;
  }

  private void publish(VerificationReport report) {
    OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(report.key()).build();
    reports.sendMessageAndAwait(Message.of(EventJson.write(report)).addMetadata(metadata));
    meters.counter("autobutler.verifier.reports.published", "severity", report.severity().label()).increment();
  }
}
