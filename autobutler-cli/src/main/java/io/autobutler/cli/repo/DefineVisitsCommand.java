package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler define-visits}: obs_base's {@code define-visits}, done by catalog-service. */
@Command(name = "define-visits", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Define visits from exposures in the butler registry.",
        "",
        "The calibration collection containing the camera geometry can not be specified.",
        "",
        "autobutler: POST /api/repositories/<REPO>/define-visits. Visits are defined as obs_base w.2025.20 does "
            + "(grouping one-to-one-and-by-counter, visit systems 0 and 2, regions from each exposure's boresight "
            + "and sky angle with the instrument's nominal camera geometry, 250 pixels of padding), in one "
            + "transaction: a run refused for differing visits writes nothing. Nothing on stdout; the butler's log "
            + "lines on stderr."})
public class DefineVisitsCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "INSTRUMENT",
      description = "The name or fully-qualified class name of an instrument.")
  String instrument;

  @Option(names = {"-C", "--config-file"}, paramLabel = "FILE",
      description = "Path to a pex_config override to be included after the Instrument config overrides are "
          + "applied. autobutler: not supported (the default configuration is always used).")
  String configFile;

  @Option(names = "--collections", paramLabel = "TEXT",
      description = "The collections to be searched (in order) for camera geometry. autobutler: they must exist; "
          + "the instrument's nominal camera geometry is used.")
  List<String> collections = new ArrayList<>();

  @Option(names = "--where", paramLabel = "TEXT", defaultValue = "",
      description = "A string expression similar to a SQL WHERE clause. May involve any column of a dimension table "
          + "or a dimension name as a shortcut for the primary key column of a dimension table.")
  String where;

  @Option(names = "--update-records", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Use this option to force updates to the visit definition record. Should only be used if you "
          + "know that there has been a change to the exposure records, such as a change to the metadata "
          + "translator.")
  boolean updateRecords;

  @Option(names = "--incremental", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Use this option to force updates to the visit definition record when multi-snap visits are "
          + "being ingested incrementally and so you might encounter partial visits.  Implies --update-records.")
  boolean incremental;

  @Option(names = "--skip-conflicting", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Use this option to skip over any visits that are currently defined with a different value and "
          + "you are not sure whether to accept the new value. Ignored if incremental or update mode is enabled. "
          + "autobutler: this option comes from obs_base v30.0.2 (DM-54045); w.2025.20 has no such "
          + "option.")
  boolean skipConflicting;

  @Override
  protected int run(Context context) {
    if (configFile != null) {
      throw new CliException("--config-file is not supported: autobutler defines visits with obs_base's default "
          + "configuration only");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instrument", instrument);
    body.put("collections", splitCommas(collections));
    body.put("where", where.isEmpty() ? null : where);
    body.put("updateRecords", updateRecords);
    body.put("incremental", incremental);
    body.put("skipConflicting", skipConflicting);
    JsonNode reply = context.client().post(context.path("define-visits"), body).body();
    for (JsonNode line : reply.path("log")) {
      QueryDatasetsCommand.log(context.err(), line.path("logger").asText(), line.path("level").asText(),
          line.path("message").asText());
    }
    context.err().flush();
    return 0;
  }
}
