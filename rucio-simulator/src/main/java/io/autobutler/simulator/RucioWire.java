package io.autobutler.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Rucio's wire conventions (rucio/rucio lib/rucio/web/rest/flaskapi/v1/common.py and common/utils.py): the date
 * format, the error headers and body, newline-delimited JSON streams, and scope/name paths with encoded slashes.
 */
final class RucioWire {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_STREAM = "application/x-json-stream";
  /** common/utils.py DATE_FORMAT: '%a, %d %b %Y %H:%M:%S UTC'. */
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'",
      Locale.ENGLISH).withZone(ZoneOffset.UTC);
  /** Python's str(datetime) of a naive UTC time, as Hermes writes created_at. */
  static final DateTimeFormatter PYTHON_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
      .withZone(ZoneOffset.UTC);
  private static final int CHUNK = 64 * 1024;

  private RucioWire() {
  }

  static String date(long epochMillis) {
    return DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** {@code updated_after} of POST /replicas/list: '%Y-%m-%dT%H:%M:%S' (naive UTC) or epoch seconds. */
  static long parseUpdatedAfter(Object value) {
    if (value instanceof Number n) {
      return (long) (n.doubleValue() * 1000);
    }
    try {
      return LocalDateTime.parse(value.toString(), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"))
          .toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (RuntimeException e) {
      throw new WireException(400, "ValueError", "time data '" + value + "' does not match format '%Y-%m-%dT%H:%M:%S'");
    }
  }

  /** An error as Rucio's generate_http_error_flask writes it. */
  static void error(RoutingContext ctx, int status, String exceptionClass, String message) {
    String headerMessage = message.length() > 125 ? message.substring(0, 125) : message;
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("ExceptionClass", exceptionClass, "ExceptionMessage", message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.response().setStatusCode(status)
        .putHeader("ExceptionClass", exceptionClass)
        .putHeader("ExceptionMessage", headerMessage.replaceAll("[\\r\\n]", " "))
        .putHeader("Content-Type", "application/octet-stream")
        .end(body);
  }

  static void json(RoutingContext ctx, Object value) {
    try {
      ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(value)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one JSON value per line; the caller's writer emits the fields of one item. */
  interface LineWriter<T> {
    void write(JsonGenerator json, T item) throws IOException;
  }

  /**
   * Streams items as application/x-json-stream in chunks, pausing while the connection's write queue is full, so
   * that a long listing never sits whole in memory on either side.
   */
  static <T> void stream(RoutingContext ctx, Iterator<T> items, LineWriter<T> writer) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Content-Type", JSON_STREAM).setChunked(true);
    pump(response, items, writer);
  }

  private static <T> void pump(HttpServerResponse response, Iterator<T> items, LineWriter<T> writer) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 4096);
    try {
      while (items.hasNext()) {
        try (JsonGenerator json = JSON.getFactory().createGenerator(chunk)) {
          writer.write(json, items.next());
        }
        chunk.write('\n');
        if (chunk.size() >= CHUNK) {
          response.write(Buffer.buffer(chunk.toByteArray()));
          chunk.reset();
          if (response.writeQueueFull()) {
            response.drainHandler(v -> pump(response, items, writer));
            return;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    response.end(Buffer.buffer(chunk.toByteArray()));
  }

  /**
   * Splits {@code <scope>/<name>[/<suffix>]} as Rucio does with encoded slashes: the scope ends at the first
   * unencoded slash, the name is percent-encoded (quote_plus) and holds no unencoded slash.
   */
  static String[] scopeAndName(String rawPath) {
    int slash = rawPath.indexOf('/');
    if (slash <= 0 || slash == rawPath.length() - 1 || rawPath.indexOf('/', slash + 1) >= 0) {
      throw new WireException(400, "ValueError", "Could not parse '" + rawPath + "' with encoded '/' into scope and"
          + " name.");
    }
    return new String[] {decode(rawPath.substring(0, slash)), decode(rawPath.substring(slash + 1))};
  }

  static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  /** A Rucio error to answer with. */
  static final class WireException extends RuntimeException {
    final int status;
    final String exceptionClass;

    WireException(int status, String exceptionClass, String message) {
      super(message);
      this.status = status;
      this.exceptionClass = exceptionClass;
    }
  }
}
