package io.autobutler.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The simulator's own endpoints under {@code /simulator/} (not Rucio's): fill the catalogue (a generated campaign,
 * a directory tree, a catalogue listing), land files or whole
 * datasets, lose a file, inject faults, publish a Hermes message by hand, read the landing times. Bodies are JSON;
 * errors are {@code {"error": "..."}} with a 4xx status.
 */
final class AdminApi {

  private final RucioSimulator simulator;

  AdminApi(RucioSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(RoutingContext ctx) {
    try {
      String action = ctx.request().path().substring("/simulator/".length());
      HttpMethod method = ctx.request().method();
      if (method == HttpMethod.GET && action.equals("status")) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("rse", simulator.settings.rse());
        status.put("files", simulator.catalogue.fileCount());
        status.put("pending", simulator.catalogue.pendingCount());
        status.put("available", simulator.catalogue.available().size());
        status.put("hermes", simulator.hermes != null);
        status.put("faultsPending", simulator.faults.pending());
        RucioWire.json(ctx, status);
        return;
      }
      if (method == HttpMethod.GET && action.equals("available")) {
        RucioWire.stream(ctx, simulator.catalogue.available().iterator(), (json, v) -> {
          json.writeStartObject();
          json.writeStringField("scope", v.file().scope);
          json.writeStringField("name", v.file().name);
          json.writeStringField("dataset", v.file().dataset.did());
          json.writeNumberField("availableAt", v.availableAt());
          json.writeEndObject();
        });
        return;
      }
      if (method != HttpMethod.POST) {
        answer(ctx, 404, Map.of("error", "no admin endpoint " + method + " " + ctx.request().path()));
        return;
      }
      JsonNode body = body(ctx);
      Object result = switch (action) {
        case "campaign" -> simulator.catalogue.generate(text(body, "scope", "raw"),
            text(body, "datasetPrefix", "Dataset/LSSTComCam/raw/"), body.path("datasets").asInt(1),
            body.path("filesPerDataset").asInt(9), body.path("fileBytes").asInt(1024));
        case "directory" -> simulator.catalogue.addDirectory(Path.of(required(body, "path")));
        case "listing" -> simulator.catalogue.addListing(Path.of(required(body, "path")));
        case "land" -> simulator.land(body.path("count").asInt(1), body.path("hermes").asBoolean(false),
            body.path("availableAfterMs").asLong(0));
        case "land-dataset" -> simulator.landDataset(required(body, "scope"), required(body, "name"),
            body.path("hermes").asBoolean(false), body.path("availableAfterMs").asLong(0));
        case "lose" -> {
          simulator.catalogue.lose(required(body, "scope"), required(body, "name"));
          yield Map.of("lost", required(body, "scope") + ":" + required(body, "name"));
        }
        case "faults" -> faults(body);
        case "hermes" -> {
          simulator.publishHermes(required(body, "topic"), RucioWire.JSON.writeValueAsString(body.path("message")));
          yield Map.of("published", 1);
        }
        default -> throw new IllegalArgumentException("no admin endpoint POST /simulator/" + action);
      };
      answer(ctx, 200, result);
    } catch (Catalogue.NoSuchElementException e) {
      answer(ctx, 404, Map.of("error", e.getMessage()));
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      answer(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private Object faults(JsonNode body) {
    String kind = required(body, "kind");
    int count = body.path("count").asInt(1);
    switch (kind) {
      case "error" -> simulator.failNext(count, body.path("status").asInt(500));
      case "garbage" -> simulator.garbleNext(count);
      case "expire-tokens" -> simulator.expireTokens();
      case "clear" -> simulator.faults.clear();
      default -> throw new IllegalArgumentException("fault kind '" + kind
          + "' is not one of error, garbage, expire-tokens, clear");
    }
    return Map.of("faultsPending", simulator.faults.pending());
  }

  private static void answer(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status);
    RucioWire.json(ctx, body);
  }

  private static JsonNode body(RoutingContext ctx) throws IOException {
    if (ctx.body().buffer() == null || ctx.body().length() == 0) {
      return RucioWire.JSON.createObjectNode();
    }
    JsonNode body = RucioWire.JSON.readTree(ctx.body().buffer().getBytes());
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return body;
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  private static String required(JsonNode body, String field) {
    String value = text(body, field, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }
}
