package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The wire format of catalog-service's create endpoint, as the client writes and reads it. */
class CatalogClientTest {

  @Test
  void createBodyCarriesNameSeedTextAndOverride() throws Exception {
    String seed = "datastore:\n  name: \"ccms1\"\n  root: \"davs://host:2880/butler/ccms1\"\n";
    JsonNode body = CatalogClient.Json.MAPPER.readTree(CatalogClient.createBody("ccms1", seed, true, Optional.empty()));
    assertThat(body.get("name").asText()).isEqualTo("ccms1");
    assertThat(body.get("seedConfig").asText()).isEqualTo(seed);
    assertThat(body.get("override").asBoolean()).isTrue();
    assertThat(body.size()).isEqualTo(3);

    JsonNode withRoot = CatalogClient.Json.MAPPER.readTree(
        CatalogClient.createBody("ccms1", seed, false, Optional.of("davs://host:2880/butler/ccms1")));
    assertThat(withRoot.get("root").asText()).isEqualTo("davs://host:2880/butler/ccms1");
    assertThat(withRoot.get("override").asBoolean()).isFalse();
  }

  @Test
  void created() {
    var outcome = CatalogClient.interpretCreate(201, """
        {"name":"ccms1","namespace":"ccms1","registryDb":"postgresql://127.0.0.1:5432/autobutler",
         "datastoreName":"ccms1","datastoreRoot":"file:///data/ccms1/","createdAt":"2026-01-01T00:00:00Z"}""");
    assertThat(outcome).isInstanceOf(CatalogClient.CreateOutcome.Created.class);
    RepositoryInfo repo = ((CatalogClient.CreateOutcome.Created) outcome).repository();
    assertThat(repo).isEqualTo(new RepositoryInfo("ccms1", "ccms1", "postgresql://127.0.0.1:5432/autobutler",
        "ccms1", "file:///data/ccms1/"));
    assertThat(CreateCommand.confirmation(repo)).isEqualTo("Repository ccms1 created: registry "
        + "postgresql://127.0.0.1:5432/autobutler namespace ccms1, datastore root file:///data/ccms1/");
  }

  @Test
  void conflictAndErrorsCarryTheServiceMessage() {
    assertThat(CatalogClient.interpretCreate(409, "{\"error\":\"repository ccms1 exists\"}"))
        .isEqualTo(new CatalogClient.CreateOutcome.AlreadyExists("repository ccms1 exists"));
    assertThat(CatalogClient.interpretCreate(400, "{\"error\":\"seedConfig: registry.namespace is missing\"}"))
        .isEqualTo(new CatalogClient.CreateOutcome.Failed(400, "seedConfig: registry.namespace is missing"));
    assertThat(CatalogClient.interpretCreate(502, "<html>Bad Gateway</html>"))
        .isEqualTo(new CatalogClient.CreateOutcome.Failed(502, "catalog-service answered HTTP 502: <html>Bad Gateway</html>"));
    assertThat(CatalogClient.interpretCreate(201, "not json"))
        .isInstanceOf(CatalogClient.CreateOutcome.Failed.class);
  }

  @Test
  void baseAddressLosesTrailingSlashes() {
    assertThat(new CatalogClient(URI.create("http://127.0.0.1:8083//")).base())
        .isEqualTo(URI.create("http://127.0.0.1:8083"));
  }
}
