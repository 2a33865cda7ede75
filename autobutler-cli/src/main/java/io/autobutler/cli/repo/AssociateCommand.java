package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin
  DatasetQueryOptions query;

  @Option(names = "--limit", paramLabel = "INTEGER", defaultValue = "0",
      description = "Limit the number of results that are processed. 0 means no limit. A negative value specifies a "
          + "cap where a warning will be issued if the cap is hit. Default value is 0.")
  int limit;

  @Override
  protected int run(Context context) {
    postSelection(context, "associate", collection, datasetTypes, query, limit);
    return 0;
  }

  /**
   * What associate and disassociate send: the TAGGED collection and the dataset query whose results go in or out,
   * after the butler's FutureWarnings for a query without collections or dataset types.
   */
  static void postSelection(Context context, String endpoint, String collection, List<String> datasetTypes,
                            DatasetQueryOptions query, int limit) {
    List<String> types = splitCommas(datasetTypes);
    List<String> searched = query.searched();
    QueryDatasetsCommand.futureWarnings(context.err(), searched, types);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("collection", collection);
    body.put("datasetTypes", types);
    body.put("collections", searched);
    body.put("where", query.whereOrNull());
    body.put("findFirst", query.findFirst);
    body.put("limit", limit);
    context.client().post(context.path(endpoint), body);
  }
}
