package io.autobutler.watcher.rucio;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Rucio's authentication server (auth_host): a token for a username and password. */
@RegisterRestClient
public interface RucioAuthApi {

  /** {@code GET /auth/userpass}: the token and its expiry come back in headers. */
  @GET
  @Path("/auth/userpass")
  Response userpass(@HeaderParam("X-Rucio-Username") String username, @HeaderParam("X-Rucio-Password") String password,
                    @HeaderParam("X-Rucio-Account") String account, @HeaderParam("X-Rucio-VO") String vo);
}
