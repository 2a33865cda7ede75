package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.table.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ./autobutler query-collections}: butler's {@code query-collections}, answered by catalog-service. */
@Command(name = "query-collections", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Get the collections whose names match an expression.",
        "",
        "autobutler: GET /api/repositories/<REPO>/collections?glob=...&collection-type=...&chains=...; the table "
            + "is printed as the butler prints it (left-aligned), nothing at all when no collection matches."})
public class QueryCollectionsCommand extends RepoCommand {

  @Parameters(index = "1..*", paramLabel = "GLOB", arity = "0..*",
      description = "GLOB is one or more glob-style expressions that fully or partially identify the collections "
          + "to return.")
  List<String> globs = new ArrayList<>();

  @Option(names = "--collection-type", paramLabel = "[RUN|TAGGED|CHAINED|CALIBRATION]",
      description = "If provided, only list collections of this type.")
  List<CollectionType> collectionTypes = new ArrayList<>();

  @Option(names = "--chains", paramLabel = "[TABLE|INVERSE-TABLE|TREE|INVERSE-TREE|FLATTEN|NO-CHILDREN]",
      defaultValue = "TREE", converter = ChainsConverter.class,
      description = {
          "Affects how results are presented:",
          "TABLE lists each collection in table form, with columns for collection name and type, and a column that "
              + "lists children of CHAINED collections (if any CHAINED collections are found).",
          "INVERSE-TABLE is like TABLE but instead of a column listing CHAINED collection children, it lists the "
              + "parents of the collection if it is contained in any CHAINED collections.",
          "TREE recursively lists children below each CHAINED collection in tree form.",
          "INVERSE-TREE recursively lists parent collections below each collection in tree form.",
          "FLATTEN lists all collections, including children of CHAINED collections, in one list.",
          "NO-CHILDREN lists all collections in one list.  CHAINED collections are included, but they are not "
              + "expanded to include their children.",
          "[default: TREE]"})
  CollectionQuery.ChainsMode chains;

  /** {@code --chains}, case-insensitive, in the butler's spelling with hyphens. */
  static final class ChainsConverter implements ITypeConverter<CollectionQuery.ChainsMode> {
    @Override
    public CollectionQuery.ChainsMode convert(String value) {
      try {
        return CollectionQuery.ChainsMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  protected int run(Context context) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("glob", splitCommas(globs));
    query.put("collection-type", collectionTypes.stream().map(CollectionType::name).toList());
    query.put("chains", List.of(chainsName(chains)));
    TextTable table = table(context.client().get(context.path("collections"), query).body());
    if (!table.rows().isEmpty()) {
      table.lines(TextTable.Align.LEFT).forEach(context.out()::println);
    }
    return 0;
  }

  /** The mode as the butler and the REST query spell it: {@code INVERSE-TREE}. */
  static String chainsName(CollectionQuery.ChainsMode mode) {
    return mode.name().replace('_', '-').toUpperCase(Locale.ROOT);
  }

  /** A {@code {"headers": [...], "rows": [[...], ...]}} answer. */
  static TextTable table(JsonNode json) {
    List<String> headers = new ArrayList<>();
    json.path("headers").forEach(h -> headers.add(h.asText()));
    List<List<String>> rows = new ArrayList<>();
    json.path("rows").forEach(r -> {
      List<String> row = new ArrayList<>();
      r.forEach(v -> row.add(v.isNull() ? "" : v.asText()));
      rows.add(row);
    });
    return new TextTable(headers, rows);
  }
}
