package io.autobutler.catalog.campaign;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of campaign convergence: DOWN, with the reason, while a pass fails and is retried with back-off (the
 * registry database down, a repository that cannot be created); UP once a pass goes through, and always without a
 * manifest.
 */
@ApplicationScoped
public class ConvergenceHealth {

  private volatile String problem;
  private volatile long since;

  void down(String reason) {
    if (problem == null) {
      since = System.currentTimeMillis();
    }
    problem = reason;
  }

  void up() {
    problem = null;
  }

  /** The current problem, or null. */
  String problem() {
    return problem;
  }

  HealthCheckResponse response() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("campaign convergence");
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

    private final ConvergenceHealth health;

    Check(ConvergenceHealth health) {
      this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
      return health.response();
    }
  }
}
