package io.autobutler.cli.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
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
 * A thin client of catalog-service. Every request carries {@code Authorization: Bearer <token>} when a token is
 * known: catalog-service refuses writes without it. Failures become {@link CliException}s whose message is the
 * service's {@code {"error": "..."}}. HttpURLConnection rather than java.net.http's client, which sets up TLS and a
 * thread pool even for plain HTTP: a new CLI process answers in a third of the time. For the same reason Jackson is
 * only loaded when a JSON body is read or written.
 */
public final class CatalogClient {

  /** What a 401 answer adds to the service's message. */
  /** The header of catalog-service's text answers that carries a warning. */
  static final String WARNING_HEADER = "X-Butler-Warning";
  public static final String TOKEN_HINT = "(set AUTOBUTLER_TOKEN or use the local stack's token)";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
  private static final int STREAMED_BODY_BYTES = 1 << 20;

  /** Jackson, loaded on first use only (it costs a new process about 170 ms). */
  static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final URI base;
  private final Optional<String> token;
  /** The service's name in messages: catalog-service, or another service spoken to the same way. */
  private final String service;

  public CatalogClient(URI base) {
    this(base, Optional.empty());
  }

  public CatalogClient(URI base, Optional<String> token) {
    this(base, token, "catalog-service");
  }

  /** A client of another service with the same conventions (JSON, {@code {"error": …}} answers). */
  public CatalogClient(URI base, Optional<String> token, String service) {
    this.base = stripTrailingSlash(base);
    this.token = token.map(String::strip).filter(t -> !t.isEmpty());
    this.service = service;
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
    return json(send("GET", path + queryString(query), "application/json", null));
  }

  /** A {@code text/plain} answer: the text and the warnings its {@code X-Butler-Warning} headers carry. */
  public record TextReply(List<String> warnings, String text) {
  }

  /** {@code GET {catalog}{path}?...} asking for {@code text/plain}: tables the service rendered itself. */
  public TextReply getText(String path, Map<String, List<String>> query) {
    Answer answer = send("GET", path + queryString(query), "text/plain", null);
    if (answer.status() / 100 != 2) {
      throw new ServiceException(answer.status(), errorMessage(answer.status(), answer.body()));
    }
    return new TextReply(answer.warnings(), answer.body());
  }

  /** {@code POST {catalog}{path}} with a JSON body. */
  public Reply post(String path, Object body) {
    String json;
    try {
      json = Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return json(send("POST", path, "application/json", json));
  }

  /**
   * {@code GET {catalog}{path}?name=value&...} whose body (not JSON: e.g. an export file) is written to
   * {@code target} as it arrives. The body goes to a temporary file next to {@code target} that replaces it only once
   * complete, so a failure leaves an existing {@code target} as it was. A non-2xx answer is a
   * {@link ServiceException} with the service's message.
   */
  public void download(String path, Map<String, List<String>> query, String accept, Path target) {
    try {
      HttpURLConnection connection = open("GET", path + queryString(query), accept + ", application/json", null);
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        throw new ServiceException(status, errorMessage(status, readBody(connection, status)));
      }
      Path folder = target.toAbsolutePath().getParent();
      Path partial = Files.createTempFile(folder, "." + target.getFileName(), ".part");
      try (InputStream body = connection.getInputStream()) {
        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new CliException("cannot save the answer of " + service + " at " + base + " to " + target + ": "
          + describe(e));
    }
  }

  /** {@code /api/repositories/<name>} followed by the given path, the name encoded as a path segment. */
  public static String repositoryPath(String repository, String rest) {
    return "/api/repositories/" + pathSegment(repository) + (rest.isEmpty() || rest.startsWith("/") ? rest : "/" + rest);
  }

  /** An HTTP answer: its status, its body as text, and the values of its warning headers. */
  private record Answer(int status, String body, List<String> warnings) {
  }

  private Reply json(Answer answer) {
    int status = answer.status();
    if (status / 100 != 2) {
      throw new ServiceException(status, errorMessage(status, answer.body()));
    }
    String body = answer.body();
    try {
      return new Reply(status, body.isBlank() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(body));
    } catch (IOException e) {
      throw new CliException(service + " answered " + status + " with a body that is not JSON: "
          + abbreviate(body));
    }
  }

  /** One request, its body read whole. */
  private Answer send(String method, String pathAndQuery, String accept, String jsonBody) {
    try {
      HttpURLConnection connection = open(method, pathAndQuery, accept, jsonBody);
      int status = connection.getResponseCode();
      String body = readBody(connection, status);
      List<String> warnings = connection.getHeaderFields().getOrDefault(WARNING_HEADER, List.of());
      return new Answer(status, body, warnings);
    } catch (IOException e) {
      throw new CliException("cannot reach " + service + " at " + base + " (" + describe(e)
          + "); is the stack up? Try ./autobutler status");
    }
  }

  /** Sends a request (with a JSON body when {@code jsonBody} is not null); the answer is read by the caller. */
  private HttpURLConnection open(String method, String pathAndQuery, String accept, String jsonBody)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    // Imports of a campaign's export files take minutes.
    connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
    connection.setRequestProperty("Accept", accept);
    token.ifPresent(t -> connection.setRequestProperty("Authorization", "Bearer " + t));
    if (jsonBody != null) {
      byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
      connection.setDoOutput(true);
      if (bytes.length > STREAMED_BODY_BYTES) {
        // Large bodies (export files) are not copied once more; but in streaming mode a 401 loses its message.
        connection.setFixedLengthStreamingMode(bytes.length);
      }
      connection.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(bytes);
      }
    }
    return connection;
  }

  private static String readBody(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
    Answer answer = send("POST", "/api/repositories", "application/json", createBody(name, seedConfig, override, root));
    return interpretCreate(answer.status(), answer.body());
  }

  static String createBody(String name, String seedConfig, boolean override, Optional<String> root) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("seedConfig", seedConfig);
    body.put("override", override);
    root.ifPresent(r -> body.put("root", r));
    try {
      return Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static CreateOutcome interpretCreate(int status, String body) {
    if (status == 201 || status == 200) {
      try {
        return new CreateOutcome.Created(Json.MAPPER.readValue(body, RepositoryInfo.class));
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
      JsonNode node = Json.MAPPER.readTree(body == null ? "" : body);
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
