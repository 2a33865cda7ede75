package io.autobutler.cli.repo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.cli.CliException;

/**
 * A thin client of catalog-service (java.net.http and Jackson). Every request carries {@code Authorization: Bearer
 * <token>} when a token is known: catalog-service refuses writes without it. Failures become {@link CliException}s
 * whose message is the service's {@code {"error": "..."}}.
 */
public final class CatalogClient {

  static final ObjectMapper JSON = new ObjectMapper();
  /** What a 401 answer adds to the service's message. */
  public static final String TOKEN_HINT = "(set AUTOBUTLER_TOKEN or use the local stack's token)";

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http;

  public CatalogClient(URI base) {
    this(base, Optional.empty());
  }

  public CatalogClient(URI base, Optional<String> token) {
    this.base = stripTrailingSlash(base);
    this.token = token.map(String::strip).filter(t -> !t.isEmpty());
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI base() {
    return base;
  }

  /** Whether requests carry a bearer token. */
  public boolean hasToken() {
    return token.isPresent();
  }

  /** A non-2xx answer of catalog-service, reported as {@code Error: <message>}. */
  public static final class ServiceException extends CliException {
    private final int status;

    public ServiceException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** An answer: its status and its JSON body (a missing node when the body was empty). */
  public record Reply(int status, JsonNode body) {
    public boolean created() {
      return status == 201;
    }
  }

  /** {@code GET {catalog}{path}?name=value&...}; the query values are encoded here. */
  public Reply get(String path, Map<String, List<String>> query) {
    return exchange(request(path + queryString(query)).GET());
  }

  /** {@code POST {catalog}{path}} with a JSON body. */
  public Reply post(String path, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return exchange(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  /**
   * {@code GET {catalog}{path}?name=value&...} whose body (not JSON: e.g. an export file) is written to
   * {@code target} as it arrives. The body goes to a temporary file next to {@code target} that replaces it only once
   * complete, so a failure leaves an existing {@code target} as it was. A non-2xx answer is a
   * {@link ServiceException} with the service's message.
   */
  public void download(String path, Map<String, List<String>> query, String accept, Path target) {
    HttpRequest request = request(path + queryString(query)).setHeader("Accept", accept + ", application/json")
        .GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new CliException("cannot reach catalog-service at " + base + " (" + describe(e)
          + "); is the stack up? Try ./autobutler status");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for catalog-service");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new ServiceException(response.statusCode(), errorMessage(response.statusCode(),
            new String(body.readAllBytes(), StandardCharsets.UTF_8)));
      }
      Path folder = target.toAbsolutePath().getParent();
      Path partial = Files.createTempFile(folder, "." + target.getFileName(), ".part");
      try {
        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new CliException("cannot save the answer of catalog-service to " + target + ": " + describe(e));
    }
  }

  /** {@code /api/repositories/<name>} followed by the given path, the name encoded as a path segment. */
  public static String repositoryPath(String repository, String rest) {
    return "/api/repositories/" + pathSegment(repository) + (rest.isEmpty() || rest.startsWith("/") ? rest : "/" + rest);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        // Imports of a campaign's export files take minutes; the connection itself times out after 5 s.
        .timeout(Duration.ofMinutes(10))
        .header("Accept", "application/json");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private Reply exchange(HttpRequest.Builder builder) {
    HttpResponse<String> response = send(builder.build());
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new ServiceException(status, errorMessage(status, response.body()));
    }
    String body = response.body();
    try {
      return new Reply(status, body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body));
    } catch (IOException e) {
      throw new CliException("catalog-service answered " + status + " with a body that is not JSON: "
          + abbreviate(body));
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException("cannot reach catalog-service at " + base + " (" + describe(e)
          + "); is the stack up? Try ./autobutler status");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for catalog-service");
    }
  }

  static String queryString(Map<String, List<String>> query) {
    StringBuilder sb = new StringBuilder();
    query.forEach((name, values) -> {
      for (String value : values) {
        sb.append(sb.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
      }
    });
    return sb.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String pathSegment(String text) {
    return encode(text);
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
    HttpRequest request = request("/api/repositories")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(createBody(name, seedConfig, override, root), StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response = send(request);
    return interpretCreate(response.statusCode(), response.body());
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

  /**
   * The {@code error} of a {@code {"error": "message"}} body, or a description of whatever came instead; a 401 says
   * where the token comes from.
   */
  static String errorMessage(int status, String body) {
    String message = null;
    try {
      JsonNode node = JSON.readTree(body == null ? "" : body);
      if (node != null && node.hasNonNull("error")) {
        message = node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: described below
    }
    if (message == null) {
      message = "catalog-service answered HTTP " + status + (body == null || body.isBlank() ? "" : ": "
          + abbreviate(body));
    }
    return status == 401 ? message + " " + TOKEN_HINT : message;
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
