package io.autobutler.catalog.rest;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.catalog.service.RepositoryService;
import io.autobutler.core.query.expr.BindValues;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileWriter;
import io.autobutler.core.transfer.RepositoryExporter;

/**
 * {@code butler.export()} and {@code butler export-calibs} of a repository as daf_butler's export file (format 1.0.2,
 * universe 7), streamed as it is written. What goes in is read in one transaction first, so that a bad request is a
 * 4xx with {@code {"error": ...}} before any of the file is sent. Files are exported in place: paths relative to the
 * repository's datastore root when under it, absolute URIs otherwise.
 */
@Path("/api/repositories/{repo}")
public class ExportResource {

  /** YAML (RFC 9512). */
  public static final String YAML = "application/yaml";

  private final RegistryLookup registries;
  private final RepositoryService repositories;
  private final RepositoryExporter exporter = new RepositoryExporter();

  public ExportResource(RegistryLookup registries, RepositoryService repositories) {
    this.registries = registries;
    this.repositories = repositories;
  }

  @GET
  @Path("export")
  @Produces(YAML)
  @Operation(summary = "Export the datasets a query finds (datasetType, collections, where, bind, findFirst as"
      + " query-datasets) with their dataset types, RUNs and dimension records; includeCollections: also the"
      + " collections searched, each chain with its children; includeAssociations: the datasets' TAGGED and"
      + " CALIBRATION memberships in the exported collections. The collections exported are those named by"
      + " 'collections' (all of them when none is given)")
  public Response export(@PathParam("repo") String repo, @QueryParam("datasetType") List<String> datasetTypes,
                         @QueryParam("collections") List<String> collections, @QueryParam("where") String where,
                         @QueryParam("bind") List<String> binds,
                         @QueryParam("findFirst") @DefaultValue("false") String findFirst,
                         @QueryParam("includeCollections") @DefaultValue("true") String includeCollections,
                         @QueryParam("includeDimensions") @DefaultValue("true") String includeDimensions,
                         @QueryParam("includeAssociations") @DefaultValue("true") String includeAssociations) {
    Repository repository = repository(repo);
    RepositoryExporter.Selection selection = new RepositoryExporter.Selection(datasetTypes, collections, where,
        BindValues.parse(binds), flag("findFirst", findFirst), flag("includeCollections",
        includeCollections), flag("includeDimensions", includeDimensions), flag("includeAssociations",
        includeAssociations));
    return stream(exporter.export(registries.registry(repo), selection, repository.datastoreRoot()));
  }

  @GET
  @Path("export-calibs")
  @Produces(YAML)
  @Operation(summary = "export-calibs: the CALIBRATION and CHAINED collections among 'collections' (all when"
      + " none) with the children of those chains, and the datasets of calibration types ('datasetType', all when"
      + " none) certified there, with their RUNs, dimension records and certifications")
  public Response exportCalibrations(@PathParam("repo") String repo,
                                     @QueryParam("collections") List<String> collections,
                                     @QueryParam("datasetType") List<String> datasetTypes) {
    Repository repository = repository(repo);
    return stream(exporter.exportCalibrations(registries.registry(repo), collections, datasetTypes,
        repository.datastoreRoot()));
  }

  /** A true/false parameter; anything else is refused rather than read as false. */
  private static boolean flag(String name, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    };
  }

  private Repository repository(String name) {
    return repositories.find(name).orElseThrow(() -> new NotFoundException("no repository named '" + name + "'"));
  }

  private static Response stream(ExportFile file) {
    StreamingOutput body = out -> new ExportFileWriter().write(file, new OutputStreamWriter(out,
        StandardCharsets.UTF_8));
    return Response.ok(body, YAML + ";charset=UTF-8")
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"export.yaml\"").build();
  }
}
