package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.query.expr.BindValues;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.FoundDatasets;
import io.autobutler.core.table.TextTable;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;

/**
 * Datasets of one repository: {@code query-datasets}, {@code associate}, {@code disassociate},
 * {@code certify-calibrations}, {@code decertify-calibrations}.
 */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {

  private final RegistryLookup registries;
  private final DatasetQuery datasetQuery = new DatasetQuery();

  public DatasetResource(RegistryLookup registries) {
    this.registries = registries;
  }

  @GET
  @Path("datasets")
  @Operation(summary = "query-datasets: one table per dataset type (type, run, id, data ID, URI); limit 0 is"
      + " unlimited, a negative limit a cap that warns")
  public DatasetQuery.Result query(@PathParam("repo") String repo, @QueryParam("datasetType") List<String> types,
                                   @QueryParam("collections") List<String> collections,
                                   @QueryParam("where") String where, @QueryParam("bind") List<String> binds,
                                   @QueryParam("findFirst") boolean findFirst,
                                   @QueryParam("limit") @DefaultValue("-20000") int limit,
                                   @QueryParam("showUri") boolean showUri) {
    Registry registry = registries.registry(repo);
    DatasetQuery.Request request = new DatasetQuery.Request(types, collections, where, BindValues.parse(binds), findFirst,
        limit, showUri);
    return registry.transaction(c -> datasetQuery.query(c, request));
  }

  /** The header that carries each warning of a {@code text/plain} answer, in order. */
  public static final String WARNING_HEADER = "X-Butler-Warning";

  @GET
  @Path("datasets")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "query-datasets as the butler prints it: each dataset type's table after a blank line, and"
      + " a blank line at the end; warnings in X-Butler-Warning headers")
  public Response queryText(@PathParam("repo") String repo, @QueryParam("datasetType") List<String> types,
                            @QueryParam("collections") List<String> collections,
                            @QueryParam("where") String where, @QueryParam("bind") List<String> binds,
                            @QueryParam("findFirst") boolean findFirst,
                            @QueryParam("limit") @DefaultValue("-20000") int limit,
                            @QueryParam("showUri") boolean showUri) {
    // Rendered here rather than in the CLI: a new CLI process would spend a second formatting large tables.
    DatasetQuery.Result result = query(repo, types, collections, where, binds, findFirst, limit, showUri);
    StreamingOutput body = output -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
      for (TextTable table : result.tables()) {
        writer.write('\n');
        for (String line : table.lines(TextTable.Align.RIGHT)) {
          writer.write(line);
          writer.write('\n');
        }
      }
      writer.write('\n');
      writer.flush();
    };
    Response.ResponseBuilder response = Response.ok(body, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"));
    result.warnings().forEach(w -> response.header(WARNING_HEADER, printableAscii(w)));
    return response.build();
  }

  /** A header value: characters outside printable ASCII (which HTTP headers cannot carry safely) become '?'. */
  private static String printableAscii(String text) {
    return text.replaceAll("[^\\x20-\\x7E]", "?");
  }

  /** {@code associate}: what a query finds, added to a TAGGED collection (registered if needed). */
  public record Associate(String collection, List<String> datasetTypes, List<String> collections, String where,
                          boolean findFirst, int limit) {
  }

  @POST
  @Path("associate")
  @Operation(summary = "associate: add the datasets a query finds to a TAGGED collection, registering it if needed")
  public Map<String, Object> associate(@PathParam("repo") String repo, Associate request) {
    require(request != null && request.collection() != null, "'collection' is required");
    Registry registry = registries.registry(repo);
    return registry.transaction(c -> {
      registry.collections().register(c, request.collection(), CollectionType.TAGGED, null);
      List<UUID> ids = FoundDatasets.ids(datasetQuery.query(c, new DatasetQuery.Request(request.datasetTypes(),
          request.collections(), request.where(), Map.of(), request.findFirst(), request.limit(), false)));
      int added = ids.isEmpty() ? 0
          : registry.datasets().associate(c, registry.collections().get(c, request.collection()), ids);
      return Map.of("collection", request.collection(), "found", ids.size(), "added", added);
    });
  }

  /** {@code disassociate}: what a query finds, removed from a TAGGED collection (datasets not in it are ignored). */
  public record Disassociate(String collection, List<String> datasetTypes, List<String> collections, String where,
                             boolean findFirst, int limit) {
  }

  @POST
  @Path("disassociate")
  @Operation(summary = "disassociate: remove the datasets a query finds from a TAGGED collection (Registry"
      + ".disassociate: only TAGGED collections; datasets not in it are ignored)")
  public Map<String, Object> disassociate(@PathParam("repo") String repo, Disassociate request) {
    require(request != null && request.collection() != null, "'collection' is required");
    Registry registry = registries.registry(repo);
    return registry.transaction(c -> {
      var tagged = registry.collections().get(c, request.collection());
      List<UUID> ids = FoundDatasets.ids(datasetQuery.query(c, new DatasetQuery.Request(request.datasetTypes(),
          request.collections(), request.where(), Map.of(), request.findFirst(), request.limit(), false)));
      int removed = registry.datasets().disassociate(c, tagged, ids);
      return Map.of("collection", request.collection(), "found", ids.size(), "removed", removed);
    });
  }

  /** {@code certify-calibrations}: a dataset type's datasets found in the input, certified in the output. */
  public record Certify(String inputCollection, String outputCollection, String datasetType, String beginDate,
                        String endDate, boolean searchAllInputs) {
  }

  @POST
  @Path("certify-calibrations")
  @Operation(summary = "certify-calibrations: certify the datasets of a type found in INPUT into the CALIBRATION"
      + " collection OUTPUT over [begin, end) (TAI; unbounded when absent)")
  public Map<String, Object> certify(@PathParam("repo") String repo, Certify request) {
    require(request != null && request.inputCollection() != null && request.outputCollection() != null
        && request.datasetType() != null, "'inputCollection', 'outputCollection' and 'datasetType' are required");
    Long begin = time(request.beginDate(), "beginDate");
    Long end = time(request.endDate(), "endDate");
    Registry registry = registries.registry(repo);
    return registry.transaction(c -> {
      registry.collections().register(c, request.outputCollection(), CollectionType.CALIBRATION, null);
      List<UUID> ids = FoundDatasets.ids(datasetQuery.query(c, new DatasetQuery.Request(List.of(request.datasetType()),
          List.of(request.inputCollection()), null, Map.of(), !request.searchAllInputs(), 0, false)));
      int certified = ids.isEmpty() ? 0 : registry.datasets().certify(c,
          registry.collections().get(c, request.outputCollection()), ids, begin, end);
      return Map.of("collection", request.outputCollection(), "certified", certified);
    });
  }

  /**
   * {@code decertify-calibrations}: {@code [beginDate, endDate)} taken out of the certifications of a dataset type in
   * a CALIBRATION collection, for every data ID or those of the datasets {@code where} selects there.
   */
  public record Decertify(String collection, String datasetType, String beginDate, String endDate, String where) {
  }

  @POST
  @Path("decertify-calibrations")
  @Operation(summary = "decertify-calibrations: take [begin, end) (TAI; unbounded when absent) out of the"
      + " certifications of a dataset type in a CALIBRATION collection, truncating or splitting the ranges that"
      + " overlap it (Registry.decertify); 'where' restricts it to the data IDs of the datasets it selects there")
  public Map<String, Object> decertify(@PathParam("repo") String repo, Decertify request) {
    require(request != null && request.collection() != null && request.datasetType() != null,
        "'collection' and 'datasetType' are required");
    Long begin = time(request.beginDate(), "beginDate");
    Long end = time(request.endDate(), "endDate");
    require(begin == null || end == null || begin < end, "beginDate must be before endDate (the range is [begin,"
        + " end)): " + request.beginDate() + " is not before " + request.endDate());
    Timespan span = Timespan.ofNanos(begin == null ? TaiTime.EPOCH.nanos() : begin,
        end == null ? TaiTime.MAX.nanos() : end);
    Registry registry = registries.registry(repo);
    return registry.transaction(c -> {
      var calibration = registry.collections().get(c, request.collection());
      var type = registry.datasetTypes().get(c, request.datasetType());
      List<UUID> selected = request.where() == null || request.where().isBlank() ? null
          : FoundDatasets.ids(datasetQuery.query(c, new DatasetQuery.Request(List.of(type.name()),
              List.of(calibration.name()), request.where(), Map.of(), false, 0, false)));
      var result = registry.datasets().decertify(c, calibration, type, span, selected);
      return Map.of("collection", calibration.name(), "datasetType", type.name(),
          "certifications", result.certifications(), "remainingRanges", result.remainingRanges());
    });
  }

  static Long time(String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return TaiTime.parse(text.strip().replace('T', ' ')).toRegistryNanos();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": '" + text + "' is not an ISO-8601 TAI date-time: "
          + e.getMessage(), e);
    }
  }

}
