package io.autobutler.catalog.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.autobutler.catalog.service.RepositoryService;
import io.autobutler.core.repository.Repository;

@Path("/api/repositories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryResource {

  private final RepositoryService repositories;

  public RepositoryResource(RepositoryService repositories) {
    this.repositories = repositories;
  }

  /**
   * A {@code create} request.
   *
   * @param name       the repository's name
   * @param seedConfig the seed config file's text (YAML)
   * @param override   keep the seed's datastore root, as {@code butler create --override}
   * @param root       the repository's root URI when the operator gave one (e.g. RTN-103's davs:// $REPO)
   */
  public record CreateRequest(String name, String seedConfig, boolean override, String root) {
  }

  @POST
  @Operation(summary = "Create a repository from a butler seed config (butler create --seed-config)")
  @APIResponse(responseCode = "201", description = "Created")
  @APIResponse(responseCode = "400", description = "Bad seed config or unreachable registry database")
  @APIResponse(responseCode = "409", description = "The name or the namespace is taken")
  public Response create(CreateRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("the request body must be JSON with 'name' and 'seedConfig'");
    }
    Repository created = repositories.create(request.name(), request.seedConfig(), request.override(), request.root());
    return Response.status(Response.Status.CREATED).entity(created).build();
  }

  @GET
  @Operation(summary = "List the repositories")
  public List<Repository> list() {
    return repositories.list();
  }

  @GET
  @Path("{name}")
  @Operation(summary = "Describe one repository")
  public Repository describe(@PathParam("name") String name) {
    return repositories.find(name).orElseThrow(() -> new NotFoundException("no repository named '" + name + "'"));
  }
}
