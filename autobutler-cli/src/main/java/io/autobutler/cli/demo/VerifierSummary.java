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

  /**
   * The summary's JSON as verifier-service writes it: {@code severity} (ok, warning, error, outage) and
   * {@code checks}, each with its {@code check}, {@code severity} and {@code line}; printed one check a line.
   */
  static VerifierSummary parse(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!root.path("severity").isTextual() || !root.path("checks").isArray()) {
      throw new IOException("not a verification summary: " + (body.length() > 200 ? body.substring(0, 200) : body));
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode check : root.path("checks")) {
      lines.add(String.format("%-22s %-8s %s", check.path("check").asText(), check.path("severity").asText(),
          check.path("line").asText()));
    }
    return new VerifierSummary(true, root.path("severity").asText(), lines, null);
  }
}
