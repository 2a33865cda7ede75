package io.autobutler.ingest.service;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.autobutler.ingest.pipeline.IngestConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sweeps the replica ledger at start-up and every {@code autobutler.ingest.sweep-interval}: raws left pending in a
 * directory whose {@code _index.json} is recorded are ingested ({@link ReplicaIngest#sweepPending}) without waiting
 * for an event that touches their directory again, which may never come; and sidecar datasets waiting for their
 * dimension records are retried ({@link ReplicaIngest#sweepWaiting}), or given up on once they have waited longer
 * than {@code autobutler.ingest.dimension-wait}.
 */
@ApplicationScoped
public class PendingSweep {

  private static final Logger LOG = Logger.getLogger(PendingSweep.class);

  /** Waiting sidecar datasets retried by one sweep, the longest-waiting first. */
  private static final int WAITING_PER_SWEEP = 10_000;

  private final ReplicaIngest ingest;
  private final IngestConfig config;
  private ScheduledExecutorService schedule;

  public PendingSweep(ReplicaIngest ingest, IngestConfig config) {
    this.ingest = ingest;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    long interval = config.sweepInterval().toMillis();
    if (interval <= 0) {
      LOG.info("sweep of pending replicas turned off (autobutler.ingest.sweep-interval=0)");
      return;
    }
    schedule = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ingest-sweep"));
    schedule.scheduleWithFixedDelay(this::sweepQuietly, 0, interval, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }

  /** One sweep; a failure (database or repository not there yet) is logged and the next sweep tries again. */
  private void sweepQuietly() {
    try {
      int swept = ingest.sweepPending(config.sweepDirectories());
      if (swept > 0) {
        LOG.infof("sweep: %d directories with pending raws and a recorded %s ingested", swept, "_index.json");
      }
      int waiting = ingest.sweepWaiting(WAITING_PER_SWEEP);
      if (waiting > 0) {
        LOG.infof("sweep: %d sidecar datasets waiting for dimension records retried", waiting);
      }
    } catch (Exception e) {
      LOG.warnf("sweep of pending replicas failed (retried in %s): %s", config.sweepInterval(), e.getMessage());
    }
  }
}
