package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.core.table.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler query-dataset-types}: butler's {@code query-dataset-types}, answered by catalog-service. */
@Command(name = "query-dataset-types", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Get the dataset types in a repository.",
        "",
        "autobutler: GET /api/repositories/<REPO>/dataset-types?glob=...; printed as the butler prints them."})
public class QueryDatasetTypesCommand extends RepoCommand {

  static final String NO_RESULTS = "No results. Try --help for more information.";

  @Parameters(index = "1..*", paramLabel = "GLOB", arity = "0..*",
      description = "GLOB is one or more glob-style expressions that fully or partially identify the dataset types "
          + "to return.")
  List<String> globs = new ArrayList<>();

  @Option(names = {"-v", "--verbose"},
      description = "Include dataset type name, dimensions, and storage class in output.")
  boolean verbose;

  /** A dataset type as catalog-service lists it. */
  record DatasetTypeRow(String name, String storageClass, List<String> dimensions) {
  }

  @Override
  protected int run(Context context) {
    JsonNode reply = context.client().get(context.path("dataset-types"), Map.of("glob", splitCommas(globs))).body();
    List<DatasetTypeRow> types = new ArrayList<>();
    for (JsonNode t : reply) {
      List<String> dims = new ArrayList<>();
      t.path("dimensions").forEach(d -> dims.add(d.asText()));
      types.add(new DatasetTypeRow(t.path("name").asText(), t.path("storageClass").asText(), dims));
    }
    lines(types, verbose).forEach(context.out()::println);
    return 0;
  }

  /**
   * What the butler prints (daf_butler {@code script/queryDatasetTypes.py} and {@code cli/cmd/commands.py}): an
   * astropy table sorted by name, {@code pprint_all()} with its default right alignment; with {@code -v} the columns
   * {@code name}, {@code dimensions} (Python's {@code str(list(...))} of all dimensions, in universe order) and
   * {@code storage class}. No dataset type: a hint instead of a table.
   */
  static List<String> lines(List<DatasetTypeRow> types, boolean verbose) {
    if (types.isEmpty()) {
      return List.of(NO_RESULTS);
    }
    List<DatasetTypeRow> sorted = types.stream().sorted(Comparator.comparing(DatasetTypeRow::name)).toList();
    TextTable table = verbose
        ? new TextTable(List.of("name", "dimensions", "storage class"), sorted.stream()
            .map(t -> List.of(t.name(), pythonList(t.dimensions()), t.storageClass())).toList())
        : new TextTable(List.of("name"), sorted.stream().map(t -> List.of(t.name())).toList());
    return table.lines(TextTable.Align.RIGHT);
  }

  /** Python's {@code str(list_of_str)}: {@code ['a', 'b']}. */
  static String pythonList(List<String> items) {
    List<String> reprs = new ArrayList<>();
    for (String item : items) {
      reprs.add(pythonRepr(item));
    }
    return "[" + String.join(", ", reprs) + "]";
  }

  /** Python's {@code repr(str)} for printable text: single quotes unless the text has one and no double quote. */
  static String pythonRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(quote);
    for (char c : s.toCharArray()) {
      if (c == '\\' || c == quote) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append(quote).toString();
  }
}
