package io.autobutler.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Rucio tokens handed out by GET /auth/userpass, each valid for the configured lifetime. */
final class Tokens {

  private final Map<String, Long> expiries = new ConcurrentHashMap<>();
  private volatile Duration lifetime;
  private final java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();

  Tokens(Duration lifetime) {
    this.lifetime = lifetime;
  }

  record Issued(String token, long expiresAt) {
  }

  Issued issue(String account, String username) {
    // Rucio's token shape: account-identity-appid-uuid
    String token = account + "-" + username + "-unknown-" + UUID.randomUUID().toString().replace("-", "");
    long expiresAt = System.currentTimeMillis() + lifetime.toMillis();
    expiries.put(token, expiresAt);
    issued.incrementAndGet();
    return new Issued(token, expiresAt);
  }

  /** Checks the X-Rucio-Auth-Token header as Rucio's request_auth_env does: missing is 400, invalid is 401. */
  void check(String token) {
    if (token == null || token.isBlank()) {
      throw new RucioWire.WireException(400, "ValueError", "Token must be set.");
    }
    Long expiresAt = expiries.get(token);
    if (expiresAt == null || expiresAt < System.currentTimeMillis()) {
      throw new RucioWire.WireException(401, "CannotAuthenticate", "Cannot authenticate with given credentials");
    }
  }

  int issued() {
    return issued.get();
  }

  /** Every token handed out so far stops working, as after a server-side revocation. */
  void expireAll() {
    expiries.clear();
  }

  void lifetime(Duration lifetime) {
    this.lifetime = lifetime;
  }
}
