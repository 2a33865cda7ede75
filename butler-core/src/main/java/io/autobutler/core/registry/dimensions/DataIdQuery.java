package io.autobutler.core.registry.dimensions;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.query.expr.ExpressionParser;
import io.autobutler.core.query.expr.Node;
import io.autobutler.core.query.expr.QueryContext;
import io.autobutler.core.query.expr.SqlPredicate;
import io.autobutler.core.query.expr.SqlTranslator;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionManager;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.table.TextTable;

/**
 * {@code butler query-data-ids}: the distinct data IDs of some dimensions, as daf_butler w.2025.20's
 * {@code script/queryDataIds.py} builds its table: the columns are the data ID's keys (required, then implied),
 * rows sorted as {@code sortAstropyTable} sorts them unless {@code --order-by} is given. With {@code --datasets},
 * only data IDs related to a dataset of that type in the collections (all when none) are kept; with
 * {@code --datasets} and {@code --collections} and no dimensions, the dataset type's dimensions are used. The
 * {@code --where} expression may name other dimensions, which widens the query.
 */
public final class DataIdQuery {

  private final DimensionUniverse universe = DimensionUniverse.v7();
  private final DatasetQuery datasetQuery = new DatasetQuery();

  /** What to look for; as {@link DimensionRecordQuery.Request}, with dimensions instead of an element. */
  public record Request(List<String> dimensions, List<String> datasets, List<String> collections, String where,
                        Map<String, Object> binds, List<String> orderBy, int limit, int offset) {
  }

  /**
   * The table (null when there is none), the warnings the butler would log, and, without a table, the reason the
   * butler prints (null when it prints none).
   */
  public record Result(TextTable table, List<String> warnings, String reason) {
  }

  public Result query(Connection c, Request request) throws SQLException {
    if (request.offset() != 0) {
      throw new RegistryException(INVALID_ARGUMENT, DimensionRecordQuery.OFFSET_ERROR);
    }
    List<String> requested = new ArrayList<>(request.dimensions() == null ? List.of() : request.dimensions());
    for (String name : requested) {
      if (!universe.isDimension(name)) {
        throw new RegistryException(INVALID_ARGUMENT, "Unknown dimension '" + name + "'");
      }
    }
    boolean withDatasets = request.datasets() != null && !request.datasets().isEmpty();
    DatasetType type = null;
    DatasetQuery.Members members = null;
    if (withDatasets) {
      List<DatasetType> types = datasetQuery.resolveTypes(c, request.datasets(), new ArrayList<>());
      if (types.size() > 1) {
        throw new RegistryException(INVALID_ARGUMENT, "--datasets matches " + types.size() + " dataset types ("
            + types.stream().map(DatasetType::name).collect(Collectors.joining(", ")) + "); autobutler relates"
            + " data IDs to one dataset type at a time");
      }
      boolean collectionsGiven = request.collections() != null && !request.collections().isEmpty();
      if (types.isEmpty() && requested.isEmpty() && collectionsGiven) {
        return new Result(null, List.of(), "No dimensions in common for specified dataset types ([])");
      }
      if (!types.isEmpty()) {
        type = types.get(0);
        members = datasetQuery.members(datasetQuery.searchPath(c, request.collections(), false), type);
        if (requested.isEmpty() && collectionsGiven) {
          requested.addAll(type.dimensions().names());
          if (requested.isEmpty()) {
            return new Result(null, List.of(), "No dimensions in common for specified dataset types (['"
                + type.name() + "'])");
          }
        }
      }
      if (type == null || members.sql().isEmpty()) {
        return new Result(null, List.of(), "No datasets of type " + pythonRepr(String.join(",", request.datasets()))
            + " existed in the specified collections " + String.join(",", expandedCollections(c,
            collectionsGiven ? request.collections() : List.of("*"))) + ".");
      }
    }
    DimensionGroup dimensions = universe.group(requested);
    Node where = ExpressionParser.parse(request.where() == null ? "" : request.where()).orElse(null);
    Map<String, Object> binds = request.binds() == null ? Map.of() : request.binds();
    QueryContext context;
    if (type != null) {
      List<String> all = new ArrayList<>(type.dimensions().names());
      all.addAll(dimensions.names());
      context = datasetQuery.datasetContext(type, universe.group(all), binds,
          "SELECT run_collection.name FROM collection AS run_collection"
              + " WHERE run_collection.collection_id = d.run_id");
    } else if (!dimensions.isEmpty()) {
      context = QueryContext.forElement(universe, root(dimensions), dimensions.names()).binds(binds).build();
    } else {
      return new Result(null, List.of(), "Result has one logical row but no columns because no dimensions were"
          + " requested.");
    }
    context = context.widenedFor(where);
    SqlPredicate predicate = SqlTranslator.translate(where, context);
    if (dimensions.isEmpty()) {
      return new Result(null, List.of(), exists(c, context, members, predicate)
          ? "Result has one logical row but no columns because no dimensions were requested." : null);
    }

    List<String> keys = dimensions.dataCoordinateKeys();
    Set<String> joins = new LinkedHashSet<>();
    List<String> columns = new ArrayList<>();
    for (String key : keys) {
      columns.add(context.dimensionSql(key, joins));
    }
    joins.addAll(predicate.elementsToJoin());
    joins.addAll(context.relationshipElements());
    List<SqlTranslator.OrderTerm> order = new ArrayList<>();
    for (String term : request.orderBy() == null ? List.<String>of() : request.orderBy()) {
      order.add(DimensionRecordQuery.orderTerm(term, context));
    }
    order.forEach(o -> joins.addAll(o.elementsToJoin()));

    StringBuilder inner = new StringBuilder("SELECT DISTINCT ON (").append(String.join(", ", columns)).append(") ");
    for (int i = 0; i < columns.size(); i++) {
      inner.append(i == 0 ? "" : ", ").append(columns.get(i)).append(" AS k").append(i);
    }
    for (int i = 0; i < order.size(); i++) {
      inner.append(", ").append(order.get(i).sql()).append(" AS o").append(i);
    }
    inner.append(from(context, members)).append(joinsAndWhere(context, joins, predicate));
    List<String> sortKeys = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      sortKeys.add("q.o" + i + (order.get(i).descending() ? " DESC" : ""));
    }
    List<String> byDataId = order.isEmpty() ? DatasetQuery.sortOrder(universe, keys) : keys;
    for (String key : byDataId) {
      boolean text = universe.element(key).map(DimensionElement::keyType).orElse(FieldType.STRING) != FieldType.INT;
      sortKeys.add("q.k" + keys.indexOf(key) + (text ? " COLLATE \"C\"" : ""));
    }
    StringBuilder sql = new StringBuilder("SELECT ")
        .append(IntStream.range(0, keys.size()).mapToObj(i -> "q.k" + i).collect(Collectors.joining(", ")))
        .append(" FROM (").append(inner).append(") q ORDER BY ").append(String.join(", ", sortKeys));
    if (request.limit() != 0) {
      sql.append(" LIMIT ").append(Math.abs((long) request.limit()) + (request.limit() < 0 ? 1 : 0));
    }
    List<List<String>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      predicate.bind(ps, members == null ? 1 : members.bind(c, ps, 1));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= keys.size(); i++) {
            row.add(String.valueOf(rs.getObject(i)));
          }
          rows.add(row);
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    if (request.limit() < 0 && rows.size() > -request.limit()) {
      rows.remove(rows.size() - 1);
      warnings.add(DimensionRecordQuery.LIMIT_WARNING + (-request.limit()));
    }
    return new Result(rows.isEmpty() ? null : new TextTable(keys, rows), warnings, null);
  }

  /** The element whose table holds most of the dimensions' keys (the last in universe order on a tie). */
  private String root(DimensionGroup dimensions) {
    return universe.elements().stream()
        .filter(e -> e.isDimension() && dimensions.names().contains(e.name()) && (e.hasTable()
            || e.name().equals("band")))
        .max(Comparator.<DimensionElement>comparingInt(e -> coverage(e, dimensions))
            .thenComparingInt(e -> universe.sortIndex(e.name())))
        .map(DimensionElement::name)
        .orElseThrow(() -> new RegistryException(INVALID_ARGUMENT, "Data IDs of " + dimensions.names()
            + " cannot be listed: skypix dimensions have no records in the registry"));
  }

  private int coverage(DimensionElement element, DimensionGroup dimensions) {
    Set<String> covered = new LinkedHashSet<>(element.required());
    covered.add(element.name());
    covered.addAll(element.implied());
    covered.retainAll(dimensions.names());
    return covered.size();
  }

  private static String from(QueryContext context, DatasetQuery.Members members) {
    if (members != null) {
      return " FROM (" + members.sql() + ") AS m(id, rank, collection_id) JOIN dataset d ON d.id = m.id";
    }
    String root = context.rootElement().orElseThrow();
    return " FROM " + DimensionRecordManager.quote(root) + " AS " + context.elementAlias(root);
  }

  private static String joinsAndWhere(QueryContext context, Set<String> joins, SqlPredicate predicate) {
    String clauses = context.joinClauses(joins);
    return (clauses.isEmpty() ? "" : " " + clauses) + (predicate.isTrue() ? "" : " WHERE " + predicate.sql());
  }

  /** Whether the query has a row at all (for a query without dimensions). */
  private static boolean exists(Connection c, QueryContext context, DatasetQuery.Members members,
                                SqlPredicate predicate) throws SQLException {
    Set<String> joins = new LinkedHashSet<>(predicate.elementsToJoin());
    joins.addAll(context.relationshipElements());
    String sql = "SELECT EXISTS (SELECT 1" + from(context, members) + joinsAndWhere(context, joins, predicate) + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      predicate.bind(ps, members == null ? 1 : members.bind(c, ps, 1));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** The collections that names and globs match, chains not flattened (daf_butler's {@code query_info}). */
  private static List<String> expandedCollections(Connection c, List<String> expressions) throws SQLException {
    Set<String> all = new java.util.TreeSet<>(new CollectionManager().all(c).keySet());
    Set<String> matched = new LinkedHashSet<>();
    for (String expression : expressions) {
      java.util.regex.Pattern glob = CollectionQuery.globToRegex(expression);
      all.stream().filter(n -> glob.matcher(n).matches()).forEach(matched::add);
    }
    return List.copyOf(matched);
  }

  /** Python's {@code repr} of a string without quotes or backslashes inside: in single quotes. */
  private static String pythonRepr(String text) {
    return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
  }
}
