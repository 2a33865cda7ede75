package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler associate}: butler's {@code associate}, done by catalog-service. */
@Command(name = "associate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Add existing datasets to a tagged collection; searches for datasets with the options and adds them to the "
            + "named COLLECTION.",
        "",
        "autobutler: POST /api/repositories/<REPO>/associate, which registers COLLECTION as TAGGED if needed, finds "
            + "the datasets as query-datasets does and adds them, in one transaction. Prints nothing, as the "
            + "butler."})
public class AssociateCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "COLLECTION",
      description = "COLLECTION is the collection the datasets should be associated with.")
  String collection;

  @Option(names = {"-d", "--dataset-type"}, paramLabel = "TEXT",
      description = "One or more glob-style expressions that fully or partially identify the dataset type names to "
          + "be queried.")
  List<String> datasetTypes = new ArrayList<>();

  @Option(names = "--collections", paramLabel = "TEXT",
      description = "One or more expressions that fully or partially identify the collections to search for "
          + "datasets. If not provided all datasets are returned.")
  List<String> collections = new ArrayList<>();

  @Option(names = "--where", paramLabel = "TEXT", defaultValue = "",
      description = "A string expression similar to a SQL WHERE clause. May involve any column of a dimension table "
          + "or a dimension name as a shortcut for the primary key column of a dimension table.")
  String where;

  @Option(names = "--find-first", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "For each result data ID, only yield one DatasetRef of each DatasetType, from the first "
          + "collection in which a dataset of that dataset type appears (according to the order of 'collections' "
          + "passed in).  If used, 'collections' must specify at least one expression and must not contain "
          + "wildcards.")
  boolean findFirst;

  @Option(names = "--limit", paramLabel = "INTEGER", defaultValue = "0",
      description = "Limit the number of results that are processed. 0 means no limit. A negative value specifies a "
          + "cap where a warning will be issued if the cap is hit. Default value is 0.")
  int limit;

  @Override
  protected int run(Context context) {
    List<String> types = splitCommas(datasetTypes);
    List<String> searched = splitCommas(collections);
    QueryDatasetsCommand.futureWarnings(context.err(), searched, types);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("collection", collection);
    body.put("datasetTypes", types);
    body.put("collections", searched);
    body.put("where", where == null || where.isEmpty() ? null : where);
    body.put("findFirst", findFirst);
    body.put("limit", limit);
    context.client().post(context.path("associate"), body);
    return 0;
  }
}
