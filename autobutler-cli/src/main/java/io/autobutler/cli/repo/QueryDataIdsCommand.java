package io.autobutler.cli.repo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.core.table.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler query-data-ids}: butler's {@code query-data-ids}, answered by catalog-service. */
@Command(name = "query-data-ids", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "List the data IDs in a repository.",
        "",
        "autobutler: GET /api/repositories/<REPO>/data-ids (query parameters dimensions, datasets, collections, "
            + "where, bind, orderBy, limit, offset); the table is printed as the butler prints it (right-aligned), "
            + "or the butler's reason and 'No results' line."})
public class QueryDataIdsCommand extends RepoCommand {

  /** The logger of daf_butler's {@code script/queryDataIds.py}, as its log lines name it. */
  static final String LOGGER = "lsst.daf.butler.script.queryDataIds";
  static final String NO_RESULTS = "No results. Try --help for more information.";
  static final String NOTHING_REQUESTED = "No results. Try requesting some dimensions or datasets, see --help for "
      + "more information.";

  @Parameters(index = "1..*", paramLabel = "DIMENSIONS", arity = "0..*",
      description = "DIMENSIONS are the keys of the data IDs to yield, such as exposure, instrument, or tract. Will "
          + "be expanded to include any dependencies.")
  List<String> dimensions = new ArrayList<>();

  @Option(names = "--collections", paramLabel = "TEXT",
      description = "One or more expressions that fully or partially identify the collections to search for "
          + "datasets. If not provided all datasets are returned. May only be used with --datasets.")
  List<String> collections = new ArrayList<>();

  @Option(names = "--datasets", paramLabel = "TEXT",
      description = "An expression that fully or partially identifies dataset types that should constrain the "
          + "yielded data IDs.  For example, including \"raw\" here would constrain the yielded \"instrument\", "
          + "\"exposure\", \"detector\", and \"physical_filter\" values to only those for which at least one \"raw\" "
          + "dataset exists in \"collections\".  Requires --collections.")
  String datasets;

  @Option(names = "--where", paramLabel = "TEXT", defaultValue = "",
      description = "A string expression similar to a SQL WHERE clause. May involve any column of a dimension table "
          + "or a dimension name as a shortcut for the primary key column of a dimension table.")
  String where;

  @Option(names = "--order-by", paramLabel = "TEXT",
      description = "One or more comma-separated names used to order records. Names can be dimension names, "
          + "metadata field names, or \"timespan.begin\" / \"timespan.end\" for temporal dimensions. To reverse "
          + "ordering for a name, prefix it with a minus sign.")
  List<String> orderBy = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "INTEGER", defaultValue = "-20000",
      description = "Limit the number of results that are processed. 0 means no limit. A negative value specifies a "
          + "cap where a warning will be issued if the cap is hit. Default value is -20000.")
  int limit;

  @Option(names = "--offset", paramLabel = "INTEGER", defaultValue = "0",
      description = "Skip initial number of records, only used when --limit is specified.")
  int offset;

  @Option(names = "--bind", paramLabel = "NAME=VALUE",
      description = "autobutler (not in the butler's command line at w.2025.20): a value for a bind name of "
          + "--where; integers stay integers. May be repeated.")
  List<String> binds = new ArrayList<>();

  @Override
  protected int run(Context context) {
    List<String> requested = splitCommas(dimensions);
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("dimensions", requested);
    QueryDimensionRecordsCommand.addQueryParameters(parameters, datasets, collections, where, binds, orderBy, limit,
        offset);
    JsonNode reply = context.client().get(context.path("data-ids"), parameters).body();

    reply.path("warnings").forEach(w -> QueryDatasetsCommand.log(context.err(), LOGGER, "WARNING", w.asText()));
    context.err().flush();
    PrintWriter out = context.out();
    JsonNode table = reply.path("table");
    if (table.isObject()) {
      QueryCollectionsCommand.table(table).lines(TextTable.Align.RIGHT).forEach(out::println);
    } else {
      String reason = reply.path("reason").asText("");
      if (!reason.isEmpty()) {
        out.println(reason);
      }
      out.println(requested.isEmpty() && datasets == null ? NOTHING_REQUESTED : NO_RESULTS);
    }
    out.flush();
    return 0;
  }
}
