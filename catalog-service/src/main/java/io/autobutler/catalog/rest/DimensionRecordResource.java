package io.autobutler.catalog.rest;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.query.expr.BindValues;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.dimensions.DataIdQuery;
import io.autobutler.core.registry.dimensions.DimensionRecordQuery;

/** Dimension records and data IDs of one repository: {@code query-dimension-records}, {@code query-data-ids}. */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
public class DimensionRecordResource {

  private final RegistryLookup registries;
  private final DimensionRecordQuery recordQuery = new DimensionRecordQuery();
  private final DataIdQuery dataIdQuery = new DataIdQuery();

  public DimensionRecordResource(RegistryLookup registries) {
    this.registries = registries;
  }

  @GET
  @Path("dimension-records/{element}")
  @Operation(summary = "query-dimension-records: the records of a dimension element as the butler's table (fields in"
      + " the butler's order, timespans in TAI, regions elided), sorted by data ID unless orderBy is given; limit 0"
      + " is unlimited, a negative limit a cap that warns")
  public DimensionRecordQuery.Result query(
      @PathParam("repo") String repo,
      @Parameter(description = "A dimension element of universe 7, e.g. exposure, visit, detector, day_obs")
      @PathParam("element") String element,
      @Parameter(description = "Dataset type names or globs the records must be related to")
      @QueryParam("datasets") List<String> datasets,
      @Parameter(description = "Collections to look for those datasets in (all when none); ignored without datasets")
      @QueryParam("collections") List<String> collections,
      @Parameter(description = "A --where expression; dimensions it names outside the element widen the query")
      @QueryParam("where") String where,
      @Parameter(description = "name=value, a value for :name in the expression (integers stay integers)")
      @QueryParam("bind") List<String> binds,
      @Parameter(description = "Column names to sort by, '-' for descending, e.g. -exposure.seq_num")
      @QueryParam("orderBy") List<String> orderBy,
      @QueryParam("limit") @DefaultValue("-20000") int limit,
      @Parameter(description = "Must be 0: daf_butler no longer supports an offset")
      @QueryParam("offset") @DefaultValue("0") int offset) {
    Registry registry = registries.registry(repo);
    DimensionRecordQuery.Request request = new DimensionRecordQuery.Request(element, datasets, collections, where,
        BindValues.parse(binds), orderBy, limit, offset);
    return registry.transaction(c -> recordQuery.query(c, request));
  }

  @GET
  @Path("data-ids")
  @Operation(summary = "query-data-ids: the distinct data IDs of dimensions (required then implied columns), sorted"
      + " as the butler sorts them unless orderBy is given; without a table, the butler's reason (if any)")
  public DataIdQuery.Result dataIds(
      @PathParam("repo") String repo,
      @Parameter(description = "Dimensions of the data IDs, e.g. exposure, detector (with datasets and collections"
          + " and none given: the dataset type's)")
      @QueryParam("dimensions") List<String> dimensions,
      @QueryParam("datasets") List<String> datasets,
      @QueryParam("collections") List<String> collections,
      @QueryParam("where") String where,
      @QueryParam("bind") List<String> binds,
      @QueryParam("orderBy") List<String> orderBy,
      @QueryParam("limit") @DefaultValue("-20000") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    Registry registry = registries.registry(repo);
    DataIdQuery.Request request = new DataIdQuery.Request(dimensions, datasets, collections, where,
        BindValues.parse(binds), orderBy, limit, offset);
    return registry.transaction(c -> dataIdQuery.query(c, request));
  }
}
