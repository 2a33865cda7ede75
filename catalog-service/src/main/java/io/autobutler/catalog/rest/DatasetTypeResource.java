package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.util.List;
import java.util.Map;

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
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.datasets.DatasetType;

/** Dataset types of one repository: {@code register-dataset-type} and {@code query-dataset-types}. */
@Path("/api/repositories/{repo}/dataset-types")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetTypeResource {

  private final RegistryLookup registries;

  public DatasetTypeResource(RegistryLookup registries) {
    this.registries = registries;
  }

  public record RegisterDatasetType(String name, String storageClass, List<String> dimensions, boolean isCalibration) {
  }

  /** A dataset type as listed: all its dimensions in universe order, and the required ones. */
  public record DatasetTypeView(String name, String storageClass, List<String> dimensions, List<String> required,
                                boolean isCalibration) {
    static DatasetTypeView of(DatasetType type) {
      return new DatasetTypeView(type.name(), type.storageClass(), type.dimensions().names(),
          type.dimensions().required(), type.isCalibration());
    }
  }

  @POST
  @Operation(summary = "Register a dataset type; the same definition again is a no-op, a different one a conflict")
  public Response register(@PathParam("repo") String repo, RegisterDatasetType request) {
    require(request != null && request.name() != null && request.storageClass() != null,
        "'name' and 'storageClass' are required");
    List<String> dimensions = request.dimensions() == null ? List.of() : request.dimensions();
    Registry registry = registries.registry(repo);
    boolean created = registry.transaction(c -> registry.datasetTypes().register(c, request.name(),
        request.storageClass(), dimensions, request.isCalibration()));
    DatasetType type = registry.transaction(c -> registry.datasetTypes().get(c, request.name()));
    return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
        .entity(Map.of("created", created, "datasetType", DatasetTypeView.of(type))).build();
  }

  @GET
  @Operation(summary = "query-dataset-types: the registered dataset types whose names match the globs")
  public List<DatasetTypeView> query(@PathParam("repo") String repo, @QueryParam("glob") List<String> globs) {
    Registry registry = registries.registry(repo);
    List<DatasetType> all = registry.transaction(c -> registry.datasetTypes().all(c));
    List<java.util.regex.Pattern> patterns = globs == null || globs.isEmpty() ? List.of()
        : globs.stream().map(CollectionQuery::globToRegex).toList();
    return all.stream()
        .filter(t -> patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(t.name()).matches()))
        .map(DatasetTypeView::of)
        .toList();
  }
}
