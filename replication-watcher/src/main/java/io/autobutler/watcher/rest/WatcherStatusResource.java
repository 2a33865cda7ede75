package io.autobutler.watcher.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.watcher.runtime.WatcherRuntime;

/** What the watcher has done since it started. */
@Path("/api/watcher")
@Produces(MediaType.APPLICATION_JSON)
public class WatcherStatusResource {

  private final WatcherRuntime runtime;

  public WatcherStatusResource(WatcherRuntime runtime) {
    this.runtime = runtime;
  }

  @GET
  @Operation(summary = "Whether the watcher runs, how many replicas and datasets it announced, its last poll")
  public Map<String, Object> status() {
    return runtime.status();
  }
}
