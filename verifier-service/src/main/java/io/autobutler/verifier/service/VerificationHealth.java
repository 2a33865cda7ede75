package io.autobutler.verifier.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.eclipse.microprofile.health.Readiness;

import io.autobutler.core.runtime.RetryHealth;

/** Readiness of verification: DOWN, with the reason, while runs fail (the registry database down) and are retried. */
@Readiness
@Default
@ApplicationScoped
public class VerificationHealth extends RetryHealth {

  public VerificationHealth() {
    super("verification");
  }
}
