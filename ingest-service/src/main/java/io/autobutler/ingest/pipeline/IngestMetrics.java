package io.autobutler.ingest.pipeline;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline's meters: datasets ingested (by action), dead letters (by source topic), files no rule takes, and
 * files waiting for their directory's {@code _index.json}. Consumer lag comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag_max}), bound by Quarkus.
 */
@ApplicationScoped
public class IngestMetrics {

  private final MeterRegistry registry;
  private final Counter unmatched;
  private final AtomicLong waitingForIndex = new AtomicLong();

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.unmatched = registry.counter("autobutler.ingest.unmatched.files");
    registry.gauge("autobutler.ingest.waiting.for.index", waitingForIndex);
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

  public void waitingForIndex(long files) {
    waitingForIndex.set(files);
  }
}
