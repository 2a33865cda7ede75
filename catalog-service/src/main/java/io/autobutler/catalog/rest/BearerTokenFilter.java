package io.autobutler.catalog.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.autobutler.catalog.config.AuthConfig;

/**
 * Requires the configured bearer token on every write to {@code /api} (and on reads when configured). The token is
 * compared in constant time and never logged or echoed.
 */
public class BearerTokenFilter {

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final AuthConfig config;

  public BearerTokenFilter(AuthConfig config) {
    this.config = config;
  }

  @ServerRequestFilter
  public Response check(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return null;
    }
    boolean write = !READ_METHODS.contains(request.getMethod());
    if (!write && !config.protectReads()) {
      return null;
    }
    if (config.writeToken().isEmpty() || config.writeToken().get().isBlank()) {
      return ErrorMappers.error(Response.Status.UNAUTHORIZED, "this catalog-service has no token configured"
          + " (autobutler.auth.write-token), so it accepts no writes");
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
        config.writeToken().get().getBytes(StandardCharsets.UTF_8))) {
      return Response.fromResponse(ErrorMappers.error(Response.Status.UNAUTHORIZED, presented.isEmpty()
              ? "this request needs a bearer token (Authorization: Bearer <token>)" : "the bearer token is not valid"))
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
    return null;
  }
}
