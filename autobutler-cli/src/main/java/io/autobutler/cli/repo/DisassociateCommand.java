package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler disassociate}: daf_butler's {@code Registry.disassociate} as a command, done by catalog-service. */
@Command(name = "disassociate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Remove datasets from a tagged collection; searches for datasets with the options, as associate does, and "
            + "removes them from the TAGGED collection TAG. Datasets found that are not in TAG are ignored.",
        "",
        "autobutler extension: daf_butler's command line has no such command (its Python API has "
            + "Registry.disassociate, whose rules this follows: TAG must be an existing TAGGED collection). "
            + "POST /api/repositories/<REPO>/disassociate, in one transaction. Prints nothing."})
public class DisassociateCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "TAG", description = "The TAGGED collection to remove the datasets from.")
  String tag;

  @Parameters(index = "2..*", arity = "1..*", paramLabel = "DATASET_TYPE",
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
    AssociateCommand.postSelection(context, "disassociate", tag, datasetTypes, query, limit);
    return 0;
  }
}
