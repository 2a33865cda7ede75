package io.autobutler.cli.repo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./autobutler ingest-raws}: obs_base's {@code ingest-raws} (w_2025_20), done by catalog-service with transfer
 * {@code direct}; it prints the task's log lines and ends as the butler does, with "Some failures encountered during
 * ingestion" and exit code 1 when anything did not go in.
 */
@Command(name = "ingest-raws", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Ingest raw frames into from a directory into the butler registry.",
        "",
        "autobutler: POST /api/repositories/<REPO>/ingest-raws. catalog-service finds the raws in LOCATIONS and "
            + "reads their metadata from each folder's _index.json (FITS headers are not read), then registers them "
            + "in bulk: day_obs, group and exposure records synced, raws with daf_butler's UUIDv5 ids recorded where "
            + "they are (only --transfer direct). Running it again changes nothing."})
public class IngestRawsCommand extends RepoCommand {

  /** The logger of obs_base's RawIngestTask, as its log lines name it. */
  static final String LOGGER = "lsst.ingest";
  static final String DEFAULT_REGEX = "\\.fit[s]?\\b";

  @Parameters(index = "1..*", paramLabel = "LOCATIONS", arity = "1..*",
      description = "LOCATIONS specifies files to ingest and/or locations to search for files. autobutler: local "
          + "paths (made absolute) or URIs (file, davs, dav, https, http) that catalog-service reads.")
  List<String> locations = new ArrayList<>();

  @Option(names = "--regex", paramLabel = "TEXT", defaultValue = DEFAULT_REGEX,
      description = "Regex string used to find files in directories listed in LOCATIONS. Searches for fits files by "
          + "default.")
  String regex;

  @Option(names = {"-c", "--config"}, paramLabel = "TEXT=TEXT",
      description = "Config override, as a key-value pair. autobutler: not supported.")
  List<String> config = new ArrayList<>();

  @Option(names = {"-C", "--config-file"}, paramLabel = "FILE",
      description = "Path to a pex config override to be included after the Instrument config overrides are "
          + "applied. autobutler: not supported.")
  String configFile;

  @Option(names = "--output-run", paramLabel = "TEXT",
      description = "The name of the run datasets should be output to.")
  String outputRun;

  @Option(names = {"-t", "--transfer"}, paramLabel = "[auto|link|symlink|hardlink|copy|move|relsymlink|direct]",
      defaultValue = "auto", completionCandidates = ImportCommand.Transfers.class,
      converter = ImportCommand.Transfers.class,
      description = "The external data transfer mode. autobutler: only 'direct' (the others would copy or link "
          + "files, which autobutler never does).")
  String transfer;

  @Option(names = {"-j", "--processes"}, paramLabel = "INTEGER", defaultValue = "1",
      description = "Number of processes to use. autobutler: accepted; catalog-service ingests in bulk batches "
          + "and reads index files several at a time whatever the number.")
  int processes;

  @Option(names = "--ingest-task", paramLabel = "TEXT", defaultValue = "lsst.obs.base.RawIngestTask",
      description = "The fully qualified class name of the ingest task to use. autobutler: only the default.")
  String ingestTask;

  @Option(names = "--track-file-attrs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Indicate to the datastore whether file attributes such as file size or checksum should be "
          + "tracked or not. autobutler: sizes are recorded when a folder listing gives them.")
  boolean trackFileAttrs;

  @Option(names = "--fail-fast",
      description = "Stop ingest as soon as any problem is encountered with any file. Otherwise problem files will "
          + "be skipped and logged and a report issued at completion.")
  boolean failFast;

  @Option(names = "--update-records", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Use this option to force updates to the exposure records. Should only be used if you know that "
          + "there has been a change to the exposure records, such as a change to the metadata translator.")
  boolean updateRecords;

  @Override
  protected int run(Context context) {
    if (!transfer.equals("direct")) {
      throw new CliException("transfer mode '" + transfer + "' is not supported: autobutler never copies or links "
          + "files, it records raws where they are; use --transfer direct");
    }
    if (!config.isEmpty() || configFile != null) {
      throw new CliException("-c/--config and -C/--config-file are not supported: autobutler's ingest has no task "
          + "configuration");
    }
    if (!ingestTask.equals("lsst.obs.base.RawIngestTask")) {
      throw new CliException("--ingest-task " + ingestTask + " is not supported: autobutler ingests raws as "
          + "lsst.obs.base.RawIngestTask does");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("locations", locations.stream().map(IngestRawsCommand::locationUri).toList());
    body.put("regex", regex);
    body.put("outputRun", outputRun);
    body.put("transfer", transfer);
    body.put("updateRecords", updateRecords);
    body.put("failFast", failFast);
    JsonNode result = context.client().post(context.path("ingest-raws"), body).body();
    return report(context, result);
  }

  /** A local path as the absolute {@code file://} URI catalog-service reads; any other URI as given. */
  static String locationUri(String location) {
    Optional<Path> local = ImportCommand.localPath(location);
    if (local.isEmpty()) {
      return location;
    }
    String uri = local.get().toAbsolutePath().normalize().toUri().toString();
    return uri.startsWith("file:/") && !uri.startsWith("file://") ? "file://" + uri.substring(5) : uri;
  }

  /** RawIngestTask's log lines for what the service did, and its exit: 1 when anything failed. */
  static int report(Context context, JsonNode result) {
    Map<String, List<String>> ingestFailures = new LinkedHashMap<>();
    List<String> badFiles = new ArrayList<>();
    Map<String, String> registrationFailures = new LinkedHashMap<>();
    for (JsonNode rejection : result.path("rejections")) {
      String uri = rejection.path("uri").asText();
      String reason = rejection.path("reason").asText();
      switch (rejection.path("stage").asText()) {
        case "EXPOSURE_REGISTRATION" -> registrationFailures.putIfAbsent(rejection.path("exposure").asText(), reason);
        case "FILE_INGEST" -> ingestFailures.computeIfAbsent(reason, r -> new ArrayList<>()).add(uri);
        default -> badFiles.add(uri + " (" + reason + ")");
      }
    }
    registrationFailures.forEach((exposure, reason) ->
        log(context, "WARNING", "Exposure " + exposure + " could not be registered: " + reason));
    ingestFailures.forEach((reason, files) -> {
      log(context, "WARNING", "Failed to ingest the following for reason: " + reason);
      files.forEach(file -> log(context, "WARNING", "- " + file));
    });
    if (!badFiles.isEmpty()) {
      log(context, "WARNING", "Could not extract observation metadata from the following:");
      badFiles.forEach(file -> log(context, "WARNING", "- " + file));
    }
    int exposures = result.path("exposures").asInt();
    int exposureFailures = result.path("exposureFailures").asInt();
    int fileFailures = result.path("ingestFailures").asInt();
    log(context, "INFO", "Successfully processed data from " + counted(exposures, "exposure") + " with "
        + counted(exposureFailures, "failure") + " from exposure registration and "
        + counted(fileFailures, "failure") + " from file ingest.");
    log(context, "INFO", "Ingested " + counted(result.path("datasets").asInt(), "distinct Butler dataset"));
    context.err().flush();
    if (result.path("rejections").size() > 0) {
      throw new CliException("Some failures encountered during ingestion");
    }
    return 0;
  }

  /** {@code 1 exposure}, {@code 2 exposures}: obs_base's {@code _log_msg_counter}. */
  private static String counted(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static void log(Context context, String level, String message) {
    QueryDatasetsCommand.log(context.err(), LOGGER, level, message);
  }
}
