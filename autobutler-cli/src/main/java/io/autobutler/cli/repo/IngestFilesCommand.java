package io.autobutler.cli.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import io.autobutler.core.ingest.files.FileIngester;
import io.autobutler.core.ingest.files.IdGenerationMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./autobutler ingest-files}: daf_butler's {@code ingest-files} (w_2025_20), done by catalog-service with
 * transfer {@code direct}. The table is read here and its text sent; relative paths are resolved against
 * {@code --prefix} (or this folder), so the service never needs the operator's disk.
 */
@Command(name = "ingest-files", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Ingest files from table file.",
        "",
        "DATASET_TYPE is the name of the dataset type to be associated with these files. This dataset type must "
            + "already exist and will not be created by this command. There can only be one dataset type per "
            + "invocation of this command.",
        "",
        "RUN is the run to use for the file ingest.",
        "",
        "TABLE_FILE refers to a file that can be read by astropy.table with columns of:",
        "",
        "    file URI, dimension1, dimension2, ..., dimensionN",
        "",
        "where the first column is the URI to the file to be ingested and the remaining columns define the dataId "
            + "to associate with that file. The column names should match the dimensions for the specified dataset "
            + "type. Relative file URI by default is assumed to be relative to the current working directory but "
            + "can be overridden using the ``--prefix`` option.",
        "",
        "This command does not create dimension records and so any records must be created by other means. This "
            + "command should not be used to ingest raw camera exposures.",
        "",
        "autobutler: POST /api/repositories/<REPO>/ingest-files. TABLE_FILE is a file of this machine, ECSV "
            + "(# %%ECSV 1.0) or CSV with a header row; its text is sent. The files stay where they are (only "
            + "--transfer direct) and are not read: no size or checksum is recorded. The RUN is registered when "
            + "missing. A bad table, an unknown dataset type or a conflict changes nothing."})
public class IngestFilesCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "DATASET_TYPE", description = "The dataset type of every file.")
  String datasetType;

  @Parameters(index = "2", paramLabel = "RUN", description = "The RUN collection the datasets go in.")
  String run;

  @Parameters(index = "3", paramLabel = "TABLE_FILE",
      description = "The table file (autobutler: a local path or file: URI; .ecsv or .csv).")
  String tableFile;

  @Option(names = "--formatter", paramLabel = "TEXT",
      description = "Fully-qualified python class to use as the Formatter. If not specified the formatter will be "
          + "determined from the dataset type and datastore configuration. autobutler: the given class is "
          + "recorded with each file; without it none is recorded (the datastore configuration that would choose "
          + "one is not known here).")
  String formatter;

  @Option(names = "--id-generation-mode", paramLabel = "[UNIQUE|DATAID_TYPE|DATAID_TYPE_RUN]",
      defaultValue = "UNIQUE", converter = IdModes.class, completionCandidates = IdModes.class,
      description = "Mode to use for generating dataset IDs. The default creates a unique ID. Other options are: "
          + "'DATAID_TYPE' for creating a reproducible ID from the dataID and dataset type; 'DATAID_TYPE_RUN' for "
          + "creating a reproducible ID from the dataID, dataset type and run. The latter is usually used for "
          + "'raw'-type data that will be ingested in multiple. repositories. autobutler: with a reproducible ID, "
          + "running the command again changes nothing.")
  IdGenerationMode idGenerationMode;

  @Option(names = "--data-id", paramLabel = "TEXT",
      description = "Keyword=value string with an additional dataId value that is fixed for all ingested files. "
          + "This can be used to simplify the table file by removing repeated entries that are fixed for all "
          + "files to be ingested.  Multiple key/values can be given either by using comma separation or multiple "
          + "command line options.")
  List<String> dataId = new ArrayList<>();

  @Option(names = "--prefix", paramLabel = "TEXT",
      description = "For relative paths in the table file, specify a prefix to use. The default is to use the "
          + "current working directory. autobutler: a local path (made absolute) or a URI such as davs://host/path/;"
          + " a directory even without its trailing slash.")
  String prefix;

  @Option(names = "--track-file-attrs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Indicate to the datastore whether file attributes such as file size or checksum should be "
          + "tracked or not. Whether this parameter is honored depends on the specific datastore implementation. "
          + "autobutler: accepted and ignored (files are not read).")
  boolean trackFileAttrs;

  @Option(names = {"-t", "--transfer"}, paramLabel = "[auto|link|symlink|hardlink|copy|move|relsymlink|direct]",
      defaultValue = "auto", completionCandidates = ImportCommand.Transfers.class,
      converter = ImportCommand.Transfers.class,
      description = "The external data transfer mode. autobutler: only 'direct' (the others would copy or link "
          + "files, which autobutler never does).")
  String transfer;

  /** {@code --id-generation-mode}: click's case-insensitive choice. */
  static final class IdModes extends ArrayList<String> implements ITypeConverter<IdGenerationMode> {
    IdModes() {
      super(java.util.Arrays.stream(IdGenerationMode.values()).map(Enum::name).toList());
    }

    @Override
    public IdGenerationMode convert(String value) {
      try {
        return IdGenerationMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not one of 'UNIQUE', 'DATAID_TYPE', 'DATAID_TYPE_RUN'.");
      }
    }
  }

  @Override
  protected int run(Context context) {
    Path table = ImportCommand.localPath(tableFile).orElseThrow(() -> new CliException("the table file '"
        + tableFile + "' is not a local file: autobutler reads the table file on this machine"));
    String text;
    try {
      text = Files.readString(table, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the table file " + table.toAbsolutePath() + ": " + e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("datasetType", datasetType);
    body.put("run", run);
    body.put("table", text);
    body.put("tableName", table.getFileName() == null ? tableFile : table.getFileName().toString());
    body.put("dataId", splitCommas(dataId));
    body.put("formatter", formatter);
    body.put("idGenerationMode", idGenerationMode.name());
    // Relative paths are relative to this machine's current folder when no prefix is given, as the butler's.
    body.put("prefix", IngestRawsCommand.locationUri(prefix == null || prefix.isEmpty() ? "." : prefix));
    body.put("transfer", transfer);
    JsonNode result = context.client().post(context.path("ingest-files"), body).body();
    QueryDatasetsCommand.log(context.err(), FileIngester.LOGGER, "INFO",
        FileIngester.logLine(result.path("datasets").asInt(), result.path("files").asInt()));
    return 0;
  }
}
