package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportFormatException;
import io.autobutler.core.transfer.RepositoryImporter;

/** {@code butler import}: an export file's collections, dataset types, dimension records, datasets and associations. */
@Path("/api/repositories/{repo}/import")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ImportResource {

  private final RegistryLookup registries;
  private final RepositoryImporter importer = new RepositoryImporter();

  public ImportResource(RegistryLookup registries) {
    this.registries = registries;
  }

  /**
   * @param exportFile     the export file's text (YAML, daf_butler format 1.0.x)
   * @param directory      the URI the file's relative paths are joined to
   * @param transfer       only {@code direct}: autobutler never copies files
   * @param skipDimensions dimension elements whose records are not imported
   */
  public record ImportRequest(String exportFile, String directory, String transfer, List<String> skipDimensions) {
  }

  @POST
  @Operation(summary = "Import an export file with transfer direct; a conflicting definition rolls the dataset part"
      + " back and names the dataset")
  public RepositoryImporter.Result importFile(@PathParam("repo") String repo, ImportRequest request) {
    require(request != null && request.exportFile() != null, "'exportFile' (the export file's text) is required");
    String transfer = request.transfer() == null ? "direct" : request.transfer();
    require(transfer.equals("direct"), "transfer mode '" + transfer + "' is not supported: autobutler records files"
        + " where they are (--transfer direct) and never copies them");
    ExportFile file;
    try {
      file = new ExportFileReader().read(request.exportFile());
    } catch (ExportFormatException e) {
      throw new IllegalArgumentException("export file: " + e.getMessage(), e);
    }
    Set<String> skip = request.skipDimensions() == null ? Set.of() : Set.copyOf(request.skipDimensions());
    return importer.importFile(registries.registry(repo), file, request.directory(), skip);
  }
}
