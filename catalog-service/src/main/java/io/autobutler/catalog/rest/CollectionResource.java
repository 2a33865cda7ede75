package io.autobutler.catalog.rest;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.ChainMode;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.table.TextTable;

/** Collections and chains of one repository: {@code register-collection}, {@code collection-chain}, queries. */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CollectionResource {

  private final RegistryLookup registries;

  public CollectionResource(RegistryLookup registries) {
    this.registries = registries;
  }

  public record RegisterCollection(String name, String type, String doc) {
  }

  public record ChainEdit(String parent, List<String> children, String mode, boolean flatten, String doc) {
  }

  public record ChainResult(String parent, List<String> children) {
  }

  public record RemoveCollections(List<String> names) {
  }

  @POST
  @Path("collections")
  @Operation(summary = "Register a RUN, TAGGED, CALIBRATION or CHAINED collection (idempotent for the same type)")
  public Response register(@PathParam("repo") String repo, RegisterCollection request) {
    require(request != null && request.name() != null && request.type() != null, "'name' and 'type' are required");
    CollectionType type = CollectionType.parse(request.type());
    Registry registry = registries.registry(repo);
    boolean created = registry.transaction(c -> registry.collections().register(c, request.name(), type, request.doc()));
    return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
        .entity(Map.of("name", request.name(), "type", type.name(), "created", created)).build();
  }

  @POST
  @Path("collection-chain")
  @Operation(summary = "Edit a chain: modes redefine, extend, prepend, remove, pop; --flatten; a missing parent is"
      + " created by redefine, extend and prepend")
  public ChainResult editChain(@PathParam("repo") String repo, ChainEdit request) {
    require(request != null && request.parent() != null, "'parent' is required");
    ChainMode mode = ChainMode.parse(request.mode() == null ? "redefine" : request.mode());
    List<String> children = request.children() == null ? List.of() : request.children();
    Registry registry = registries.registry(repo);
    List<String> result = registry.transaction(c -> registry.collections().editChain(c, request.parent(), children,
        mode, request.flatten(), request.doc()));
    return new ChainResult(request.parent(), result);
  }

  @POST
  @Path("remove-collections")
  @Operation(summary = "Remove collections; a RUN takes its datasets with it")
  public Map<String, Object> remove(@PathParam("repo") String repo, RemoveCollections request) {
    require(request != null && request.names() != null && !request.names().isEmpty(), "'names' must list collections");
    Registry registry = registries.registry(repo);
    registry.transaction(c -> {
      registry.collections().remove(c, request.names());
      return null;
    });
    return Map.of("removed", request.names());
  }

  @GET
  @Path("collections")
  @Operation(summary = "query-collections: the matching collections as a table (modes TREE, INVERSE-TREE, TABLE,"
      + " INVERSE-TABLE, FLATTEN, NO-CHILDREN)")
  public TextTable query(@PathParam("repo") String repo, @QueryParam("glob") List<String> globs,
                         @QueryParam("collection-type") List<String> types, @QueryParam("chains") String chains) {
    CollectionQuery.ChainsMode mode = CollectionQuery.ChainsMode.parse(chains == null ? "TREE" : chains);
    Set<CollectionType> typeFilter = types == null ? Set.of() : types.stream()
        .flatMap(t -> Arrays.stream(t.split(","))).map(CollectionType::parse)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    Registry registry = registries.registry(repo);
    CollectionQuery query = registry.transaction(c -> new CollectionQuery(registry.collections().all(c),
        registry.collections().allChains(c)));
    return query.table(globs == null ? List.of() : globs, typeFilter, mode);
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
