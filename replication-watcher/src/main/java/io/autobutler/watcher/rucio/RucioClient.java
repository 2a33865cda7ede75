package io.autobutler.watcher.rucio;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The watcher's Rucio client, speaking Rucio's REST API as the Python client does (rucio/rucio
 * lib/rucio/client/baseclient.py): userpass or token-file authentication, the token renewed before it expires and
 * on 401, DID names with encoded slashes, {@code application/x-json-stream} read line by line from the connection
 * (never a whole body in memory), Rucio's {@code ExceptionClass} / {@code ExceptionMessage} turned into
 * {@link RucioException}s, and retries with exponential back-off on 5xx answers, timeouts and lost connections.
 *
 * <p>Built on the JDK's HTTP client rather than a JAX-RS REST client, because the path of a DID must reach Rucio
 * exactly as encoded ({@code %2F} inside the name, one plain slash before it) and a stream must be read as it
 * arrives; both are direct here.
 */
public final class RucioClient {

  private static final Logger LOG = Logger.getLogger(RucioClient.class);
  static final ObjectMapper JSON = new ObjectMapper();
  /** Rucio's date format (common/utils.py DATE_FORMAT), with the literal suffix UTC. */
  public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'",
      Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter UPDATED_AFTER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final String JSON_STREAM = "application/x-json-stream";

  /**
   * How to reach and authenticate to Rucio.
   *
   * @param authUrl     the authentication server (Rucio's auth_host), usually the same as {@code url}
   * @param tokenFile   a file holding a token obtained elsewhere (read again when Rucio refuses it); used when no
   *                    username is given
   * @param renewBefore a userpass token is renewed when it has less than this left
   */
  public record Settings(URI url, URI authUrl, Optional<String> account, Optional<String> username,
                         Optional<String> password, Optional<Path> tokenFile, Optional<String> vo, Duration timeout,
                         int attempts, Duration renewBefore) {

    public Settings {
      if (username.isEmpty() && tokenFile.isEmpty()) {
        throw new IllegalArgumentException("Rucio authentication needs a username and password, or a token file");
      }
      if (username.isPresent() && password.isEmpty()) {
        throw new IllegalArgumentException("Rucio userpass authentication needs a password");
      }
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private String token;
  private Instant tokenExpires = Instant.MIN;

  public RucioClient(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  // ------------------------------------------------------------------------------------------ API

  /** {@code GET /dids/{scope}/dids/search?type=dataset&name=pattern}: the names of matching datasets. */
  public void searchDatasets(String scope, String namePattern, Consumer<String> names) {
    String path = "/dids/" + Did.encode(scope) + "/dids/search?type=dataset&name=" + Did.encode(namePattern);
    stream("GET " + path, get(path), line -> {
      if (!line.isTextual()) {
        throw new RucioException("GET " + path, 200, null, "expected a DID name per line, got " + line, null);
      }
      names.accept(line.asText());
    });
  }

  /** What to list with {@code POST /replicas/list}. */
  public record ReplicaQuery(List<Did> dids, String rseExpression, Instant updatedAfter, boolean allStates,
                             boolean resolveParents) {
  }

  /**
   * {@code POST /replicas/list}: one JSON object per file (datasets expanded), streamed to {@code files}.
   * Returns Rucio's clock at the answer (its {@code Date} header, else ours at the request), for a poll cursor.
   */
  public Instant listReplicas(ReplicaQuery query, Consumer<JsonNode> files) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dids", query.dids().stream().map(d -> Map.of("scope", d.scope(), "name", d.name())).toList());
    body.put("rse_expression", query.rseExpression());
    body.put("all_states", query.allStates());
    body.put("ignore_availability", true);
    body.put("resolve_archives", false);
    body.put("resolve_parents", query.resolveParents());
    if (query.updatedAfter() != null) {
      body.put("updated_after", UPDATED_AFTER.format(query.updatedAfter()));
    }
    return stream("POST /replicas/list", post("/replicas/list", body), files);
  }

  /** {@code GET /replicas/{scope}/{name}/datasets?deep=…}: the dataset's replica at each RSE. */
  public List<JsonNode> datasetReplicas(Did dataset, boolean deep) {
    String path = "/replicas/" + dataset.path() + "/datasets?deep=" + deep;
    List<JsonNode> lines = new ArrayList<>();
    stream("GET " + path, get(path), lines::add);
    return lines;
  }

  /** {@code GET /dids/{scope}/{name}/files}: the files of a dataset. */
  public void files(Did dataset, Consumer<JsonNode> files) {
    String path = "/dids/" + dataset.path() + "/files";
    stream("GET " + path, get(path), files);
  }

  /** {@code POST /dids/bulkmeta}: each DID's metadata with the given plugin (JSON holds rubin_butler/_sidecar). */
  public void bulkMetadata(List<Did> dids, String plugin, Consumer<JsonNode> metadata) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dids", dids.stream().map(d -> Map.of("scope", d.scope(), "name", d.name())).toList());
    body.put("inherit", false);
    body.put("plugin", plugin);
    stream("POST /dids/bulkmeta", post("/dids/bulkmeta", body), metadata);
  }

  // ------------------------------------------------------------------------------------------ transport

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(settings.url().toString().replaceAll("/+$", "") + path)).GET();
  }

  private HttpRequest.Builder post(String path, Object body) {
    try {
      return HttpRequest.newBuilder(URI.create(settings.url().toString().replaceAll("/+$", "") + path))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Sends a request whose answer is a JSON stream and hands each line to {@code lines} as it is read. Failures
   * before the first line are retried; a stream that breaks after lines were handed over fails, since the caller
   * has already acted on part of it.
   */
  private Instant stream(String what, HttpRequest.Builder request, Consumer<JsonNode> lines) {
    request.header("Accept", JSON_STREAM);
    int attempt = 0;
    boolean reauthenticated = false;
    while (true) {
      attempt++;
      Instant sentAt = Instant.now();
      HttpResponse<InputStream> response;
      try {
        response = http.send(authorized(request).timeout(settings.timeout()).build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpTimeoutException e) {
        backOffOrThrow(what, attempt, new RucioException(what, 0, null, "no answer within " + settings.timeout(), e));
        continue;
      } catch (IOException e) {
        backOffOrThrow(what, attempt, new RucioException(what, 0, null, String.valueOf(e.getMessage()), e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RucioException(what, 0, null, "interrupted", e);
      }
      int status = response.statusCode();
      if (status == 401 && !reauthenticated) {
        drain(response);
        LOG.infof("%s: Rucio refused the token (401); authenticating again", what);
        invalidateToken();
        reauthenticated = true;
        attempt--;
        continue;
      }
      if (status / 100 != 2) {
        RucioException error = error(what, response);
        if (error.retryable()) {
          backOffOrThrow(what, attempt, error);
          continue;
        }
        throw error;
      }
      int delivered = 0;
      try (InputStream body = response.body();
           MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(body)) {
        while (values.hasNextValue()) {
          JsonNode line = values.nextValue();
          delivered++;
          lines.accept(line);
        }
      } catch (IOException e) {
        RucioException malformed = new RucioException(what, status, null, (e instanceof JsonProcessingException
            ? "the answer is not Rucio's x-json-stream" : "the answer broke off") + " after " + delivered
            + " lines: " + firstLine(e.getMessage()), e);
        if (delivered == 0) {
          backOffOrThrow(what, attempt, malformed);
          continue;
        }
        throw malformed;
      }
      return serverTime(response).orElse(sentAt);
    }
  }

  private void backOffOrThrow(String what, int attempt, RucioException error) {
    if (attempt >= settings.attempts()) {
      throw error;
    }
    // the Python client's back-off: min(max, 0.25 * 2^n) seconds
    long millis = Math.min(8_000, 250L << Math.min(attempt - 1, 5));
    LOG.warnf("%s (attempt %d of %d, retrying in %d ms)", error.getMessage(), attempt, settings.attempts(), millis);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error;
    }
  }

  private static RucioException error(String what, HttpResponse<InputStream> response) {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    String exceptionClass = response.headers().firstValue("ExceptionClass").orElse(null);
    String message = response.headers().firstValue("ExceptionMessage").orElse(null);
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.has("ExceptionMessage")) {
        exceptionClass = json.path("ExceptionClass").asText(exceptionClass);
        message = json.path("ExceptionMessage").asText(message);
      }
    } catch (IOException e) {
      // not JSON: keep the headers, or show the start of the body
    }
    if (exceptionClass == null && message == null) {
      message = body.isBlank() ? null : firstLine(body);
    }
    return new RucioException(what, response.statusCode(), exceptionClass, message, null);
  }

  private static Optional<Instant> serverTime(HttpResponse<?> response) {
    return response.headers().firstValue("Date").flatMap(date -> {
      try {
        return Optional.of(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private static void drain(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the connection is dropped with it
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  // ------------------------------------------------------------------------------------------ authentication

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    request.setHeader("X-Rucio-Auth-Token", token());
    request.setHeader("User-Agent", "autobutler-replication-watcher");
    request.setHeader("X-Rucio-Script", "replication-watcher");
    settings.account().ifPresent(a -> request.setHeader("X-Rucio-Account", a));
    settings.vo().ifPresent(vo -> request.setHeader("X-Rucio-VO", vo));
    return request;
  }

  private synchronized void invalidateToken() {
    token = null;
    tokenExpires = Instant.MIN;
  }

  /** The current token: renewed when it is about to expire (userpass), or read again from the token file. */
  synchronized String token() {
    if (token != null && Instant.now().isBefore(tokenExpires.minus(settings.renewBefore()))) {
      return token;
    }
    if (settings.username().isEmpty()) {
      try {
        token = Files.readString(settings.tokenFile().orElseThrow()).strip();
      } catch (IOException e) {
        throw new RucioException("reading the Rucio token file " + settings.tokenFile().get(), 0, null,
            e.toString(), e);
      }
      // A token file carries no expiry: use it until Rucio refuses it, then read the file again.
      tokenExpires = Instant.MAX;
      return token;
    }
    userpass();
    return token;
  }

  private void userpass() {
    String what = "GET /auth/userpass";
    int attempt = 0;
    while (true) {
      attempt++;
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.authUrl().toString()
              .replaceAll("/+$", "") + "/auth/userpass")).GET().timeout(settings.timeout())
          .header("X-Rucio-Username", settings.username().orElseThrow())
          .header("X-Rucio-Password", settings.password().orElseThrow())
          .header("User-Agent", "autobutler-replication-watcher");
      settings.account().ifPresent(a -> request.header("X-Rucio-Account", a));
      settings.vo().ifPresent(vo -> request.header("X-Rucio-VO", vo));
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        backOffOrThrow(what, attempt, new RucioException(what, 0, null, String.valueOf(e.getMessage()), e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RucioException(what, 0, null, "interrupted", e);
      }
      if (response.statusCode() == 206) {
        drain(response);
        throw new RucioException(what, 206, null, "the identity maps to several accounts ("
            + response.headers().firstValue("X-Rucio-Auth-Accounts").orElse("?")
            + "): set autobutler.watcher.rucio.account", null);
      }
      if (response.statusCode() != 200) {
        RucioException error = error(what, response);
        if (error.retryable()) {
          backOffOrThrow(what, attempt, error);
          continue;
        }
        throw error;
      }
      drain(response);
      String newToken = response.headers().firstValue("X-Rucio-Auth-Token").orElseThrow(() ->
          new RucioException(what, 200, null, "the answer has no X-Rucio-Auth-Token header", null));
      token = newToken;
      tokenExpires = response.headers().firstValue("X-Rucio-Auth-Token-Expires").map(RucioClient::parseDate)
          .orElse(Instant.now().plus(Duration.ofHours(1)));
      LOG.debugf("Rucio token obtained, valid until %s", tokenExpires);
      return;
    }
  }

  /** Parses Rucio's {@code Wed, 05 Nov 2025 13:00:00 UTC}. */
  public static Instant parseDate(String text) {
    try {
      return LocalDateTime.parse(text, DATE).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      throw new RucioException("reading a Rucio date", 0, null, "'" + text + "' is not in Rucio's date format", e);
    }
  }
}
