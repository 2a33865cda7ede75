package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * The butler's {@code query_datasets_options} that {@code query-datasets} and {@code associate} share:
 * {@code --collections}, {@code --where}, {@code --find-first}. Each command keeps its own {@code --limit}, whose
 * default differs.
 */
public class DatasetQueryOptions {

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

  /** The collections, split on commas as the butler splits them. */
  List<String> searched() {
    return RepoCommand.splitCommas(collections);
  }

  /** The expression, or null when none was given. */
  String whereOrNull() {
    return where == null || where.isEmpty() ? null : where;
  }
}
