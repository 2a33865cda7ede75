package io.autobutler.cli.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.cli.CliException;
import io.autobutler.core.table.TextTable;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportedDatasetsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler export-calibs}: butler's {@code export-calibs}, done by catalog-service. */
@Command(name = "export-calibs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Export calibrations from the butler for import elsewhere.",
        "",
        "autobutler: GET /api/repositories/<REPO>/export-calibs, written to DIRECTORY/export.yaml: the CALIBRATION "
            + "and CHAINED collections among COLLECTIONS (all when none) with the children of those chains, the "
            + "datasets of calibration types certified there with their RUNs, dimension records and certifications. "
            + "Only --transfer direct: the files are exported in place (paths relative to the datastore root, "
            + "absolute URIs elsewhere), never copied; import the file with the datastore root as DIRECTORY. "
            + "Prints the table of exported datasets, as the butler."})
public class ExportCalibsCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "DIRECTORY",
      description = "DIRECTORY is the folder to receive the exported calibrations (autobutler: a local folder, "
          + "which must not exist yet).")
  String directory;

  @Parameters(index = "2..*", arity = "0..*", paramLabel = "COLLECTIONS",
      description = "COLLECTIONS are the collection to export calibrations from.")
  List<String> collections = new ArrayList<>();

  @Option(names = {"-d", "--dataset-type"}, paramLabel = "TEXT",
      description = "Specific DatasetType(s) to export.")
  List<String> datasetTypes = new ArrayList<>();

  @Option(names = {"-t", "--transfer"}, paramLabel = "[auto|link|symlink|hardlink|copy|move|relsymlink|direct]",
      defaultValue = "auto", completionCandidates = ImportCommand.Transfers.class,
      converter = ImportCommand.Transfers.class,
      description = "The external data transfer mode. autobutler: only 'direct' (files exported in place).")
  String transfer;

  @Override
  protected int run(Context context) {
    if (!transfer.equals("direct")) {
      throw new CliException("transfer mode '" + transfer + "' is not supported: autobutler never copies or links "
          + "files; use --transfer direct to export them in place (paths relative to the datastore root)");
    }
    Path folder = ImportCommand.localPath(directory).orElseThrow(() -> new CliException("DIRECTORY '" + directory
        + "' is not a local folder: autobutler writes the export on this machine")).toAbsolutePath().normalize();
    if (Files.exists(folder)) {
      throw new CliException("Export directory exists: " + directory);
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("collections", splitCommas(collections));
    parameters.put("datasetType", splitCommas(datasetTypes));
    Path exportFile = folder.resolve("export.yaml");
    try {
      Files.createDirectories(folder);
      context.client().download(context.path("export-calibs"), parameters, ExportCommand.YAML, exportFile);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(exportFile);
      deleteQuietly(folder);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new CliException("cannot create the export directory " + folder + ": " + e.getMessage());
    }
    TextTable table;
    try {
      table = ExportedDatasetsTable.of(new ExportFileReader().read(Files.readString(exportFile,
          StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new CliException("cannot read back " + exportFile + ": " + e.getMessage());
    }
    if (!table.rows().isEmpty()) {
      table.lines(TextTable.Align.LEFT).forEach(context.out()::println);
    }
    return 0;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort: the error that brought us here is the one to report
    }
  }
}
