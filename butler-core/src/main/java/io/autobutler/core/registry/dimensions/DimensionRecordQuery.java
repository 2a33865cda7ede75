package io.autobutler.core.registry.dimensions;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.query.expr.ExpressionParser;
import io.autobutler.core.query.expr.Node;
import io.autobutler.core.query.expr.QueryContext;
import io.autobutler.core.query.expr.SqlPredicate;
import io.autobutler.core.query.expr.SqlTranslator;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.table.TextTable;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import io.autobutler.core.transfer.PythonFloats;

/**
 * {@code butler query-dimension-records}: the records of one dimension element, as daf_butler w.2025.20's
 * {@code script/queryDimensionRecords.py} builds its table.
 *
 * <ul>
 *   <li>Columns are the record's fields in daf_butler's order (required dimensions, the element's key, implied
 *       dimensions in universe order, alternate keys, metadata, {@code region}, then {@code timespan} headed
 *       {@code timespan (TAI)}).</li>
 *   <li>Values as astropy prints them: {@code None} for null, Python's float repr, {@code True}/{@code False},
 *       {@code 0x}+hex for hashes, {@code (elided)} for a region, and a timespan as {@code str(Timespan)}:
 *       {@code [2024-11-09T01:00:00, 2024-11-10T12:00:00)} in TAI, {@code (-∞, } / {@code ∞)} when unbounded.</li>
 *   <li>Rows sorted by data ID (the required dimension values), unless {@code --order-by} is given.</li>
 *   <li>{@code --datasets} keeps the records related to a dataset of that type in the collections (all when
 *       none are given); {@code --collections} alone has no effect, as in the butler.</li>
 *   <li>The {@code --where} expression may name dimensions outside the element's, which widens the query (records
 *       of exposure with {@code visit = 42} go through visit_definition).</li>
 * </ul>
 */
public final class DimensionRecordQuery {

  /** daf_butler's warning when a negative limit is hit (logged by {@code script/queryDimensionRecords.py}). */
  public static final String LIMIT_WARNING = "More data IDs are available than the request limit of ";
  /** daf_butler's error for a non-zero {@code --offset}. */
  public static final String OFFSET_ERROR = "--offset is no longer supported.  It will be removed after v28.";

  private final DimensionUniverse universe = DimensionUniverse.v7();
  private final DatasetQuery datasetQuery = new DatasetQuery();

  /**
   * What to look for. {@code limit}: 0 unlimited, positive exact, negative a cap that warns when hit.
   *
   * @param datasets    dataset type names or globs that the records must be related to (none: no constraint)
   * @param collections where to look for those datasets (none: every collection)
   * @param orderBy     column names, {@code -} for descending (daf_butler's {@code --order-by})
   */
  public record Request(String element, List<String> datasets, List<String> collections, String where,
                        Map<String, Object> binds, List<String> orderBy, int limit, int offset) {
  }

  /** The table (no rows when nothing matched) and the warnings the butler would log. */
  public record Result(TextTable table, List<String> warnings) {
  }

  public Result query(Connection c, Request request) throws SQLException {
    if (request.offset() != 0) {
      throw new RegistryException(INVALID_ARGUMENT, OFFSET_ERROR);
    }
    DimensionElement element = element(request.element());
    List<String> columns = displayOrder(element);
    TextTable empty = new TextTable(headers(columns), List.of());
    Node where = ExpressionParser.parse(request.where() == null ? "" : request.where()).orElse(null);
    Map<String, Object> binds = request.binds() == null ? Map.of() : request.binds();

    QueryContext context;
    DatasetQuery.Members members = null;
    if (request.datasets() == null || request.datasets().isEmpty()) {
      context = QueryContext.forElement(universe, element.name()).binds(binds).build();
    } else {
      List<DatasetType> types = datasetQuery.resolveTypes(c, request.datasets(), new ArrayList<>());
      if (types.isEmpty()) {
        return new Result(empty, List.of());
      }
      if (types.size() > 1) {
        throw new RegistryException(INVALID_ARGUMENT, "--datasets matches " + types.size() + " dataset types ("
            + types.stream().map(DatasetType::name).collect(Collectors.joining(", ")) + "); autobutler relates"
            + " dimension records to one dataset type at a time");
      }
      DatasetType type = types.get(0);
      members = datasetQuery.members(datasetQuery.searchPath(c, request.collections(), false), type);
      if (members.sql().isEmpty()) {
        return new Result(empty, List.of());
      }
      List<String> dimensions = new ArrayList<>(type.dimensions().names());
      dimensions.addAll(element.required());
      if (element.isDimension()) {
        dimensions.add(element.name());
      }
      String runSql = "SELECT run_collection.name FROM collection AS run_collection"
          + " WHERE run_collection.collection_id = d.run_id";
      context = datasetQuery.datasetContext(type, universe.group(dimensions), binds, runSql);
    }
    context = context.widenedFor(where);
    SqlPredicate predicate = SqlTranslator.translate(where, context);
    Set<String> joins = new LinkedHashSet<>();
    if (members != null) {
      joins.add(element.name());
    }
    joins.addAll(predicate.elementsToJoin());
    joins.addAll(context.relationshipElements());
    List<SqlTranslator.OrderTerm> order = new ArrayList<>();
    for (String term : request.orderBy() == null ? List.<String>of() : request.orderBy()) {
      order.add(orderTerm(term, context));
    }
    order.forEach(o -> joins.addAll(o.elementsToJoin()));

    String sql = sql(element, columns, context, members, predicate, joins, order, request.limit());
    List<List<String>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int index = members == null ? 1 : members.bind(c, ps, 1);
      predicate.bind(ps, index);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 0; i < columns.size(); i++) {
            row.add(display(columns.get(i), rs.getObject(i + 1)));
          }
          rows.add(row);
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    if (request.limit() < 0 && rows.size() > -request.limit()) {
      rows.remove(rows.size() - 1);
      warnings.add(LIMIT_WARNING + (-request.limit()));
    }
    return new Result(new TextTable(headers(columns), rows), warnings);
  }

  /** The element named, if it has records in the registry. */
  private DimensionElement element(String name) {
    DimensionElement element = universe.element(name == null ? "" : name).orElseThrow(() -> new RegistryException(
        INVALID_ARGUMENT, "Unknown dimension element '" + name + "'; the elements of universe "
        + DimensionUniverse.NAMESPACE + " " + DimensionUniverse.VERSION + " with records are: "
        + universe.elements().stream().filter(e -> e.hasTable() || e.name().equals("band"))
            .map(DimensionElement::name).collect(Collectors.joining(", "))));
    if (!element.hasTable() && !element.name().equals("band")) {
      throw new RegistryException(INVALID_ARGUMENT, "Dimension element '" + name + "' is a skypix dimension: its"
          + " records are computed from the pixelization, not stored in the registry, and are not available");
    }
    return element;
  }

  static SqlTranslator.OrderTerm orderTerm(String term, QueryContext context) {
    try {
      return SqlTranslator.orderTerm(term, context);
    } catch (ExpressionException e) {
      throw new RegistryException(INVALID_ARGUMENT, "--order-by " + term + ": " + e.getMessage());
    }
  }

  private String sql(DimensionElement element, List<String> columns, QueryContext context,
                     DatasetQuery.Members members, SqlPredicate predicate, Set<String> joins,
                     List<SqlTranslator.OrderTerm> order, int limit) {
    String alias = context.elementAlias(element.name());
    List<String> keys = DimensionRecordManager.keyColumns(element);
    StringBuilder inner = new StringBuilder("SELECT DISTINCT ON (")
        .append(keys.stream().map(k -> alias + "." + DimensionRecordManager.quote(k)).collect(Collectors.joining(
            ", "))).append(") ");
    for (int i = 0; i < columns.size(); i++) {
      String column = alias + "." + DimensionRecordManager.quote(columns.get(i));
      inner.append(i == 0 ? "" : ", ").append(column).append(" AS c").append(i);
    }
    for (int i = 0; i < order.size(); i++) {
      inner.append(", ").append(order.get(i).sql()).append(" AS o").append(i);
    }
    if (members != null) {
      inner.append(" FROM (").append(members.sql()).append(") AS m(id, rank, collection_id)")
          .append(" JOIN dataset d ON d.id = m.id");
    } else {
      inner.append(" FROM ").append(DimensionRecordManager.quote(element.name())).append(" AS ").append(alias);
    }
    String joinClauses = context.joinClauses(joins);
    if (!joinClauses.isEmpty()) {
      inner.append(' ').append(joinClauses);
    }
    if (!predicate.isTrue()) {
      inner.append(" WHERE ").append(predicate.sql());
    }
    List<String> sortKeys = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      sortKeys.add("q.o" + i + (order.get(i).descending() ? " DESC" : ""));
    }
    // By data ID, as the butler sorts records; strings in code-point order, as Python compares them.
    for (String key : keys) {
      int i = columns.indexOf(key);
      sortKeys.add("q.c" + i + (keyType(element, key) == FieldType.STRING ? " COLLATE \"C\"" : ""));
    }
    StringBuilder sql = new StringBuilder("SELECT ")
        .append(java.util.stream.IntStream.range(0, columns.size()).mapToObj(i -> "q.c" + i)
            .collect(Collectors.joining(", ")))
        .append(" FROM (").append(inner).append(") q ORDER BY ").append(String.join(", ", sortKeys));
    if (limit != 0) {
      sql.append(" LIMIT ").append(Math.abs((long) limit) + (limit < 0 ? 1 : 0));
    }
    return sql.toString();
  }

  private FieldType keyType(DimensionElement element, String column) {
    if (column.equals(element.key())) {
      return element.keyType();
    }
    return universe.element(column).map(DimensionElement::keyType).orElse(FieldType.STRING);
  }

  /** The headers: the record's field names, with {@code timespan (TAI)} for the timespan. */
  private static List<String> headers(List<String> columns) {
    return columns.stream().map(c -> c.equals("timespan") ? "timespan (TAI)" : c).toList();
  }

  /**
   * daf_butler's field order ({@code DimensionElementFields.names}): the table's, except that implied dimensions
   * follow universe order (the registry's table lists them as the universe definition does).
   */
  private List<String> displayOrder(DimensionElement element) {
    List<String> columns = DimensionRecordManager.columns(element);
    List<String> implied = element.implied().stream().sorted(java.util.Comparator.comparingInt(universe::sortIndex))
        .toList();
    List<String> ordered = new ArrayList<>(columns);
    int first = columns.indexOf(element.implied().isEmpty() ? "" : element.implied().get(0));
    if (first >= 0) {
      for (int i = 0; i < implied.size(); i++) {
        ordered.set(first + i, implied.get(i));
      }
    }
    return ordered;
  }

  /** A value as astropy prints the butler's record attribute. */
  static String display(String column, Object value) {
    if (value == null) {
      return "None";
    }
    if (column.equals("timespan")) {
      return timespan(Timespan.parsePostgresRange(value.toString()));
    }
    if (column.equals("region")) {
      return "(elided)";
    }
    if (value instanceof byte[] bytes) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Boolean flag) {
      return flag ? "True" : "False";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "inf" : "-inf";
      }
      return PythonFloats.repr(d);
    }
    return value.toString();
  }

  /**
   * daf_butler's {@code str(Timespan)}: TAI bounds formatted {@code %Y-%m-%dT%H:%M:%S} by astropy (which rounds to
   * the microsecond, the precision of the butler's times, before cutting the fraction off).
   */
  static String timespan(Timespan span) {
    if (span.isEmpty()) {
      return "(empty)";
    }
    String head = span.begin() == null ? "(-∞, " : "[" + seconds(span.begin()) + ", ";
    String tail = span.end() == null ? "∞)" : seconds(span.end()) + ")";
    return head + tail;
  }

  private static String seconds(TaiTime time) {
    long micros = Math.floorDiv(time.nanos() + 500, 1000);
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), 0, ZoneOffset.UTC);
    return String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond());
  }
}
