package io.autobutler.cli.repo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler query-datasets}: butler's {@code query-datasets}, answered by catalog-service. */
@Command(name = "query-datasets", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "List the datasets in a repository.",
        "",
        "autobutler: GET /api/repositories/<REPO>/datasets as text/plain (query parameters datasetType, collections, "
            + "where, bind, findFirst, limit, showUri); each dataset type's table is printed as the butler prints it "
            + "(a blank line, then the table right-aligned), and one blank line after the last, so that one dataset "
            + "type gives 4 lines besides its rows. Warnings go to stderr as the butler logs them."})
public class QueryDatasetsCommand extends RepoCommand {

  /** The logger of daf_butler's {@code script/queryDatasets.py}, as its log lines name it. */
  static final String LOGGER = "lsst.daf.butler.script.queryDatasets";
  static final String NO_COLLECTIONS = "No --collections specified.  The --collections argument will become "
      + "mandatory after v28.";
  static final String NO_DATASET_TYPES = "No dataset types specified.  Explicitly specifying dataset types will "
      + "become mandatory after v28. Specify '*' to match the current behavior of querying all dataset types.";
  static final String LIMIT_HIT = "Requested limit of ";

  @Parameters(index = "1..*", paramLabel = "GLOB", arity = "0..*",
      description = "GLOB is one or more glob-style expressions that fully or partially identify the dataset type "
          + "names to be queried.")
  List<String> globs = new ArrayList<>();

  @Mixin
  DatasetQueryOptions query;

  @Option(names = "--limit", paramLabel = "INTEGER", defaultValue = "-20000",
      description = "Limit the number of results that are processed. 0 means no limit. A negative value specifies a "
          + "cap where a warning will be issued if the cap is hit. Default value is -20000.")
  int limit;

  @Option(names = "--show-uri", description = "Show the dataset URI in results.")
  boolean showUri;

  @Option(names = "--bind", paramLabel = "NAME=VALUE",
      description = "autobutler (not in the butler's command line at w.2025.20): a value for a bind name of "
          + "--where, e.g. --bind obs_type=science with --where \"exposure.observation_type = obs_type\"; integers "
          + "stay integers. May be repeated.")
  List<String> binds = new ArrayList<>();

  @Override
  protected int run(Context context) {
    List<String> types = splitCommas(globs);
    List<String> searched = query.searched();
    futureWarnings(context.err(), searched, types);

    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("datasetType", types);
    parameters.put("collections", searched);
    parameters.put("where", query.whereOrNull() == null ? List.of() : List.of(query.whereOrNull()));
    parameters.put("bind", binds);
    parameters.put("findFirst", query.findFirst ? List.of("true") : List.of());
    parameters.put("limit", List.of(Integer.toString(limit)));
    parameters.put("showUri", showUri ? List.of("true") : List.of());
    // The service renders the tables: formatting 20,000 rows would cost a new JVM about a second.
    CatalogClient.TextReply reply = context.client().getText(context.path("datasets"), parameters);

    // as in the butler: a missing dataset type is logged (at INFO) before any table, the limit warning after them
    List<String> warnings = reply.warnings();
    warnings.stream().filter(w -> !w.startsWith(LIMIT_HIT)).forEach(w -> log(context.err(), LOGGER, "INFO", w));
    context.err().flush();
    PrintWriter out = context.out();
    out.write(reply.text());
    out.flush();
    warnings.stream().filter(w -> w.startsWith(LIMIT_HIT)).forEach(w -> log(context.err(), LOGGER, "WARNING", w));
    context.err().flush();
    return 0;
  }

  /**
   * The FutureWarnings daf_butler's {@code QueryDatasets} raises without {@code --collections} or without dataset
   * types (the butler routes Python warnings to the {@code py.warnings} logger; autobutler leaves out the Python
   * file, line and source line that the butler's line carries).
   */
  static void futureWarnings(PrintWriter err, List<String> collections, List<String> datasetTypes) {
    if (collections.isEmpty()) {
      log(err, "py.warnings", "WARNING", "FutureWarning: " + NO_COLLECTIONS);
    }
    if (datasetTypes.isEmpty()) {
      log(err, "py.warnings", "WARNING", "FutureWarning: " + NO_DATASET_TYPES);
    }
  }

  /** A log line as the butler's command line writes it on stderr: {@code <logger> <LEVEL>: <message>}. */
  static void log(PrintWriter err, String logger, String level, String message) {
    err.println(logger + " " + level + ": " + message);
  }
}
