package io.autobutler.ingest.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the ingest pipeline: DOWN, with the reason, while a batch is being retried (registry database down,
 * target repository not created yet, a datastore that does not answer); UP again after the next batch goes through.
 */
@ApplicationScoped
public class PipelineHealth {

  private volatile String problem;
  private volatile long since;

  public void down(String reason) {
    if (problem == null) {
      since = System.currentTimeMillis();
    }
    problem = reason;
  }

  public void up() {
    problem = null;
  }

  public boolean isUp() {
    return problem == null;
  }

  HealthCheckResponse response() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("ingest pipeline");
    String current = problem;
    if (current == null) {
      return response.up().build();
    }
    return response.down().withData("reason", current)
        .withData("retrying for seconds", (System.currentTimeMillis() - since) / 1000).build();
  }

  /** The readiness check that shows it at {@code /q/health/ready}. */
  @Readiness
  @ApplicationScoped
  static class Check implements HealthCheck {

    private final PipelineHealth health;

    Check(PipelineHealth health) {
      this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
      return health.response();
    }
  }
}
