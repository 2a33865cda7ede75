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

/** {@code ./autobutler query-dimension-records}: butler's {@code query-dimension-records}, answered by catalog-service. */
@Command(name = "query-dimension-records", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Query for dimension information.",
        "",
        "autobutler: GET /api/repositories/<REPO>/dimension-records/<ELEMENT> (query parameters datasets, "
            + "collections, where, bind, orderBy, limit, offset); the table is printed as the butler prints it "
            + "(right-aligned, timespans in TAI, regions elided), or 'No results. Try --help for more information.'"})
public class QueryDimensionRecordsCommand extends RepoCommand {

  /** The logger of daf_butler's {@code script/queryDimensionRecords.py}, as its log lines name it. */
  static final String LOGGER = "lsst.daf.butler.script.queryDimensionRecords";
  static final String NO_RESULTS = "No results. Try --help for more information.";
  static final String NO_CHECK = "WARNING: --no-check option has no effect and will be removed after v28.";

  @Parameters(index = "1", paramLabel = "ELEMENT", description = "ELEMENT is the dimension element to obtain.")
  String element;

  @Option(names = "--datasets", paramLabel = "TEXT",
      description = "An expression that fully or partially identifies dataset types that should constrain the "
          + "yielded records. May only be used with --collections.")
  String datasets;

  @Option(names = "--collections", paramLabel = "TEXT",
      description = "One or more expressions that fully or partially identify the collections to search for "
          + "datasets. If not provided all datasets are returned. May only be used with --datasets.")
  List<String> collections = new ArrayList<>();

  @Option(names = "--where", paramLabel = "TEXT", defaultValue = "",
      description = "A string expression similar to a SQL WHERE clause. May involve any column of a dimension table "
          + "or a dimension name as a shortcut for the primary key column of a dimension table.")
  String where;

  @Option(names = "--order-by", paramLabel = "TEXT",
      description = "One or more comma-separated names used to order records. Names can be dimension names, "
          + "metadata field names, or \"timespan.begin\" / \"timespan.end\" for temporal dimensions. In some cases "
          + "the dimension for a metadata field or timespan bound can be inferred, but usually qualifying these "
          + "with \"<dimension>.<field>\" is necessary. To reverse ordering for a name, prefix it with a minus sign.")
  List<String> orderBy = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "INTEGER", defaultValue = "-20000",
      description = "Limit the number of results that are processed. 0 means no limit. A negative value specifies a "
          + "cap where a warning will be issued if the cap is hit. Default value is -20000.")
  int limit;

  @Option(names = "--offset", paramLabel = "INTEGER", defaultValue = "0",
      description = "Skip initial number of records, only used when --limit is specified.")
  int offset;

  @Option(names = "--no-check",
      description = "Don't check the query before execution. By default the query is checked before it executed, "
          + "this may reject some valid queries that resemble common mistakes.")
  boolean noCheck;

  @Option(names = "--bind", paramLabel = "NAME=VALUE",
      description = "autobutler (not in the butler's command line at w.2025.20): a value for a bind name of "
          + "--where, e.g. --bind day=20241126 with --where \"day_obs = :day\"; integers stay integers. May be "
          + "repeated.")
  List<String> binds = new ArrayList<>();

  @Override
  protected int run(Context context) {
    PrintWriter out = context.out();
    if (noCheck) {
      // click.echo: on standard output, before anything else
      out.println(NO_CHECK);
      out.flush();
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    addQueryParameters(parameters, datasets, collections, where, binds, orderBy, limit, offset);
    JsonNode reply = context.client().get(
        context.path("dimension-records/" + CatalogClient.pathSegment(element)), parameters).body();

    reply.path("warnings").forEach(w -> QueryDatasetsCommand.log(context.err(), LOGGER, "WARNING", w.asText()));
    context.err().flush();
    TextTable table = QueryCollectionsCommand.table(reply.path("table"));
    if (table.rows().isEmpty()) {
      out.println(NO_RESULTS);
    } else {
      table.lines(TextTable.Align.RIGHT).forEach(out::println);
    }
    out.flush();
    return 0;
  }

  /** The query parameters query-dimension-records and query-data-ids share, as catalog-service names them. */
  static void addQueryParameters(Map<String, List<String>> parameters, String datasets, List<String> collections,
                                 String where, List<String> binds, List<String> orderBy, int limit, int offset) {
    parameters.put("datasets", datasets == null ? List.of() : List.of(datasets));
    parameters.put("collections", splitCommas(collections));
    parameters.put("where", where == null || where.isEmpty() ? List.of() : List.of(where));
    parameters.put("bind", binds);
    parameters.put("orderBy", splitCommas(orderBy));
    parameters.put("limit", List.of(Integer.toString(limit)));
    parameters.put("offset", List.of(Integer.toString(offset)));
  }
}
