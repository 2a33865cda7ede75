package io.autobutler.core.runtime;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The readiness of work that a service retries with back-off while the infrastructure is away: DOWN, with the reason
 * and for how long, while it fails; UP once it goes through. A service's bean extends it with its check's name and is
 * declared {@code @Readiness @Default @ApplicationScoped}, so that it shows at {@code /q/health/ready} and can still be
 * injected where the work reports to it.
 */
public abstract class RetryHealth implements HealthCheck {

  private final String name;
  private volatile String problem;
  private volatile long since;

  protected RetryHealth(String name) {
    this.name = name;
  }

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

  /** The current problem, or null. */
  public String problem() {
    return problem;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named(name);
    String current = problem;
    if (current == null) {
      return response.up().build();
    }
    return response.down().withData("reason", current)
        .withData("retrying for seconds", (System.currentTimeMillis() - since) / 1000).build();
  }
}
