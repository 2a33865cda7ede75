package io.autobutler.ingest.service;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.runtime.IndexSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records replica events in the registry's replica ledger. A failing database is retried with backoff, never
 * skipped: the batch's offsets stay uncommitted until it is recorded, and readiness shows the database down.
 */
@ApplicationScoped
public class ReplicaIngest {

  private static final Logger LOG = Logger.getLogger(ReplicaIngest.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ReplicaLedger ledger;
  private final IndexSchema indexSchema;
  private final Counter received;
  private final Counter recorded;

  public ReplicaIngest(ReplicaLedger ledger, IndexSchema indexSchema, MeterRegistry metrics) {
    this.ledger = ledger;
    this.indexSchema = indexSchema;
    this.received = metrics.counter("autobutler.replicas.received");
    this.recorded = metrics.counter("autobutler.replicas.recorded");
  }

  /** Records the events, retrying until the database accepts them; returns how many replicas were new. */
  public int record(List<ReplicaEvent> events) {
    if (events.isEmpty()) {
      return 0;
    }
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      try {
        indexSchema.ensure();
        int added = ledger.record(events);
        received.increment(events.size());
        recorded.increment(added);
        LOG.debugf("recorded %d replica events, %d new", events.size(), added);
        return added;
      } catch (SQLException | RuntimeException e) {
        LOG.warnf("recording %d replica events failed (attempt %d, retrying in %d ms): %s", events.size(), attempt,
            backoff.toMillis(), e.getMessage());
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
