package io.autobutler.cli.repo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./autobutler export}: daf_butler's {@code butler.export()} as a command, done by catalog-service. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Export datasets, with their dataset types, RUN collections and dimension records, the collections searched "
            + "(each chain with its children) and the datasets' TAGGED and CALIBRATION associations, to an export "
            + "file that 'import' reads (daf_butler's YAML format 1.0.2, universe 7).",
        "",
        "autobutler extension: daf_butler exports through its Python API (butler.export() and saveDatasets), its "
            + "command line has no such command. GET /api/repositories/<REPO>/export, streamed to --export-file. "
            + "Files are exported in place, never copied: their paths are relative to the repository's datastore "
            + "root when they are under it, absolute URIs otherwise. Prints nothing."})
public class ExportCommand extends RepoCommand {

  static final String YAML = "application/yaml";

  @Option(names = "--export-file", required = true, paramLabel = "FILE",
      description = "The export file to write (replaced if it exists, once the export is complete).")
  Path exportFile;

  @Option(names = {"-d", "--dataset-type"}, paramLabel = "TEXT",
      description = "One or more glob-style expressions that fully or partially identify the dataset type names to "
          + "be exported; all when absent.")
  List<String> datasetTypes = new ArrayList<>();

  @Mixin
  DatasetQueryOptions query;

  @Option(names = "--bind", paramLabel = "NAME=VALUE",
      description = "A value for a bind name of --where; integers stay integers. May be repeated.")
  List<String> binds = new ArrayList<>();

  @Option(names = "--include-collections", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also export the collections named by --collections (all when absent), each chain with its "
          + "children; with --no-include-collections only the RUNs of the datasets. Default: include.")
  boolean includeCollections;

  @Option(names = "--include-dimensions", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Export the dimension records of the datasets' data IDs (implied dimensions included). "
          + "Default: include.")
  boolean includeDimensions;

  @Option(names = "--include-associations", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Export the datasets' memberships in the exported TAGGED collections and their certifications "
          + "in the exported CALIBRATION collections. Default: include.")
  boolean includeAssociations;

  @Override
  protected int run(Context context) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("datasetType", splitCommas(datasetTypes));
    parameters.put("collections", query.searched());
    parameters.put("where", query.whereOrNull() == null ? List.of() : List.of(query.whereOrNull()));
    parameters.put("bind", binds);
    parameters.put("findFirst", List.of(Boolean.toString(query.findFirst)));
    parameters.put("includeCollections", List.of(Boolean.toString(includeCollections)));
    parameters.put("includeDimensions", List.of(Boolean.toString(includeDimensions)));
    parameters.put("includeAssociations", List.of(Boolean.toString(includeAssociations)));
    context.client().download(context.path("export"), parameters, YAML, writable(exportFile));
    return 0;
  }

  /** The file, made absolute, once its folder is known to exist. */
  static Path writable(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      throw new CliException("the export file " + absolute + " is a folder");
    }
    if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
      throw new CliException("cannot write the export file " + absolute + ": its folder does not exist");
    }
    return absolute;
  }
}
