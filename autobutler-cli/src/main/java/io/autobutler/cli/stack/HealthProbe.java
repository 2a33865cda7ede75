package io.autobutler.cli.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code GET /q/health} of a Quarkus service (SmallRye Health). */
public final class HealthProbe {

  /** A service's health: UP, DOWN (answers, not healthy), or UNREACHABLE (nothing answers). */
  public enum Health { UP, DOWN, UNREACHABLE }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Health check(String baseUrl) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health"))
        .timeout(Duration.ofSeconds(5))
        .header("Accept", "application/json")
        .GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return interpret(response.statusCode(), response.body());
    } catch (IOException e) {
      return Health.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.UNREACHABLE;
    }
  }

  /** Whether {@code GET url} answers 200 (a readiness endpoint of a process that is not a Quarkus service). */
  public boolean answers(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** UP only for 200 with {@code "status": "UP"}. */
  static Health interpret(int status, String body) {
    if (status != 200) {
      return Health.DOWN;
    }
    try {
      JsonNode node = JSON.readTree(body);
      return "UP".equals(node.path("status").asText()) ? Health.UP : Health.DOWN;
    } catch (IOException e) {
      return Health.DOWN;
    }
  }
}
