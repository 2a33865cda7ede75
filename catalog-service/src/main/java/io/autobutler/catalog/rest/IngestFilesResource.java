package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.ingest.files.FileIngester;

/**
 * {@code butler ingest-files}: the datasets of a table (first column the file URI, the others data ID keys) of an
 * existing dataset type, recorded in a RUN where the files are. The table travels as text: the service never reads
 * the operator's disk, and it reads none of the files either.
 */
@Path("/api/repositories/{repo}/ingest-files")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IngestFilesResource {

  private static final Logger LOG = Logger.getLogger(IngestFilesResource.class);

  private final RegistryLookup registries;
  private final FileIngester ingester = new FileIngester();

  public IngestFilesResource(RegistryLookup registries) {
    this.registries = registries;
  }

  /**
   * @param datasetType      the registered dataset type of every row
   * @param run              the RUN collection (registered when missing)
   * @param table            the table file's text: ECSV ({@code # %ECSV 1.0}) or CSV with a header row
   * @param tableName        the table file's name: its extension tells the format, and messages name it
   * @param dataId           {@code dimension=value} strings fixed for every row, overriding table columns
   * @param formatter        fully-qualified formatter class recorded with each file (none when absent)
   * @param idGenerationMode UNIQUE (default, random UUIDv4), DATAID_TYPE or DATAID_TYPE_RUN (UUIDv5)
   * @param prefix           absolute URI (or absolute path) that relative file paths are resolved against
   * @param transfer         only {@code direct}: autobutler never copies files
   */
  public record IngestFilesRequest(String datasetType, String run, String table, String tableName,
                                   List<String> dataId, String formatter, String idGenerationMode, String prefix,
                                   String transfer) {
  }

  @POST
  @Operation(summary = "ingest-files: one dataset per table row, of an existing dataset type, into a RUN (created"
      + " when missing), recorded where the files are (transfer direct); no dimension records are created. A bad"
      + " table, an unknown dataset type or a conflicting dataset changes nothing (400, 404, 409)")
  public FileIngester.Result ingestFiles(@PathParam("repo") String repo, IngestFilesRequest request) {
    require(request != null && request.table() != null, "'table' (the table file's text) is required");
    require(request.datasetType() != null && request.run() != null, "'datasetType' and 'run' are required");
    FileIngester.Result result = ingester.ingest(registries.registry(repo), new FileIngester.Request(
        request.datasetType(), request.run(), request.table(), request.tableName(), request.dataId(),
        request.formatter(), request.idGenerationMode(), request.prefix(), request.transfer()));
    LOG.infof("ingest-files %s %s %s: %d dataset(s) from %d file(s), %d new", repo, request.datasetType(),
        result.run(), result.datasets(), result.files(), result.inserted());
    return result;
  }
}
