package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;

class CatalogOptionsTest {

  @TempDir
  Path state;

  private static final URI LOCAL = URI.create("http://127.0.0.1:8083");

  @Test
  void tokenComesFromOptionThenEnvironmentThenTheStacksFile() throws Exception {
    Files.writeString(state.resolve("token"), "from-file\n");
    Map<String, String> env = Map.of("AUTOBUTLER_TOKEN", "from-env");
    assertThat(CatalogOptions.token("from-option", env, state, LOCAL)).contains("from-option");
    assertThat(CatalogOptions.token(null, env, state, LOCAL)).contains("from-env");
    assertThat(CatalogOptions.token(" ", Map.of("AUTOBUTLER_TOKEN", " "), state, LOCAL)).contains("from-file");
    assertThat(CatalogOptions.token(null, Map.of(), state.resolve("elsewhere"), LOCAL)).isEmpty();
  }

  @Test
  void theStacksTokenIsNeverSentToAnotherMachine() throws Exception {
    Files.writeString(state.resolve("token"), "local-secret\n");
    assertThat(CatalogOptions.token(null, Map.of(), state, URI.create("http://localhost:8083"))).contains("local-secret");
    assertThat(CatalogOptions.token(null, Map.of(), state, URI.create("http://[::1]:8083"))).contains("local-secret");
    assertThat(CatalogOptions.token(null, Map.of(), state, URI.create("https://catalog.example.org"))).isEmpty();
    assertThat(CatalogOptions.token(null, Map.of(), state, URI.create("http://10.1.2.3:8083"))).isEmpty();
    // an explicit token goes wherever the user sends it
    assertThat(CatalogOptions.token(null, Map.of("AUTOBUTLER_TOKEN", "t"), state,
        URI.create("https://catalog.example.org"))).contains("t");
  }

  @Test
  void catalogAddressFallsBackToTheRunningStacksRecordedPort() throws Exception {
    assertThat(CatalogOptions.configuredCatalog(null, Map.of(), state)).isEqualTo(LOCAL);
    Files.createDirectories(state.resolve("run"));
    Files.writeString(state.resolve("run/stack.properties"), "catalog.port=18083\n");
    assertThat(CatalogOptions.configuredCatalog(null, Map.of(), state)).isEqualTo(URI.create("http://127.0.0.1:18083"));
    assertThat(CatalogOptions.configuredCatalog(null, Map.of("AUTOBUTLER_CATALOG_URL", "http://h:1"), state))
        .isEqualTo(URI.create("http://h:1"));
    assertThat(CatalogOptions.configuredCatalog(URI.create("http://o:2"), Map.of("AUTOBUTLER_CATALOG_URL",
        "http://h:1"), state)).isEqualTo(URI.create("http://o:2"));
  }

  /**
   * Against the run's real catalog-service, which tells the cases apart: no Authorization header (writes refused,
   * asking for a token), a bearer token that is not its own (refused as invalid), its own (accepted).
   */
  @Test
  @ExtendWith(RealStack.class)
  void clientSendsTheBearerTokenOnlyWhenItHasOne(RealStack.Stack stack) {
    URI catalog = URI.create(stack.catalogUrl());
    CatalogClient anonymous = new CatalogClient(catalog, Optional.empty());
    assertThat(anonymous.hasToken()).isFalse();
    assertThat(anonymous.get("/api/repositories", Map.of()).status()).as("reads need no token").isEqualTo(200);

    String name = stack.uniqueName("client_token");
    String seed = stack.seedConfig(name);
    assertThat(anonymous.createRepository(name, seed, true, Optional.empty()))
        .isEqualTo(new CatalogClient.CreateOutcome.Failed(401, "this request needs a bearer token"
            + " (Authorization: Bearer <token>) (set AUTOBUTLER_TOKEN or use the local stack's token)"));
    assertThat(new CatalogClient(catalog, Optional.of("abc")).createRepository(name, seed, true, Optional.empty()))
        .isEqualTo(new CatalogClient.CreateOutcome.Failed(401,
            "the bearer token is not valid (set AUTOBUTLER_TOKEN or use the local stack's token)"));
    assertThat(stack.getJson("/api/repositories").findValuesAsText("name")).doesNotContain(name);

    CatalogClient.CreateOutcome created = new CatalogClient(catalog, Optional.of(stack.token()))
        .createRepository(name, seed, true, Optional.empty());
    assertThat(created).isInstanceOf(CatalogClient.CreateOutcome.Created.class);
    assertThat(((CatalogClient.CreateOutcome.Created) created).repository().namespace()).isEqualTo(name);
    assertThat(stack.getJson("/api/repositories/" + name).get("name").asText()).isEqualTo(name);
  }

  @Test
  void refusedCreateCarriesTheTokenHint() {
    assertThat(CatalogClient.interpretCreate(401, "{\"error\":\"the bearer token is not valid\"}"))
        .isEqualTo(new CatalogClient.CreateOutcome.Failed(401,
            "the bearer token is not valid (set AUTOBUTLER_TOKEN or use the local stack's token)"));
  }
}
