package io.autobutler.cli.repo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import io.autobutler.core.ingest.zip.ZipIngester;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./autobutler ingest-zip}: daf_butler's {@code ingest-zip}, done by catalog-service with transfer
 * {@code direct}: the zip stays where it is and only its index is read.
 */
@Command(name = "ingest-zip", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Ingest a Zip file created by retrieve-artifacts.",
        "",
        "ZIP is the URI to the Zip file that should be ingested.",
        "",
        "This command does not create dimension records and so any records must be created by other means.",
        "",
        "autobutler: POST /api/repositories/<REPO>/ingest-zip. catalog-service reads the zip's "
            + "_butler_zip_index.json where the zip is (file, davs, dav, https, http; with ranged reads, never the "
            + "whole zip), inserts the dimension records the index carries (existing ones are kept), registers the "
            + "dataset types and RUNs, and records each dataset inside the zip (<ZIP>#zip-path=<member>). Only "
            + "--transfer direct."})
public class IngestZipCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "ZIP",
      description = "The zip: a local path (made absolute) or a URI (file, davs, dav, https, http) that "
          + "catalog-service reads.")
  String zip;

  @Option(names = {"-t", "--transfer"}, paramLabel = "[auto|link|symlink|hardlink|copy|move|relsymlink|direct]",
      defaultValue = "auto", completionCandidates = ImportCommand.Transfers.class,
      converter = ImportCommand.Transfers.class,
      description = "The external data transfer mode. autobutler: only 'direct' (the others would copy the zip "
          + "into the datastore, which autobutler never does).")
  String transfer;

  @Option(names = "--transfer-dimensions", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Attempt to register missing dimension records during ingest. autobutler: accepted; the "
          + "records the index carries are always inserted when missing.")
  boolean transferDimensions;

  @Option(names = "--dry-run", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Enable dry run mode and do not ingest any datasets. autobutler: not supported.")
  boolean dryRun;

  @Option(names = "--skip-existing",
      description = "autobutler extension (the butler's Python API has it): a zip whose datasets are all in the "
          + "repository already is skipped instead of refused.")
  boolean skipExisting;

  @Override
  protected int run(Context context) {
    if (!transfer.equals("direct")) {
      throw new CliException("transfer mode '" + transfer + "' is not supported: autobutler never copies zips into"
          + " the datastore, it records them where they are; use --transfer direct");
    }
    if (dryRun) {
      throw new CliException("--dry-run is not supported by autobutler");
    }
    String uri = IngestRawsCommand.locationUri(zip);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("zips", List.of(Map.of("uri", uri)));
    body.put("transfer", transfer);
    body.put("skipExisting", skipExisting);
    JsonNode result = context.client().post(context.path("ingest-zip"), body).body();
    JsonNode rejections = result.path("rejections");
    if (rejections.size() > 0) {
      context.err().flush();
      throw new CliException(rejections.get(0).path("reason").asText());
    }
    int datasets = result.path("datasets").asInt();
    int unchanged = result.path("unchanged").asInt();
    if (unchanged > 0) {
      log(context, "Skipping " + unchanged + " datasets from zip file " + uri + " which already exist in the"
          + " repository.");
    } else {
      log(context, "Ingesting zip file " + uri + " with " + datasets + " dataset" + (datasets == 1 ? "" : "s"));
    }
    context.err().flush();
    return 0;
  }

  private static void log(Context context, String message) {
    QueryDatasetsCommand.log(context.err(), ZipIngester.LOGGER, "INFO", message);
  }
}
