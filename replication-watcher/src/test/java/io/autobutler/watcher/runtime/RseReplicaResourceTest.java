package io.autobutler.watcher.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.simulator.Catalogue.SimDataset;
import io.autobutler.simulator.Catalogue.SimFile;
import io.autobutler.simulator.RucioSimulator;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code /api/rse-replicas}: what Rucio (the simulator) has at the RSE now, one line per dataset, listed on each
 * request: files that land appear, a lost replica disappears, a dataset Rucio does not know is said to be gone.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "watcher"))
@WithTestResource(SimulatorResource.class)
class RseReplicaResourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TestHTTPResource("/api/rse-replicas")
  URI endpoint;

  @Test
  void listsTheFilesAvailableAtTheRseNowPerDataset() throws Exception {
    RucioSimulator simulator = SimulatorResource.simulator();
    simulator.catalogue().generate("raw", "Dataset/Inventory/", 2, 3, 64);
    List<SimDataset> datasets = simulator.catalogue().datasets(d -> d.name().startsWith("Dataset/Inventory/"));
    SimDataset first = datasets.get(0);
    List<SimFile> files = simulator.catalogue().filesOf(first);
    simulator.landFiles(simulator.catalogue().startLanding(files.subList(0, 2)), false, 0);

    List<JsonNode> lines = lines(HttpRequest.newBuilder(endpoint).GET());
    JsonNode listed = dataset(lines, first.did());
    assertThat(listed.path("exists").asBoolean()).isTrue();
    assertThat(listed.path("rse").asText()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(names(listed)).containsExactly(files.get(0).name(), files.get(1).name());
    assertThat(listed.path("files").get(0).path("pfn").asText()).isEqualTo(simulator.pfn(files.get(0)));
    assertThat(listed.path("files").get(0).path("adler32").asText()).isEqualTo(files.get(0).adler32());
    assertThat(names(dataset(lines, datasets.get(1).did()))).isEmpty();
    assertThat(lines.get(lines.size() - 1).path("complete").asBoolean()).isTrue();

    simulator.catalogue().lose(files.get(0).scope(), files.get(0).name());
    simulator.landFiles(simulator.catalogue().startLanding(files.subList(2, 3)), false, 0);
    List<JsonNode> again = lines(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"datasets\": [\"raw:Dataset/Inventory/none\", \"" + first.did()
            + "\"]}")));
    assertThat(names(dataset(again, first.did()))).containsExactly(files.get(1).name(), files.get(2).name());
    JsonNode gone = dataset(again, "raw:Dataset/Inventory/none");
    assertThat(gone.path("exists").asBoolean()).isFalse();
    assertThat(gone.path("files")).isEmpty();

    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"datasets\": [\"no-scope\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("'no-scope' is not a dataset DID scope:name");
  }

  private static List<JsonNode> lines(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/x-json-stream"));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static JsonNode dataset(List<JsonNode> lines, String did) {
    return lines.stream().filter(l -> did.equals(l.path("dataset").asText())).findFirst()
        .orElseThrow(() -> new AssertionError(did + " not listed in " + lines));
  }

  private static List<String> names(JsonNode dataset) {
    List<String> names = new ArrayList<>();
    dataset.path("files").forEach(f -> names.add(f.path("name").asText()));
    return names;
  }
}
