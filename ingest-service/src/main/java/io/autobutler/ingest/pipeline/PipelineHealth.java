package io.autobutler.ingest.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.eclipse.microprofile.health.Readiness;

import io.autobutler.core.runtime.RetryHealth;

/**
 * Readiness of the ingest pipeline: DOWN, with the reason, while a batch is being retried (registry database down,
 * target repository not created yet, a datastore that does not answer); UP again after the next batch goes through.
 */
@Readiness
@Default
@ApplicationScoped
public class PipelineHealth extends RetryHealth {

  public PipelineHealth() {
    super("ingest pipeline");
  }
}
