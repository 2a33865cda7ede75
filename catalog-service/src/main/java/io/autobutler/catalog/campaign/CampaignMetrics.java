package io.autobutler.catalog.campaign;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/** Convergence meters: passes (by trigger), failed passes, chain edits, datasets associated, dead letters. */
@ApplicationScoped
public class CampaignMetrics {

  private final MeterRegistry registry;

  public CampaignMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void passed(PassReport report) {
    registry.counter("autobutler.catalog.convergence.passes", "trigger", report.trigger()).increment();
    registry.counter("autobutler.catalog.convergence.chain.edits").increment(report.chainEdits());
    registry.counter("autobutler.catalog.convergence.datasets.associated").increment(report.datasetsAssociated());
  }

  void failed() {
    registry.counter("autobutler.catalog.convergence.failures").increment();
  }

  void deadLettered() {
    registry.counter("autobutler.catalog.ingested.dead.letters").increment();
  }
}
