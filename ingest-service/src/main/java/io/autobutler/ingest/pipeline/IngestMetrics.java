package io.autobutler.ingest.pipeline;

import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.replica.ReplicaLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline's meters: datasets ingested (by action), dead letters (by source topic), files no rule takes, and
 * files waiting for their directory's {@code _index.json} (counted from the ledger when the meters are read, not per
 * batch: the count scans the ledger). Consumer lag comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag_max}), bound by Quarkus.
 */
@ApplicationScoped
public class IngestMetrics {

  private final MeterRegistry registry;
  private final Counter unmatched;

  public IngestMetrics(MeterRegistry registry, ReplicaLedger ledger) {
    this.registry = registry;
    this.unmatched = registry.counter("autobutler.ingest.unmatched.files");
    Gauge.builder("autobutler.ingest.waiting.for.index", ledger, IngestMetrics::waitingForIndex).register(registry);
  }

  private static double waitingForIndex(ReplicaLedger ledger) {
    try {
      // Sidecars waiting for dimension records are pending too, but not for an index.
      return Math.max(0, ledger.waitingFor(IndexFile.NAME) - ledger.waitingCount());
    } catch (SQLException e) {
      return Double.NaN; // the database is down: health says so
    }
  }

  public void ingested(String action, int datasets) {
    registry.counter("autobutler.ingest.datasets", "action", action).increment(datasets);
  }

  public void deadLettered(String topic) {
    registry.counter("autobutler.ingest.dead.letters", "topic", topic).increment();
  }

  public void unmatched(int files) {
    unmatched.increment(files);
  }
}
