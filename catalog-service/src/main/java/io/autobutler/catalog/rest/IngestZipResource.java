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
import io.autobutler.core.ingest.zip.ZipIngester;

/**
 * {@code butler ingest-zip}: zips written by {@code butler retrieve-artifacts --zip} (LSSTCam's raws travel so), read
 * where they are (file, http(s), WebDAV; only the index inside, with ranged reads) and recorded with transfer
 * {@code direct}. The zips that cannot go in are listed with the reason; the others go in.
 */
@Path("/api/repositories/{repo}/ingest-zip")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IngestZipResource {

  private static final Logger LOG = Logger.getLogger(IngestZipResource.class);

  private final RegistryLookup registries;
  private final ZipIngester ingester;

  public IngestZipResource(RegistryLookup registries,
                           @ConfigProperty(name = "autobutler.datastore.bearer-token") Optional<String> token) {
    this.registries = registries;
    this.ingester = new ZipIngester(new DatastoreFiles(token));
  }

  /**
   * @param zips         the zips: absolute URIs (file:///…, davs://…, https://…) or absolute paths, with their size
   *                     and Adler-32 when known (a size that differs rejects the zip)
   * @param transfer     only {@code direct}: autobutler never copies files
   * @param skipExisting a zip whose datasets are all there already is counted unchanged instead of rejected
   */
  public record IngestZipRequest(List<ZipIngester.ZipSource> zips, String transfer, Boolean skipExisting) {
  }

  @POST
  @Operation(summary = "ingest-zip: the datasets of butler zips (their _butler_zip_index.json), with the dimension"
      + " records the indexes carry, recorded inside the zips where they are (transfer direct); returns the counts"
      + " and the zips that did not go in, with the reason")
  public ZipIngester.Result ingestZip(@PathParam("repo") String repo, IngestZipRequest request) {
    require(request != null && request.zips() != null && !request.zips().isEmpty(),
        "'zips' (at least one {\"uri\": ...}) is required");
    for (ZipIngester.ZipSource zip : request.zips()) {
      require(zip != null && zip.uri() != null && !zip.uri().isBlank(), "every zip needs its 'uri'");
    }
    String transfer = request.transfer() == null ? "direct" : request.transfer();
    require(transfer.equals("direct"), "transfer mode '" + transfer + "' is not supported: autobutler records zips"
        + " where they are (--transfer direct) and never copies them");
    ZipIngester.Result result = ingester.ingest(registries.registry(repo), request.zips(),
        new ZipIngester.Options(transfer, Boolean.TRUE.equals(request.skipExisting())));
    LOG.infof("ingest-zip %s: %d zip(s), %d dataset(s) new, %d unchanged, %d record(s), %d zip(s) rejected", repo,
        request.zips().size(), result.datasets(), result.unchanged(), result.dimensionRecords(),
        result.rejections().size());
    return result;
  }
}
