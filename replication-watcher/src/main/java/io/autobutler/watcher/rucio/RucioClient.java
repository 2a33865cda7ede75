package io.autobutler.watcher.rucio;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * The watcher's Rucio client, speaking Rucio's REST API as the Python client does (rucio/rucio
 * lib/rucio/client/baseclient.py): userpass or token-file authentication, the token renewed before it expires and
 * on 401, DID names with encoded slashes, {@code application/x-json-stream} read line by line from the connection
 * (never a whole body in memory), Rucio's {@code ExceptionClass} / {@code ExceptionMessage} turned into
 * {@link RucioException}s, and retries with exponential back-off on 5xx answers, timeouts and lost connections.
 *
 * <p>The endpoints are the Quarkus REST client interfaces {@link RucioApi} and {@link RucioAuthApi}, built here at
 * run time for the configured URLs; {@link RucioAuthentication} is their request filter and {@link RucioErrors}
 * their exception mapper. This class adds what an interface cannot say: the retries, the one new try after a 401,
 * and the reading of each answer as a stream of JSON lines.
 */
public final class RucioClient {

  private static final Logger LOG = Logger.getLogger(RucioClient.class);
  /**
   * Field names are not canonicalized: Rucio keys a replica's {@code pfns} by the PFN itself, a new name on every
   * line, which would only fill (and keep rehashing) Jackson's symbol table.
   */
  static final ObjectMapper JSON = new ObjectMapper(
      JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
  /** Rucio's date format (common/utils.py DATE_FORMAT), with the literal suffix UTC. */
  public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'",
      Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter UPDATED_AFTER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final ObjectReader LINES = JSON.readerFor(JsonNode.class);

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
  private final RucioApi api;
  private final RucioAuthentication authentication;

  public RucioClient(Settings settings) {
    this.settings = settings;
    RucioAuthApi auth = builder(settings, settings.authUrl()).build(RucioAuthApi.class);
    this.authentication = new RucioAuthentication(settings, auth);
    this.api = builder(settings, settings.url()).register(authentication).build(RucioApi.class);
  }

  private static QuarkusRestClientBuilder builder(Settings settings, URI baseUri) {
    return QuarkusRestClientBuilder.newBuilder()
        .baseUri(baseUri)
        .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .register(new RucioErrors())
        .followRedirects(true);
  }

  // ------------------------------------------------------------------------------------------ API

  /** {@code GET /dids/{scope}/dids/search?type=dataset&name=pattern}: the names of matching datasets. */
  public void searchDatasets(String scope, String namePattern, Consumer<String> names) {
    String what = "GET /dids/" + Did.encode(scope) + "/dids/search?type=dataset&name=" + Did.encode(namePattern);
    stream(what, () -> api.searchDids(Did.encode(scope), "dataset", namePattern), line -> {
      if (!line.isTextual()) {
        throw new RucioException(what, 200, null, "expected a DID name per line, got " + line, null);
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
    return stream("POST /replicas/list", () -> api.listReplicas(body), files);
  }

  /** {@code GET /replicas/{scope}/{name}/datasets?deep=…}: the dataset's replica at each RSE. */
  public List<JsonNode> datasetReplicas(Did dataset, boolean deep) {
    String what = "GET /replicas/" + dataset.path() + "/datasets?deep=" + deep;
    List<JsonNode> lines = new ArrayList<>();
    stream(what, () -> api.datasetReplicas(Did.encode(dataset.scope()), Did.encode(dataset.name()), deep),
        lines::add);
    return lines;
  }

  /** {@code GET /dids/{scope}/{name}/files}: the files of a dataset. */
  public void files(Did dataset, Consumer<JsonNode> files) {
    stream("GET /dids/" + dataset.path() + "/files",
        () -> api.files(Did.encode(dataset.scope()), Did.encode(dataset.name())), files);
  }

  /** {@code POST /dids/bulkmeta}: each DID's metadata with the given plugin (JSON holds rubin_butler/_sidecar). */
  public void bulkMetadata(List<Did> dids, String plugin, Consumer<JsonNode> metadata) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dids", dids.stream().map(d -> Map.of("scope", d.scope(), "name", d.name())).toList());
    body.put("inherit", false);
    body.put("plugin", plugin);
    stream("POST /dids/bulkmeta", () -> api.bulkMetadata(body), metadata);
  }

  // ------------------------------------------------------------------------------------------ transport

  /**
   * Sends a request whose answer is a JSON stream and hands each line to {@code lines} as it is read. Failures
   * before the first line are retried; a stream that breaks after lines were handed over fails, since the caller
   * has already acted on part of it. A 401 gets a new token and one more try.
   */
  private Instant stream(String what, Supplier<Response> request, Consumer<JsonNode> lines) {
    boolean[] reauthenticated = {false};
    return withRetries(what, settings.attempts(), () -> {
      Instant sentAt = Instant.now();
      Response response;
      try {
        response = request.get();
      } catch (RucioException e) {
        if (e.status() == 401 && !reauthenticated[0]) {
          LOG.infof("%s: Rucio refused the token (401); authenticating again", what);
          authentication.invalidate();
          reauthenticated[0] = true;
          throw new RetryNow();
        }
        throw e;
      } catch (ProcessingException e) {
        if (e.getCause() instanceof RucioException authentication) {
          throw new Fatal(authentication); // already retried where it happened
        }
        throw noAnswer(what, e);
      }
      try (response) {
        int delivered = 0;
        try (InputStream body = response.readEntity(InputStream.class);
             MappingIterator<JsonNode> values = LINES.readValues(body)) {
          while (values.hasNextValue()) {
            JsonNode line = values.nextValue();
            delivered++;
            lines.accept(line);
          }
        } catch (IOException | ProcessingException e) {
          RucioException malformed = new MalformedAnswer(what, response.getStatus(),
              (e instanceof JsonProcessingException ? "the answer is not Rucio's x-json-stream"
                  : "the answer broke off") + " after " + delivered + " lines: " + firstLine(e.getMessage()), e);
          throw delivered == 0 ? malformed : new Fatal(malformed);
        }
        return serverTime(response).orElse(sentAt);
      }
    });
  }

  /** An answer that is not a JSON stream (a proxy's error page, a cut connection): worth another try. */
  private static final class MalformedAnswer extends RucioException {
    MalformedAnswer(String request, int status, String message, Throwable cause) {
      super(request, status, null, message, cause);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /** Thrown inside a try to try again at once (a new token), not counted as a failed attempt. */
  private static final class RetryNow extends RuntimeException {
    RetryNow() {
      super(null, null, false, false);
    }
  }

  /** Thrown inside a try for an error not to retry, whatever its status. */
  private static final class Fatal extends RuntimeException {
    Fatal(RucioException error) {
      super(error);
    }
  }

  /**
   * Runs {@code attempt} until it succeeds: retryable {@link RucioException}s (no answer, timeouts, 5xx, 429,
   * garbage) are retried with the Python client's back-off, min(8, 0.25 * 2^n) seconds, up to {@code attempts}.
   */
  static <T> T withRetries(String what, int attempts, Supplier<T> attempt) {
    int tried = 0;
    while (true) {
      tried++;
      try {
        return attempt.get();
      } catch (RetryNow again) {
        tried--;
      } catch (Fatal fatal) {
        throw (RucioException) fatal.getCause();
      } catch (RucioException error) {
        RucioException named = error.naming(what);
        if (!named.retryable() || tried >= attempts) {
          throw named;
        }
        long millis = Math.min(8_000, 250L << Math.min(tried - 1, 5));
        LOG.warnf("%s (attempt %d of %d, retrying in %d ms)", named.getMessage(), tried, attempts, millis);
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw named;
        }
      }
    }
  }

  /** A request that got no answer: a timeout, a refused or lost connection. */
  static RucioException noAnswer(String what, ProcessingException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    String reason = cause instanceof java.util.concurrent.TimeoutException
        || String.valueOf(cause.getClass().getSimpleName()).contains("Timeout")
        ? "no answer within the timeout" : String.valueOf(cause.getMessage());
    return new RucioException(what, 0, null, reason, e);
  }

  private static Optional<Instant> serverTime(Response response) {
    String date = response.getHeaderString("Date");
    if (date == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** The current token (for tests). */
  String token() {
    return authentication.token();
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
