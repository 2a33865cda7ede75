package io.autobutler.watcher.rucio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.simulator.Catalogue.SimDataset;
import io.autobutler.simulator.RucioSimulator;
import io.autobutler.testsupport.PostgresResource;
import io.autobutler.watcher.runtime.SimulatorResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Rucio client against the simulator: authentication and renewal, encoded slashes, streams, errors, retries.
 * A Quarkus test because the client is Quarkus's REST client, whose implementation the Quarkus build generates;
 * the test resources are the watcher tests' own, so that both share one application.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "watcher"))
@WithTestResource(SimulatorResource.class)
class RucioClientTest {

  private static RucioSimulator simulator;
  private static SimDataset dataset;

  @BeforeAll
  static void start() {
    simulator = RucioSimulator.start(RucioSimulator.Settings.defaults(null), 0);
    simulator.catalogue().generate("raw", "Dataset/Client/", 1, 2000, 16);
    dataset = simulator.catalogue().datasets(d -> d.name().startsWith("Dataset/Client/")).get(0);
    simulator.landDataset("raw", dataset.name(), false, 0);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static RucioClient client(Duration renewBefore) {
    URI url = URI.create(simulator.baseUrl());
    return new RucioClient(new RucioClient.Settings(url, url, Optional.of("autobutler"), Optional.of("autobutler"),
        Optional.of("secret"), Optional.empty(), Optional.empty(), Duration.ofSeconds(10), 3, renewBefore));
  }

  private static Did did() {
    return new Did("raw", dataset.name());
  }

  @Test
  void streamsEveryReplicaOfADatasetWhoseNameHasSlashes() {
    List<JsonNode> files = new ArrayList<>();
    Instant serverTime = client(Duration.ofMinutes(5)).listReplicas(new RucioClient.ReplicaQuery(List.of(did()),
        "IN2P3_RAW_DISK", null, false, true), files::add);
    assertThat(files).hasSize(2000);
    assertThat(files.get(0).path("parents").get(0).asText()).isEqualTo("raw:" + dataset.name());
    assertThat(serverTime).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
    assertThat(did().path()).isEqualTo("raw/" + dataset.name().replace("/", "%2F"));
    assertThat(client(Duration.ofMinutes(5)).datasetReplicas(did(), true).get(0).path("available_length").asInt())
        .isEqualTo(2000);
  }

  @Test
  void renewsTheTokenBeforeItExpiresAndAfterA401() {
    RucioClient client = client(Duration.ofSeconds(30));
    int before = simulator.authentications();
    client.datasetReplicas(did(), true);
    client.datasetReplicas(did(), true);
    assertThat(simulator.authentications()).isEqualTo(before + 1);

    // A token with less than renew-before left is renewed before it is used.
    simulator.tokenLifetime(Duration.ofSeconds(20));
    try {
      RucioClient soonExpiring = client(Duration.ofSeconds(30));
      soonExpiring.datasetReplicas(did(), true);
      soonExpiring.datasetReplicas(did(), true);
      assertThat(simulator.authentications()).isEqualTo(before + 3);
    } finally {
      simulator.tokenLifetime(Duration.ofHours(1));
    }

    // A token Rucio no longer accepts: one 401, a new token, the request succeeds.
    simulator.expireTokens();
    assertThat(client.datasetReplicas(did(), true)).hasSize(1);
    assertThat(simulator.authentications()).isEqualTo(before + 4);
  }

  @Test
  void authenticatesWithATokenFile(@TempDir Path dir) throws Exception {
    client(Duration.ofMinutes(5)).datasetReplicas(did(), true);
    // a token obtained elsewhere: ask the simulator for one the way rucio's CLI would
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create(simulator.baseUrl() + "/auth/userpass")).header("X-Rucio-Username", "autobutler")
        .header("X-Rucio-Password", "secret").build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, response.headers().firstValue("X-Rucio-Auth-Token").orElseThrow() + "\n");
    URI url = URI.create(simulator.baseUrl());
    RucioClient client = new RucioClient(new RucioClient.Settings(url, url, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(tokenFile), Optional.empty(), Duration.ofSeconds(10), 3, Duration.ofMinutes(5)));
    assertThat(client.datasetReplicas(did(), true)).hasSize(1);
  }

  @Test
  void rucioErrorsAreReadableAndServerErrorsAreRetried() {
    RucioClient client = client(Duration.ofMinutes(5));
    assertThatThrownBy(() -> client.datasetReplicas(new Did("raw", "Dataset/none/such"), true))
        .isInstanceOf(RucioException.class)
        .hasMessage("GET /replicas/raw/Dataset%2Fnone%2Fsuch/datasets?deep=true failed with HTTP 404:"
            + " DataIdentifierNotFound Data identifier 'raw:Dataset/none/such' not found");

    simulator.failNext(2, 503);
    assertThat(client.datasetReplicas(did(), true)).hasSize(1);
    simulator.garbleNext(1);
    assertThat(client.datasetReplicas(did(), true)).hasSize(1);

    simulator.failNext(3, 500);
    assertThatThrownBy(() -> client.datasetReplicas(did(), true)).isInstanceOf(RucioException.class)
        .satisfies(e -> assertThat(((RucioException) e).status()).isEqualTo(500));
    simulator.garbleNext(3);
    assertThatThrownBy(() -> client.datasetReplicas(did(), true)).isInstanceOf(RucioException.class)
        .hasMessageContaining("the answer is not Rucio's x-json-stream");
  }

  @Test
  void readsRucioDates() {
    assertThat(RucioClient.parseDate("Wed, 05 Nov 2025 13:00:00 UTC")).isEqualTo(Instant.parse("2025-11-05T13:00:00Z"));
    assertThatThrownBy(() -> RucioClient.parseDate("2025-11-05")).hasMessageContaining("not in Rucio's date format");
  }
}
