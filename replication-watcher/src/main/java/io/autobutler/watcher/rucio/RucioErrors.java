package io.autobutler.watcher.rucio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a Rucio error answer into a {@link RucioException} carrying Rucio's {@code ExceptionClass} and
 * {@code ExceptionMessage} (headers, or the JSON body Rucio's flask API writes), else the start of the body.
 * {@link RucioClient} names the request in it.
 */
public final class RucioErrors implements ResponseExceptionMapper<RucioException> {

  @Override
  public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
    return status >= 400;
  }

  @Override
  public RucioException toThrowable(Response response) {
    return from(response);
  }

  static RucioException from(Response response) {
    String body = "";
    if (response.hasEntity()) {
      try (InputStream in = response.readEntity(InputStream.class)) {
        body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        // no body to show: the headers are what Rucio says
      }
    }
    String exceptionClass = response.getHeaderString("ExceptionClass");
    String message = response.getHeaderString("ExceptionMessage");
    try {
      JsonNode json = RucioClient.JSON.readTree(body);
      if (json != null && json.has("ExceptionMessage")) {
        exceptionClass = json.path("ExceptionClass").asText(exceptionClass);
        message = json.path("ExceptionMessage").asText(message);
      }
    } catch (IOException e) {
      // not JSON: keep the headers, or show the start of the body
    }
    if (exceptionClass == null && message == null) {
      message = body.isBlank() ? null : RucioClient.firstLine(body);
    }
    return new RucioException(null, response.getStatus(), exceptionClass, message, null);
  }
}
