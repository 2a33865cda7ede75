package io.autobutler.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.simulator.Catalogue.ReplicaState;
import io.autobutler.simulator.Catalogue.ReplicaView;
import io.autobutler.simulator.Catalogue.SimDataset;
import io.autobutler.simulator.Catalogue.SimFile;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The Rucio REST endpoints the watcher uses, with Rucio's paths, headers, media types, JSON field names, date
 * format and errors (rucio/rucio lib/rucio/web/rest/flaskapi/v1: auth.py, replicas.py, dids.py, common.py).
 * Scope and name are read from the raw request path, as a Rucio server with encoded slashes does.
 */
final class RucioApi {

  private static final Pattern SEARCH = Pattern.compile("([^/]+)/dids/search");
  private final RucioSimulator simulator;

  RucioApi(RucioSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(RoutingContext ctx) {
    // Rucio runs behind Apache httpd, which dates every answer
    ctx.response().putHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
    try {
      Faults.Fault fault = simulator.faults.next();
      if (fault != null) {
        if (fault.kind() == Faults.Kind.ERROR) {
          RucioWire.error(ctx, fault.status(), fault.status() >= 500 ? "RucioException" : "CannotAuthenticate",
              "An unknown exception occurred.");
        } else {
          ctx.response().putHeader("Content-Type", RucioWire.JSON_STREAM).end("<html><body>Bad Gateway</body>\n"
              + "{\"scope\": \"raw\", \"name\"\n");
        }
        return;
      }
      route(ctx);
    } catch (RucioWire.WireException e) {
      RucioWire.error(ctx, e.status, e.exceptionClass, e.getMessage());
    } catch (Catalogue.NoSuchElementException e) {
      RucioWire.error(ctx, 404, "DataIdentifierNotFound", e.getMessage());
    } catch (RuntimeException e) {
      RucioWire.error(ctx, 500, "RucioException", String.valueOf(e.getMessage()));
    }
  }

  private void route(RoutingContext ctx) throws RucioWire.WireException {
    String path = ctx.request().path();
    HttpMethod method = ctx.request().method();
    if (path.equals("/ping") && method == HttpMethod.GET) {
      RucioWire.json(ctx, Map.of("version", RucioSimulator.VERSION));
      return;
    }
    if (path.equals("/auth/userpass") && method == HttpMethod.GET) {
      userpass(ctx);
      return;
    }
    simulator.tokens.check(ctx.request().getHeader("X-Rucio-Auth-Token"));
    if (path.equals("/replicas/list") && method == HttpMethod.POST) {
      acceptStream(ctx);
      listReplicas(ctx, body(ctx));
    } else if (path.startsWith("/replicas/") && path.endsWith("/datasets") && method == HttpMethod.GET) {
      acceptStream(ctx);
      String[] did = RucioWire.scopeAndName(between(path, "/replicas/", "/datasets"));
      datasetReplicas(ctx, did[0], did[1]);
    } else if (path.equals("/dids/bulkmeta") && method == HttpMethod.POST) {
      acceptStream(ctx);
      bulkMeta(ctx, body(ctx));
    } else if (path.startsWith("/dids/") && method == HttpMethod.GET) {
      String rest = path.substring("/dids/".length());
      var search = SEARCH.matcher(rest);
      if (search.matches()) {
        acceptStream(ctx);
        search(ctx, RucioWire.decode(search.group(1)));
      } else if (rest.endsWith("/files")) {
        acceptStream(ctx);
        String[] did = RucioWire.scopeAndName(rest.substring(0, rest.length() - "/files".length()));
        files(ctx, did[0], did[1]);
      } else if (rest.endsWith("/meta")) {
        String[] did = RucioWire.scopeAndName(rest.substring(0, rest.length() - "/meta".length()));
        meta(ctx, did[0], did[1]);
      } else {
        String[] did = RucioWire.scopeAndName(rest);
        did(ctx, did[0], did[1]);
      }
    } else {
      throw new RucioWire.WireException(404, "MethodNotFound", "The requested URL " + path + " was not found on"
          + " the server.");
    }
  }

  // ------------------------------------------------------------------------------------------ auth

  private void userpass(RoutingContext ctx) {
    String account = ctx.request().getHeader("X-Rucio-Account");
    String username = ctx.request().getHeader("X-Rucio-Username");
    String password = ctx.request().getHeader("X-Rucio-Password");
    if (username == null || password == null) {
      throw new RucioWire.WireException(401, "CannotAuthenticate",
          "Cannot authenticate without passing all required arguments");
    }
    RucioSimulator.Settings s = simulator.settings;
    if (!s.username().equals(username) || !s.password().equals(password)) {
      throw new RucioWire.WireException(401, "IdentityNotFound",
          "Cannot authenticate. Username/Password pair does not exist.");
    }
    if (account != null && !account.equals(s.account())) {
      throw new RucioWire.WireException(401, "CannotAuthenticate", "Cannot authenticate to account " + account
          + " with given credentials");
    }
    Tokens.Issued issued = simulator.tokens.issue(s.account(), username);
    ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
        .putHeader("X-Rucio-Auth-Account", s.account())
        .putHeader("X-Rucio-Auth-Token", issued.token())
        .putHeader("X-Rucio-Auth-Token-Expires", RucioWire.date(issued.expiresAt()))
        .end();
  }

  // ------------------------------------------------------------------------------------------ replicas

  private void listReplicas(RoutingContext ctx, JsonNode body) {
    String rse = simulator.settings.rse();
    JsonNode rseExpression = body.get("rse_expression");
    boolean atOurRse = rseExpression == null || rseExpression.isNull() || rseExpression.asText().equals(rse);
    boolean allStates = body.path("all_states").asBoolean(false);
    boolean resolveParents = body.path("resolve_parents").asBoolean(false);
    JsonNode updatedAfterNode = body.get("updated_after");
    long updatedAfter = updatedAfterNode == null || updatedAfterNode.isNull() ? -1
        : RucioWire.parseUpdatedAfter(updatedAfterNode.isNumber() ? updatedAfterNode.numberValue()
            : updatedAfterNode.asText());
    List<SimFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode did : body.path("dids")) {
      String scope = did.path("scope").asText();
      String name = did.path("name").asText();
      var dataset = simulator.catalogue.dataset(scope + ":" + name);
      if (dataset.isPresent()) {
        for (SimFile f : simulator.catalogue.filesOf(dataset.get())) {
          if (seen.add(f.did())) {
            files.add(f);
          }
        }
      } else {
        SimFile f = simulator.catalogue.file(scope, name).orElseThrow(() -> new RucioWire.WireException(400,
            "DataIdentifierNotFound", "Data identifier '" + scope + ":" + name + "' not found"));
        if (seen.add(f.did())) {
          files.add(f);
        }
      }
    }
    List<ReplicaView> views = simulator.catalogue.replicas(files);
    Iterator<ReplicaView> selected = views.stream().filter(v -> {
      boolean matches = atOurRse && v.state() != null && (allStates || v.state() == ReplicaState.AVAILABLE);
      if (updatedAfter >= 0) {
        return matches && v.updatedAt() >= updatedAfter;
      }
      return true;
    }).iterator();
    RucioWire.stream(ctx, selected, (json, v) -> {
      boolean shown = atOurRse && v.state() != null && (allStates || v.state() == ReplicaState.AVAILABLE);
      SimFile f = v.file();
      String pfn = simulator.pfn(f);
      json.writeStartObject();
      json.writeStringField("scope", f.scope);
      json.writeStringField("name", f.name);
      json.writeNumberField("bytes", f.bytes);
      json.writeStringField("md5", f.md5);
      json.writeStringField("adler32", f.adler32);
      json.writeObjectFieldStart("pfns");
      if (shown) {
        json.writeObjectFieldStart(pfn);
        json.writeStringField("rse_id", simulator.rseId());
        json.writeStringField("rse", rse);
        json.writeStringField("type", "DISK");
        json.writeBooleanField("volatile", false);
        json.writeStringField("domain", "wan");
        json.writeNumberField("priority", 1);
        json.writeBooleanField("client_extract", false);
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeObjectFieldStart("rses");
      if (shown) {
        json.writeArrayFieldStart(rse);
        json.writeString(pfn);
        json.writeEndArray();
      }
      json.writeEndObject();
      json.writeObjectFieldStart("states");
      if (shown) {
        json.writeStringField(rse, v.state().name());
      }
      json.writeEndObject();
      if (resolveParents) {
        json.writeArrayFieldStart("parents");
        json.writeString(f.dataset.did());
        json.writeEndArray();
      }
      json.writeEndObject();
    });
  }

  private void datasetReplicas(RoutingContext ctx, String scope, String name) {
    SimDataset dataset = simulator.catalogue.dataset(scope + ":" + name).orElseThrow(() ->
        new Catalogue.NoSuchElementException("Data identifier '" + scope + ":" + name + "' not found"));
    List<ReplicaView> views = simulator.catalogue.replicas(simulator.catalogue.filesOf(dataset));
    long bytes = 0;
    long availableBytes = 0;
    int available = 0;
    int present = 0;
    long created = Long.MAX_VALUE;
    long updated = 0;
    for (ReplicaView v : views) {
      bytes += v.file().bytes;
      if (v.state() != null) {
        present++;
        created = Math.min(created, v.createdAt());
        updated = Math.max(updated, v.updatedAt());
      }
      if (v.state() == ReplicaState.AVAILABLE) {
        available++;
        availableBytes += v.file().bytes;
      }
    }
    List<Map<String, Object>> lines = new ArrayList<>();
    if (present > 0) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("scope", scope);
      line.put("name", name);
      line.put("rse", simulator.settings.rse());
      line.put("rse_id", simulator.rseId());
      line.put("bytes", bytes);
      line.put("length", views.size());
      line.put("available_bytes", availableBytes);
      line.put("available_length", available);
      line.put("state", available == views.size() ? "AVAILABLE" : "UNAVAILABLE");
      line.put("created_at", RucioWire.date(created));
      line.put("updated_at", RucioWire.date(updated));
      line.put("accessed_at", null);
      lines.add(line);
    }
    RucioWire.stream(ctx, lines.iterator(), (json, line) -> RucioWire.JSON.writeValue(json, line));
  }

  // ------------------------------------------------------------------------------------------ dids

  private void search(RoutingContext ctx, String scope) {
    String type = ctx.request().getParam("type", "collection").toLowerCase();
    boolean longForm = Boolean.parseBoolean(ctx.request().getParam("long", "false"))
        || "1".equals(ctx.request().getParam("long"));
    String namePattern = ctx.request().getParam("name", "*");
    if (simulator.catalogue.datasets(d -> d.scope.equals(scope)).isEmpty() && !simulator.knownScope(scope)) {
      throw new RucioWire.WireException(404, "ScopeNotFound", "Scope '" + scope + "' does not exist.");
    }
    Pattern names = glob(namePattern);
    List<SimDataset> matching = switch (type) {
      case "dataset", "collection", "all" -> simulator.catalogue.datasets(d -> d.scope.equals(scope)
          && names.matcher(d.name).matches());
      case "file", "container" -> List.of();
      default -> throw new RucioWire.WireException(409, "UnsupportedOperation", "Valid did_types are 'all',"
          + " 'collection', 'container', 'dataset', 'file'");
    };
    RucioWire.stream(ctx, matching.iterator(), (json, d) -> {
      if (!longForm) {
        json.writeString(d.name);
        return;
      }
      json.writeStartObject();
      json.writeStringField("scope", d.scope);
      json.writeStringField("name", d.name);
      json.writeStringField("did_type", "DATASET");
      json.writeNumberField("bytes", simulator.catalogue.filesOf(d).stream().mapToLong(f -> f.bytes).sum());
      json.writeNumberField("length", simulator.catalogue.filesOf(d).size());
      json.writeEndObject();
    });
  }

  private void did(RoutingContext ctx, String scope, String name) {
    var dataset = simulator.catalogue.dataset(scope + ":" + name);
    Map<String, Object> did = new LinkedHashMap<>();
    did.put("scope", scope);
    did.put("name", name);
    if (dataset.isPresent()) {
      List<SimFile> files = simulator.catalogue.filesOf(dataset.get());
      did.put("type", "DATASET");
      did.put("account", simulator.settings.account());
      did.put("open", dataset.get().open);
      did.put("monotonic", false);
      did.put("expired_at", null);
      did.put("length", files.size());
      did.put("bytes", files.stream().mapToLong(f -> f.bytes).sum());
    } else {
      SimFile f = requireFile(scope, name);
      did.put("type", "FILE");
      did.put("account", simulator.settings.account());
      did.put("bytes", f.bytes);
      did.put("length", 1);
      did.put("md5", f.md5);
      did.put("adler32", f.adler32);
    }
    RucioWire.json(ctx, did);
  }

  private void files(RoutingContext ctx, String scope, String name) {
    List<SimFile> files = simulator.catalogue.dataset(scope + ":" + name).map(simulator.catalogue::filesOf)
        .orElseGet(() -> List.of(requireFile(scope, name)));
    RucioWire.stream(ctx, files.iterator(), (json, f) -> {
      json.writeStartObject();
      json.writeStringField("scope", f.scope);
      json.writeStringField("name", f.name);
      json.writeNumberField("bytes", f.bytes);
      json.writeStringField("adler32", f.adler32);
      json.writeNullField("guid");
      json.writeNullField("events");
      json.writeEndObject();
    });
  }

  private void meta(RoutingContext ctx, String scope, String name) {
    String plugin = ctx.request().getParam("plugin", "DID_COLUMN");
    RucioWire.json(ctx, metadata(scope, name, plugin));
  }

  private void bulkMeta(RoutingContext ctx, JsonNode body) {
    String plugin = body.path("plugin").asText("DID_COLUMN");
    List<Map<String, Object>> lines = new ArrayList<>();
    for (JsonNode did : body.path("dids")) {
      String scope = did.path("scope").asText();
      String name = did.path("name").asText();
      if (simulator.catalogue.file(scope, name).isPresent()
          || simulator.catalogue.dataset(scope + ":" + name).isPresent()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scope", scope);
        line.put("name", name);
        metadata(scope, name, plugin).forEach(line::putIfAbsent);
        lines.add(line);
      }
    }
    RucioWire.stream(ctx, lines.iterator(), (json, line) -> RucioWire.JSON.writeValue(json, line));
  }

  /** DID_COLUMN: the DID table's columns; JSON: the free keys (rubin_butler, rubin_sidecar); ALL: both. */
  private Map<String, Object> metadata(String scope, String name, String plugin) {
    var dataset = simulator.catalogue.dataset(scope + ":" + name);
    SimFile file = dataset.isPresent() ? null : requireFile(scope, name);
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("scope", scope);
    columns.put("name", name);
    columns.put("account", simulator.settings.account());
    columns.put("did_type", file == null ? "DATASET" : "FILE");
    columns.put("is_open", file == null && dataset.get().open);
    columns.put("availability", "AVAILABLE");
    columns.put("bytes", file == null ? null : file.bytes);
    columns.put("length", file == null ? simulator.catalogue.filesOf(dataset.get()).size() : 1);
    columns.put("md5", file == null ? null : file.md5);
    columns.put("adler32", file == null ? null : file.adler32);
    columns.put("created_at", RucioWire.date(file == null ? dataset.get().createdAt : file.createdAt));
    Map<String, Object> json = new LinkedHashMap<>(file == null ? Map.of() : file.meta);
    return switch (plugin.toUpperCase()) {
      case "DID_COLUMN" -> columns;
      case "JSON" -> json;
      case "ALL" -> {
        Map<String, Object> all = new LinkedHashMap<>(columns);
        all.putAll(json);
        yield all;
      }
      default -> throw new RucioWire.WireException(400, "UnsupportedOperation", "Metadata plugin " + plugin
          + " does not exist");
    };
  }

  // ------------------------------------------------------------------------------------------ helpers

  private SimFile requireFile(String scope, String name) {
    return simulator.catalogue.file(scope, name).orElseThrow(() ->
        new Catalogue.NoSuchElementException("Data identifier '" + scope + ":" + name + "' not found"));
  }

  private static void acceptStream(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept == null || accept.isBlank()) {
      return;
    }
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].trim();
      if (type.equals("*/*") || type.equals("application/*") || type.equals(RucioWire.JSON_STREAM)) {
        return;
      }
    }
    throw new RucioWire.WireException(406, "UnsupportedRequestedContentType", "The requested content type "
        + accept + " is not supported. Use application/x-json-stream.");
  }

  private static JsonNode body(RoutingContext ctx) {
    try {
      JsonNode body = RucioWire.JSON.readTree(ctx.body().buffer() == null ? new byte[0]
          : ctx.body().buffer().getBytes());
      if (body == null || !body.isObject()) {
        throw new RucioWire.WireException(400, "ValueError", "cannot decode json parameter dictionary");
      }
      return body;
    } catch (IOException e) {
      throw new RucioWire.WireException(400, "ValueError", "cannot decode json parameter dictionary");
    }
  }

  private static String between(String path, String prefix, String suffix) {
    return path.substring(prefix.length(), path.length() - suffix.length());
  }

  /** Rucio's name patterns: '*' matches anything, everything else is literal. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(".*");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
