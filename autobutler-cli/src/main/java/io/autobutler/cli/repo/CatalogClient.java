package io.autobutler.cli.repo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.CliException;

/** A thin client of catalog-service's repository endpoints (java.net.http and Jackson). */
public final class CatalogClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  public CatalogClient(URI base) {
    this.base = stripTrailingSlash(base);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI base() {
    return base;
  }

  /** What catalog-service answered to a create. */
  public sealed interface CreateOutcome {
    /** 201: the repository now exists. */
    record Created(RepositoryInfo repository) implements CreateOutcome {
    }

    /** 409: a repository of that name exists already. */
    record AlreadyExists(String message) implements CreateOutcome {
    }

    /** Any other answer: the service's error message. */
    record Failed(int status, String message) implements CreateOutcome {
    }
  }

  /**
   * {@code POST {catalog}/api/repositories} with {@code {"name", "seedConfig", "override"}}, and {@code "root"}
   * when REPO gave a repository root.
   */
  public CreateOutcome createRepository(String name, String seedConfig, boolean override, Optional<String> root) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/repositories"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(createBody(name, seedConfig, override, root), StandardCharsets.UTF_8))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return interpretCreate(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new CliException("cannot reach catalog-service at " + base + " (" + describe(e)
          + "); is the stack up? Try ./autobutler status");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for catalog-service");
    }
  }

  static String createBody(String name, String seedConfig, boolean override, Optional<String> root) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("seedConfig", seedConfig);
    body.put("override", override);
    root.ifPresent(r -> body.put("root", r));
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static CreateOutcome interpretCreate(int status, String body) {
    if (status == 201 || status == 200) {
      try {
        return new CreateOutcome.Created(JSON.readValue(body, RepositoryInfo.class));
      } catch (IOException e) {
        return new CreateOutcome.Failed(status, "catalog-service answered " + status
            + " with a body that is not a repository: " + abbreviate(body));
      }
    }
    String message = errorMessage(status, body);
    return status == 409 ? new CreateOutcome.AlreadyExists(message) : new CreateOutcome.Failed(status, message);
  }

  /** The {@code error} of a {@code {"error": "message"}} body, or a description of whatever came instead. */
  static String errorMessage(int status, String body) {
    try {
      JsonNode node = JSON.readTree(body == null ? "" : body);
      if (node != null && node.hasNonNull("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: described below
    }
    return "catalog-service answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static URI stripTrailingSlash(URI uri) {
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }
}
