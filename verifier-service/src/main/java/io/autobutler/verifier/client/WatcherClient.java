package io.autobutler.verifier.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What Rucio has at the RSE, read through replication-watcher's {@code POST /api/rse-replicas} (the watcher is the
 * only component that talks to Rucio): one JSON line per Rucio dataset, read as it arrives, then the line saying
 * the listing is whole. A listing without it, an error answer or no answer is a {@link WatcherUnavailable}.
 */
public final class WatcherClient {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final URI watcher;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public WatcherClient(URI watcher, Duration timeout) {
    this.watcher = watcher;
    this.timeout = timeout;
  }

  /** A file AVAILABLE at the RSE. */
  public record RseFile(String scope, String name, String pfn, Long bytes, String adler32) {

    public String did() {
      return scope + ":" + name;
    }
  }

  /** A Rucio dataset: whether Rucio knows it, and its files AVAILABLE at the RSE. */
  public record RseDataset(String rse, String dataset, boolean exists, List<RseFile> files) {
  }

  /** Rucio could not be read through the watcher; the message says why. */
  public static final class WatcherUnavailable extends Exception {
    public WatcherUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The watcher runs without Rucio (no {@code autobutler.watcher.rucio.url}): there is nothing to compare with. */
  public static final class RucioNotConfigured extends Exception {
    public RucioNotConfigured(String message) {
      super(message);
    }
  }

  /** The watched datasets and {@code datasets} ({@code scope:name}), each with its files AVAILABLE at the RSE. */
  public List<RseDataset> list(Collection<String> datasets) throws WatcherUnavailable, RucioNotConfigured {
    URI endpoint = watcher.resolve("/api/rse-replicas");
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("datasets", datasets));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/x-json-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        if (response.statusCode() != 200) {
          String text = String.join(" ", lines.lines().limit(5).toList());
          if (response.statusCode() == 503 && text.contains("no Rucio is configured")) {
            throw new RucioNotConfigured(text);
          }
          throw new WatcherUnavailable("POST " + endpoint + " answered HTTP " + response.statusCode() + ": " + text,
              null);
        }
        List<RseDataset> listed = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = JSON.readTree(line);
          if (node.path("complete").asBoolean(false)) {
            return listed;
          }
          listed.add(JSON.treeToValue(node, RseDataset.class));
        }
        throw new WatcherUnavailable("POST " + endpoint + ": the listing broke off after " + listed.size()
            + " datasets (Rucio failed while the watcher listed it)", null);
      }
    } catch (IOException e) {
      throw new WatcherUnavailable("POST " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WatcherUnavailable("POST " + endpoint + " was interrupted", e);
    }
  }
}
