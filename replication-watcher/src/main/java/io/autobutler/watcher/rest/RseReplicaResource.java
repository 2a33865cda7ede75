package io.autobutler.watcher.rest;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.watcher.inventory.RseInventory;
import io.smallrye.common.annotation.Blocking;

/**
 * The RSE's current replicas of the watched datasets, listed from Rucio on each request, one JSON line per Rucio
 * dataset ({@code application/x-json-stream}, as Rucio streams its lists): {@code {rse, dataset, exists, files:
 * [{scope, name, pfn, bytes, adler32}]}}, then {@code {complete: true, datasets: N}} once the listing is whole (a
 * stream that Rucio's failure cut short lacks it). Read-only: nothing is announced. POST adds datasets to list besides the
 * watched ones (a body {@code {"datasets": ["scope:name", …]}}), so that a caller learns that one is gone from Rucio.
 */
@Path("/api/rse-replicas")
public class RseReplicaResource {

  public static final String JSON_STREAM = "application/x-json-stream";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RseInventory inventory;

  public RseReplicaResource(RseInventory inventory) {
    this.inventory = inventory;
  }

  /** Datasets to list besides the watched ones. */
  public record Request(List<String> datasets) {
  }

  @GET
  @Blocking
  @Produces({JSON_STREAM, MediaType.APPLICATION_JSON})
  @Operation(summary = "The watched datasets' files AVAILABLE at the RSE, listed from Rucio now: one JSON line per"
      + " dataset")
  public Response list() {
    return stream(List.of());
  }

  @POST
  @Blocking
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({JSON_STREAM, MediaType.APPLICATION_JSON})
  @Operation(summary = "The same, with more datasets listed (exists: false for one Rucio does not know)")
  public Response list(Request request) {
    List<String> extra = request == null || request.datasets() == null ? List.of() : request.datasets();
    for (String did : extra) {
      if (did == null || did.indexOf(':') <= 0 || did.endsWith(":")) {
        return error(Response.Status.BAD_REQUEST, "'" + did + "' is not a dataset DID scope:name");
      }
    }
    return stream(extra);
  }

  private Response stream(List<String> extra) {
    if (!inventory.configured()) {
      return error(Response.Status.SERVICE_UNAVAILABLE,
          "no Rucio is configured (autobutler.watcher.rucio.url): nothing to list");
    }
    StreamingOutput body = output -> {
      BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
      int[] datasets = {0};
      inventory.list(extra, dataset -> {
        datasets[0]++;
        try {
          writer.write(JSON.writeValueAsString(dataset));
          writer.write('\n');
          writer.flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // The last line says the listing is whole: a stream cut by a failure mid-way lacks it.
      writer.write(JSON.writeValueAsString(Map.of("complete", true, "datasets", datasets[0])));
      writer.write('\n');
      writer.flush();
    };
    return Response.ok(body, JSON_STREAM).build();
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
  }
}
