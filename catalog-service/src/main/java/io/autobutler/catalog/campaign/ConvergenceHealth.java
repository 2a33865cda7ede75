package io.autobutler.catalog.campaign;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.eclipse.microprofile.health.Readiness;

import io.autobutler.core.runtime.RetryHealth;

/**
 * Readiness of campaign convergence: DOWN, with the reason, while a pass fails and is retried with back-off (the
 * registry database down, a repository that cannot be created); UP once a pass goes through, and always without a
 * manifest.
 */
@Readiness
@Default
@ApplicationScoped
public class ConvergenceHealth extends RetryHealth {

  public ConvergenceHealth() {
    super("campaign convergence");
  }
}
