package io.autobutler.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.campaign.CampaignGenerator;
import io.autobutler.core.campaign.SyntheticRaws;

/**
 * How far a demo campaign has come, read from the running parts over their REST APIs: files landed (the Rucio
 * simulator), replicas announced (replication-watcher), datasets ingested (ingest-service's metrics), the verdict
 * (verifier-service), and whether the repository holds the whole campaign (catalog-service: chains, tagged
 * selections, and each RUN's datasets against what the campaign generator wrote).
 */
final class CampaignProgress {

  /** RTN-103's tagged selections, and what each holds once the campaign is in (the manifest's queries). */
  static final String DP1_SELECTION = "LSSTComCam/raw/DP1-RC3/DM-49594";
  static final String SSO_SELECTION = "LSSTComCam/calib/DM-49977/DP1.0/preloaded_SsObjects.20250409";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final HttpClient http;
  private final String simulatorUrl;
  private final String watcherUrl;
  private final String ingestUrl;
  private final String catalogUrl;
  private final String verifierUrl;
  private final String repository;
  private final CampaignGenerator.Summary campaign;

  CampaignProgress(HttpClient http, String simulatorUrl, String watcherUrl, String ingestUrl, String catalogUrl,
                   String verifierUrl, String repository, CampaignGenerator.Summary campaign) {
    this.http = http;
    this.simulatorUrl = simulatorUrl;
    this.watcherUrl = watcherUrl;
    this.ingestUrl = ingestUrl;
    this.catalogUrl = catalogUrl;
    this.verifierUrl = verifierUrl;
    this.repository = repository;
    this.campaign = campaign;
  }

  /** The files of the simulator's catalogue that have not landed yet. */
  int pendingFiles() {
    return json(simulatorUrl + "/simulator/status").path("pending").asInt(0);
  }

  /** The live figures; -1 where a part does not answer. */
  record Figures(long landed, long announced, long ingested, String verified) {
  }

  Figures figures() {
    long landed = json(simulatorUrl + "/simulator/status").path("available").asLong(-1);
    long announced = json(watcherUrl + "/api/watcher").path("announcedReplicas").asLong(-1);
    long ingested = ingestedDatasets();
    VerifierSummary verdict = VerifierSummary.fetch(http, verifierUrl, repository, false);
    return new Figures(landed, announced, ingested, verdict.served() ? verdict.severity() : null);
  }

  /** The sum of {@code autobutler_ingest_datasets_total} over its actions, or -1. */
  private long ingestedDatasets() {
    String metrics = text(ingestUrl + "/q/metrics", "text/plain");
    if (metrics == null) {
      return -1;
    }
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("autobutler_ingest_datasets_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }

  /** What the repository still lacks; empty once it holds the whole campaign. */
  List<String> missing() {
    List<String> missing = new ArrayList<>();
    JsonNode status = json(simulatorUrl + "/simulator/status");
    if (status.path("available").asLong(-1) < campaign.files()) {
      missing.add("files landed: " + status.path("available").asLong(0) + " of " + campaign.files());
    }
    JsonNode state = json(catalogUrl + "/api/campaign");
    if (!state.path("repositoryExists").asBoolean(false)) {
      missing.add("repository " + repository + " not created yet");
      return missing;
    }
    if (state.path("passes").asLong(0) == 0) {
      // the setup comes before the first pass: lsst_cells_v1's 1.9 million patches take a while
      missing.add("catalog-service's setup of " + repository + " (instrument, skymap, curated calibrations)");
      return missing;
    }
    for (JsonNode chain : state.path("chains")) {
      if (!chain.path("missing").isEmpty()) {
        missing.add("chain " + chain.path("name").asText() + " lacks " + join(chain.path("missing")));
      }
    }
    Map<String, Long> expectedTagged = Map.of(DP1_SELECTION, (long) campaign.scienceRaws(),
        SSO_SELECTION, (long) campaign.datasetsByRun().getOrDefault(CampaignGenerator.SSO_RUN, 0));
    for (JsonNode tagged : state.path("tagged")) {
      long members = tagged.path("members").asLong(-1);
      long expected = expectedTagged.getOrDefault(tagged.path("name").asText(), 1L);
      if (members < expected) {
        missing.add("tagged " + tagged.path("name").asText() + ": " + Math.max(members, 0) + " of " + expected);
      }
    }
    for (Map.Entry<String, Integer> run : campaign.datasetsByRun().entrySet()) {
      if (run.getKey().equals(SyntheticRaws.RUN)) {
        continue;
      }
      long found = datasets("*", run.getKey());
      if (found != run.getValue()) {
        missing.add(run.getKey() + ": " + Math.max(found, 0) + " of " + run.getValue() + " datasets");
      }
    }
    // the raws last, once the rest is in: at the full scale this query lists 148,845 rows
    if (missing.isEmpty()) {
      long raws = datasets("raw", SyntheticRaws.RUN);
      if (raws != campaign.raws()) {
        missing.add(SyntheticRaws.RUN + ": " + Math.max(raws, 0) + " of " + campaign.raws() + " raws");
      }
    }
    return missing;
  }

  /** How many datasets of the types a query-datasets finds in one collection; -1 when it does not exist (yet). */
  private long datasets(String datasetType, String collection) {
    JsonNode result = json(catalogUrl + "/api/repositories/" + encode(repository) + "/datasets?datasetType="
        + encode(datasetType) + "&collections=" + encode(collection) + "&limit=0");
    if (!result.has("tables")) {
      return -1;
    }
    long rows = 0;
    for (JsonNode table : result.path("tables")) {
      rows += table.path("rows").size();
    }
    return rows;
  }

  private JsonNode json(String url) {
    String body = text(url, "application/json");
    if (body == null) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** The body of a 200 answer, or null. */
  private String text(String url, String accept) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
          .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String join(JsonNode names) {
    List<String> list = new ArrayList<>();
    names.forEach(n -> list.add(n.asText()));
    return list.stream().collect(Collectors.joining(", "));
  }
}
