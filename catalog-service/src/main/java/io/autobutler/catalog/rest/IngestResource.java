package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.RawBackfill;
import io.autobutler.core.ingest.RawIngester;

/**
 * {@code butler ingest-raws}: a backfill of raws from their folders' {@code _index.json} files, read where they are
 * (file, http(s), WebDAV) and recorded with transfer {@code direct}. The raws that cannot go in are listed with the
 * reason; the others go in.
 */
@Path("/api/repositories/{repo}/ingest-raws")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IngestResource {

  private static final Logger LOG = Logger.getLogger(IngestResource.class);

  private final RegistryLookup registries;
  private final RawBackfill backfill;

  public IngestResource(RegistryLookup registries,
                        @ConfigProperty(name = "autobutler.datastore.bearer-token") Optional<String> token) {
    this.registries = registries;
    this.backfill = new RawBackfill(new DatastoreFiles(token));
  }

  /**
   * @param locations     files and folders (absolute URIs: file:///…, davs://…, https://…) to find raws in
   * @param regex         the pattern file names in folders must contain (default {@code \.fit[s]?\b})
   * @param outputRun     the RUN for the raws (default {@code <INSTRUMENT>/raw/all})
   * @param transfer      only {@code direct}: autobutler never copies files
   * @param updateRecords overwrite differing exposure, day_obs and group records instead of rejecting their raws
   * @param failFast      stop at the first problem (HTTP 400 or 409 naming it)
   */
  public record IngestRawsRequest(List<String> locations, String regex, String outputRun, String transfer,
                                  Boolean updateRecords, Boolean failFast) {
  }

  @POST
  @Operation(summary = "ingest-raws: raws found in LOCATIONS, with their metadata from each folder's _index.json,"
      + " recorded where they are (transfer direct); returns the butler's counts and the files that did not go in")
  public RawIngester.Result ingestRaws(@PathParam("repo") String repo, IngestRawsRequest request) {
    require(request != null && request.locations() != null && !request.locations().isEmpty(),
        "'locations' (at least one file or folder URI) is required");
    String transfer = request.transfer() == null ? "direct" : request.transfer();
    require(transfer.equals("direct"), "transfer mode '" + transfer + "' is not supported: autobutler records raws"
        + " where they are (--transfer direct) and never copies them");
    RawIngester.Options options = RawIngester.Options.defaults().withOutputRun(blankToNull(request.outputRun()))
        .withUpdateRecords(Boolean.TRUE.equals(request.updateRecords()))
        .withFailFast(Boolean.TRUE.equals(request.failFast()));
    RawIngester.Result result = backfill.ingest(registries.registry(repo), request.locations(),
        blankToNull(request.regex()), options);
    LOG.infof("ingest-raws %s %s: %d exposures, %d raws (%d new), %d files rejected", repo, request.locations(),
        result.exposures(), result.datasets(), result.newDatasets(), result.rejections().size());
    return result;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
