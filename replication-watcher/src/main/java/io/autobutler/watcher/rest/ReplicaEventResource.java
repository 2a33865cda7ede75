package io.autobutler.watcher.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.watcher.service.ReplicaPublisher;
import io.smallrye.mutiny.Uni;

/**
 * Announces replicas by hand: for a replica Rucio knows nothing of yet, or to replay one. Answers once the broker
 * has acknowledged every event.
 */
@Path("/api/replica-events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReplicaEventResource {

  private final ReplicaPublisher publisher;

  public ReplicaEventResource(ReplicaPublisher publisher) {
    this.publisher = publisher;
  }

  @POST
  @Operation(summary = "Publish replica events on rucio.replicas")
  public Uni<Response> publish(List<ReplicaEvent> events) {
    if (events == null || events.isEmpty()) {
      throw new IllegalArgumentException("the body must be a non-empty JSON list of replica events");
    }
    return publisher.publish(events)
        .map(ignored -> Response.accepted(Map.of("published", events.size())).build());
  }

  @ServerExceptionMapper
  public Response badRequest(IllegalArgumentException e) {
    return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", e.getMessage())).build();
  }
}
