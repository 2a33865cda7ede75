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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./autobutler register-skymap}: pipe_tasks' {@code register-skymap}, done by catalog-service. */
@Command(name = "register-skymap", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Make a SkyMap and add it to a repository.",
        "",
        "autobutler: the config file is read here and its text sent with POST "
            + "/api/repositories/<REPO>/register-skymap: the skymap record, every tract and patch record with its "
            + "region (lsst_cells_v1: 18938 tracts and 1893800 patches, loaded in bulk in the same transaction), "
            + "the RUN 'skymaps', the dataset type 'skyMap' and its dataset (the pickled skymap file is not "
            + "written). Nothing on stdout, as the butler; what was written is logged on stderr. Running it again "
            + "changes nothing."})
public class RegisterSkymapCommand extends RepoCommand {

  @Option(names = {"-c", "--config"}, paramLabel = "TEXT=TEXT",
      description = "Config override, as a key-value pair. autobutler: not supported yet; put the settings in the "
          + "--config-file.")
  List<String> config = new ArrayList<>();

  @Option(names = {"-C", "--config-file"}, paramLabel = "TEXT",
      description = "URI to a config file overrides file. autobutler: a file of this machine; required, as there "
          + "is no default skymap.")
  String configFile;

  @Override
  protected int run(Context context) {
    if (!config.isEmpty()) {
      throw new CliException("-c/--config overrides are not supported yet: put " + String.join(", ", config)
          + " in the --config-file");
    }
    if (configFile == null) {
      throw new CliException("--config-file is required: autobutler has no default skymap (the butler's default "
          + "config has no name either: 'The name field must be set')");
    }
    Path file = ImportCommand.localPath(configFile).orElseThrow(() -> new CliException("the config file '"
        + configFile + "' is not a local file: autobutler reads it on this machine"));
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the config file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("config", text);
    body.put("source", file.getFileName() == null ? configFile : file.getFileName().toString());
    JsonNode reply = context.client().post(context.path("register-skymap"), body).body();
    RegisterInstrumentCommand.logSummary(context, reply);
    return 0;
  }
}
