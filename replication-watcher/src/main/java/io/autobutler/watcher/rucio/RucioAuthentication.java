package io.autobutler.watcher.rucio;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

/**
 * Puts Rucio's headers on every request ({@code X-Rucio-Auth-Token}, account, VO, script) and keeps the token:
 * from {@code GET /auth/userpass}, renewed when less than {@code renew-before} is left of it, or read from the
 * token file; {@link #invalidate()} after Rucio refused it (401) gets a new one for the next request.
 */
final class RucioAuthentication implements ClientRequestFilter {

  private static final Logger LOG = Logger.getLogger(RucioAuthentication.class);
  static final String USER_AGENT = "autobutler-replication-watcher";

  private final RucioClient.Settings settings;
  private final RucioAuthApi auth;
  private String token;
  private Instant tokenExpires = Instant.MIN;

  RucioAuthentication(RucioClient.Settings settings, RucioAuthApi auth) {
    this.settings = settings;
    this.auth = auth;
  }

  @Override
  public void filter(ClientRequestContext request) {
    request.getHeaders().putSingle("X-Rucio-Auth-Token", token());
    request.getHeaders().putSingle("User-Agent", USER_AGENT);
    request.getHeaders().putSingle("X-Rucio-Script", "replication-watcher");
    settings.account().ifPresent(a -> request.getHeaders().putSingle("X-Rucio-Account", a));
    settings.vo().ifPresent(vo -> request.getHeaders().putSingle("X-Rucio-VO", vo));
  }

  synchronized void invalidate() {
    token = null;
    tokenExpires = Instant.MIN;
  }

  /** The current token: renewed when it is about to expire (userpass), or read again from the token file. */
  synchronized String token() {
    if (token != null && Instant.now().isBefore(tokenExpires.minus(settings.renewBefore()))) {
      return token;
    }
    if (settings.username().isEmpty()) {
      try {
        token = Files.readString(settings.tokenFile().orElseThrow()).strip();
      } catch (IOException e) {
        throw new RucioException("reading the Rucio token file " + settings.tokenFile().get(), 0, null,
            e.toString(), e);
      }
      // A token file carries no expiry: use it until Rucio refuses it, then read the file again.
      tokenExpires = Instant.MAX;
      return token;
    }
    userpass();
    return token;
  }

  private void userpass() {
    String what = "GET /auth/userpass";
    RucioClient.withRetries(what, settings.attempts(), () -> {
      try (Response response = auth.userpass(settings.username().orElseThrow(), settings.password().orElseThrow(),
          settings.account().orElse(null), settings.vo().orElse(null))) {
        if (response.getStatus() == 206) {
          throw new RucioException(what, 206, null, "the identity maps to several accounts ("
              + response.getHeaderString("X-Rucio-Auth-Accounts") + "): set autobutler.watcher.rucio.account", null);
        }
        String newToken = response.getHeaderString("X-Rucio-Auth-Token");
        if (newToken == null) {
          throw new RucioException(what, response.getStatus(), null, "the answer has no X-Rucio-Auth-Token header",
              null);
        }
        String expires = response.getHeaderString("X-Rucio-Auth-Token-Expires");
        token = newToken;
        tokenExpires = expires == null ? Instant.now().plus(Duration.ofHours(1)) : RucioClient.parseDate(expires);
        LOG.debugf("Rucio token obtained, valid until %s", tokenExpires);
        return null;
      } catch (ProcessingException e) {
        throw RucioClient.noAnswer(what, e);
      }
    });
  }
}
