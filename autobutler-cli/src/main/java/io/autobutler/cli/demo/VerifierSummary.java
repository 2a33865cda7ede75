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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The verifier's verdict on a repository, as the demo shows it: the one place the demo calls verifier-service, with
 * its REST API ({@code POST /api/repositories/{repo}/verify} runs every check now; {@code GET
 * /api/repositories/{repo}/verification} is the summary: the overall severity and one line per check). A
 * verifier-service that does not serve them (404) or does not answer gives a summary that says so.
 *
 * @param served   whether verifier-service answered with a summary
 * @param severity the overall severity, or null
 * @param lines    one line per check, as the verifier words them
 * @param note     why there is no summary, when there is none
 */
record VerifierSummary(boolean served, String severity, List<String> lines, String note) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** The summary now; with {@code runChecks}, after asking the verifier to run every check first. */
  static VerifierSummary fetch(HttpClient http, String verifierUrl, String repository, boolean runChecks) {
    String base = verifierUrl + "/api/repositories/" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
        .replace("+", "%20");
    try {
      if (runChecks) {
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "/verify")).timeout(TIMEOUT)
            .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        if (run.statusCode() == 404 || run.statusCode() == 405) {
          return unserved("POST " + base + "/verify answered " + run.statusCode());
        }
      }
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/verification"))
          .timeout(TIMEOUT).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return unserved("GET " + base + "/verification answered " + answer.statusCode());
      }
      return parse(answer.body());
    } catch (IOException e) {
      return unserved("verifier-service at " + verifierUrl + " does not answer (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unserved("interrupted");
    }
  }

  private static VerifierSummary unserved(String why) {
    return new VerifierSummary(false, null, List.of(), "verifier-service serves no verification summary yet: " + why);
  }

  /** The summary's JSON: its overall severity, and its checks one line each, whatever their exact fields. */
  static VerifierSummary parse(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    String severity = null;
    List<String> lines = new ArrayList<>();
    JsonNode checks = root.isArray() ? root : null;
    if (root.isObject()) {
      for (String field : List.of("severity", "overall", "status")) {
        if (root.path(field).isTextual()) {
          severity = root.path(field).asText();
          break;
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext() && checks == null; ) {
        JsonNode value = it.next().getValue();
        if (value.isArray()) {
          checks = value;
        }
      }
    }
    if (checks != null) {
      for (JsonNode check : checks) {
        lines.add(check.isValueNode() ? check.asText() : line(check));
      }
    }
    return new VerifierSummary(true, severity, lines, null);
  }

  /** A check as one line: its scalar fields, in order, separated by spaces. */
  private static String line(JsonNode check) {
    List<String> parts = new ArrayList<>();
    check.fields().forEachRemaining(f -> {
      if (f.getValue().isValueNode() && !f.getValue().isNull()) {
        parts.add(f.getValue().asText());
      }
    });
    return String.join("  ", parts);
  }
}
