package io.autobutler.core.registry.datasets;

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
import java.util.regex.Pattern;

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
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.table.TextTable;

/**
 * {@code butler query-datasets}: the datasets of the given types found in the given collections (chains searched in
 * order), optionally only the first found per data ID, constrained by a {@code --where} expression, as one SQL
 * statement per dataset type with bound parameters only.
 *
 * <p>An expression may name dimensions outside the dataset type's: the query is widened to them, as daf_butler
 * does ({@code raw} with {@code visit = 42} is joined to visit through visit_definition); the {@code collection}
 * field is the collection of the search path the dataset was found in.
 */
public final class DatasetQuery {

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[]");
  private final DimensionUniverse universe = DimensionUniverse.v7();
  private final CollectionManager collections = new CollectionManager();
  private final DatasetTypeManager datasetTypes = new DatasetTypeManager();

  /** What to look for. {@code limit}: 0 unlimited, positive exact, negative a cap that warns when hit. */
  public record Request(List<String> datasetTypes, List<String> collections, String where, Map<String, Object> binds,
                        boolean findFirst, int limit, boolean showUri) {
  }

  /** One dataset type's rows, as the butler's table: type, run, id, data ID columns, optionally URI. */
  public record Result(List<TextTable> tables, List<String> warnings) {
  }

  /** A leaf collection of the search path with its rank (search order). */
  private record SearchEntry(CollectionRecord collection, int rank) {
  }

  /** The leaf collections searched, in search order (chains flattened depth first, repeats dropped). */
  public record SearchPath(List<SearchEntry> entries) {
    public SearchPath {
      entries = List.copyOf(entries);
    }
  }

  /**
   * The datasets of one type in a search path, as the SQL of rows {@code (id, rank, collection_id)}: the dataset,
   * the rank of the collection it was found in, and that collection; empty when no collection of the path can hold
   * datasets.
   */
  public record Members(String sql, List<Object[]> parameters) {

    /** Binds the parameters of {@link #sql()} from placeholder {@code index} on; returns the next placeholder. */
    public int bind(Connection c, PreparedStatement ps, int index) throws SQLException {
      int next = index;
      for (Object[] p : parameters) {
        ps.setArray(next++, c.createArrayOf("bigint", (Object[]) p[0]));
        ps.setArray(next++, c.createArrayOf("integer", (Object[]) p[1]));
        ps.setLong(next++, (Long) p[2]);
      }
      return next;
    }
  }

  /** SQL giving the name of the collection a dataset was found in, for the {@code collection} field. */
  public static final String FOUND_IN_COLLECTION_SQL = "SELECT found_in.name FROM collection AS found_in"
      + " WHERE found_in.collection_id = m.collection_id";

  public Result query(Connection c, Request request) throws SQLException {
    List<String> warnings = new ArrayList<>();
    List<DatasetType> types = resolveTypes(c, request.datasetTypes(), warnings);
    SearchPath search = searchPath(c, request.collections(), request.findFirst());
    Node where = ExpressionParser.parse(request.where() == null ? "" : request.where()).orElse(null);
    List<TextTable> tables = new ArrayList<>();
    for (DatasetType type : types) {
      TextTable table = queryType(c, type, search, where, request);
      if (!table.rows().isEmpty()) {
        tables.add(table);
      }
    }
    int total = tables.stream().mapToInt(t -> t.rows().size()).sum();
    if (request.limit() != 0 && total > Math.abs(request.limit())) {
      tables = truncate(tables, Math.abs(request.limit()));
      if (request.limit() < 0) {
        warnings.add("Requested limit of " + (-request.limit()) + " hit for number of datasets returned. Use --limit"
            + " to increase this limit.");
      }
    }
    return new Result(tables, warnings);
  }

  /**
   * The registered dataset types matching names or globs, sorted by name; a name that matches nothing adds the
   * butler's "is not registered" warning.
   */
  public List<DatasetType> resolveTypes(Connection c, List<String> expressions, List<String> warnings)
      throws SQLException {
    List<DatasetType> all = datasetTypes.all(c);
    List<String> patterns = expressions == null || expressions.isEmpty() ? List.of("*") : expressions;
    Set<DatasetType> found = new LinkedHashSet<>();
    for (String expression : patterns) {
      Pattern glob = CollectionQuery.globToRegex(expression);
      List<DatasetType> matches = all.stream().filter(t -> glob.matcher(t.name()).matches()).toList();
      if (matches.isEmpty() && !GLOB_CHARS.matcher(expression).find()) {
        warnings.add("Dataset type " + expression + " is not registered.");
      }
      found.addAll(matches);
    }
    return found.stream().sorted(Comparator.comparing(DatasetType::name)).toList();
  }

  /**
   * The search path of collection names and globs (all collections when none): chains flattened in order.
   *
   * @throws RegistryException when a named collection does not exist, or a glob is given with {@code findFirst}
   */
  public SearchPath searchPath(Connection c, List<String> expressions, boolean findFirst) throws SQLException {
    return new SearchPath(resolveCollections(c, expressions, findFirst));
  }

  private List<SearchEntry> resolveCollections(Connection c, List<String> expressions, boolean findFirst)
      throws SQLException {
    List<String> patterns = expressions == null || expressions.isEmpty() ? List.of("*") : expressions;
    Map<String, CollectionRecord> all = collections.all(c);
    Map<String, List<String>> chains = collections.allChains(c);
    Set<String> ordered = new LinkedHashSet<>();
    for (String expression : patterns) {
      if (GLOB_CHARS.matcher(expression).find()) {
        if (findFirst) {
          throw new RegistryException(INVALID_ARGUMENT, "--find-first needs an ordered list of collections, not the"
              + " pattern '" + expression + "'");
        }
        Pattern glob = CollectionQuery.globToRegex(expression);
        all.keySet().stream().filter(n -> glob.matcher(n).matches()).forEach(ordered::add);
      } else {
        collections.get(c, expression);
        ordered.add(expression);
      }
    }
    Set<String> leaves = new LinkedHashSet<>(collections.flattenNames(c, new ArrayList<>(ordered)));
    List<SearchEntry> search = new ArrayList<>();
    int rank = 0;
    for (String leaf : leaves) {
      search.add(new SearchEntry(all.get(leaf), rank++));
    }
    return search;
  }

  /** The members of a dataset type's datasets in a search path (see {@link Members}). */
  public Members members(SearchPath search, DatasetType type) {
    StringBuilder sql = new StringBuilder();
    List<Object[]> parameters = new ArrayList<>();
    for (CollectionType kind : List.of(CollectionType.RUN, CollectionType.TAGGED, CollectionType.CALIBRATION)) {
      List<SearchEntry> entries = search.entries().stream().filter(e -> e.collection().type() == kind).toList();
      if (entries.isEmpty()) {
        continue;
      }
      if (sql.length() > 0) {
        sql.append(" UNION ALL ");
      }
      String table = switch (kind) {
        case RUN -> "SELECT x.id, s.rank, s.cid FROM dataset x JOIN s ON x.run_id = s.cid";
        case TAGGED -> "SELECT x.dataset_id, s.rank, s.cid FROM dataset_tags x JOIN s ON x.collection_id = s.cid";
        default -> "SELECT DISTINCT x.dataset_id, s.rank, s.cid FROM dataset_calibs x JOIN s"
            + " ON x.collection_id = s.cid";
      };
      sql.append(table.replace("JOIN s ON", "JOIN unnest(?::bigint[], ?::int[]) AS s(cid, rank) ON"))
          .append(" WHERE x.dataset_type_id = ?");
      parameters.add(new Object[] {
          entries.stream().map(e -> e.collection().id()).toArray(Long[]::new),
          entries.stream().map(SearchEntry::rank).toArray(Integer[]::new),
          type.id()});
    }
    return new Members(sql.toString(), parameters);
  }

  /**
   * The context of a query over the datasets of one type read as {@code members m JOIN dataset d}: the type's
   * dimensions, the dataset table as {@code d}, the run as the name of collection {@code r} (which the query joins
   * on {@code d.run_id}), the collection found in from {@code m}.
   */
  public QueryContext datasetContext(DatasetType type, Map<String, Object> binds, String runSql) {
    return datasetContext(type, type.dimensions(), binds, runSql);
  }

  /**
   * The same over wider dimensions than the type's (e.g. with those of the dimension element whose records are
   * queried): unqualified field names are looked up among all of them.
   */
  public QueryContext datasetContext(DatasetType type, DimensionGroup dimensions, Map<String, Object> binds,
                                     String runSql) {
    return QueryContext.builder(universe, dimensions)
        .datasetColumns(type.dimensions().required().stream()
            .filter(QueryContext.DATASET_TABLE_DIMENSIONS::contains).toList())
        .datasetAlias("d")
        .datasetType(type.name())
        .binds(binds == null ? Map.of() : binds)
        .runSql(runSql)
        .collectionSql(FOUND_IN_COLLECTION_SQL)
        .build();
  }

  /**
   * How many datasets {@code query-datasets} would list (no limit applies), counted in the database: one statement
   * per dataset type, no rows fetched.
   */
  public long count(Connection c, Request request) throws SQLException {
    List<DatasetType> types = resolveTypes(c, request.datasetTypes(), new ArrayList<>());
    SearchPath search = searchPath(c, request.collections(), request.findFirst());
    Node where = ExpressionParser.parse(request.where() == null ? "" : request.where()).orElse(null);
    Request unlimited = new Request(request.datasetTypes(), request.collections(), request.where(), request.binds(),
        request.findFirst(), 0, false);
    long total = 0;
    for (DatasetType type : types) {
      Statement statement = statement(type, search, where, unlimited, true);
      if (statement == null) {
        continue;
      }
      try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
        statement.bind(c, ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total += rs.getLong(1);
        }
      }
    }
    return total;
  }

  /** The SQL of one dataset type's query and what binds it; its columns are id, data_id_key, rank, run, k0…. */
  private record Statement(String sql, Members members, SqlPredicate predicate, List<String> keys) {

    void bind(Connection c, PreparedStatement ps) throws SQLException {
      predicate.bind(ps, members.bind(c, ps, 1));
    }
  }

  /**
   * One dataset type's query, or null when no collection of the search path can hold its datasets; {@code count}:
   * the number of its rows instead (no data ID columns fetched, nothing ordered).
   */
  private Statement statement(DatasetType type, SearchPath search, Node where, Request request, boolean count) {
    QueryContext context = datasetContext(type, request.binds(), "r.name").widenedFor(where);
    SqlPredicate predicate = SqlTranslator.translate(where, context);
    Set<String> joins = new LinkedHashSet<>();
    List<String> keys = type.dimensions().dataCoordinateKeys();
    List<String> columns = new ArrayList<>();
    for (String key : keys) {
      columns.add(context.dimensionSql(key, joins));
    }
    joins.addAll(predicate.elementsToJoin());
    joins.addAll(context.relationshipElements());

    Members members = members(search, type);
    if (members.sql().isEmpty()) {
      return null;
    }
    String dedupeKey = request.findFirst() ? "q.data_id_key" : "q.id";
    StringBuilder sql = new StringBuilder(count ? "SELECT count(DISTINCT " + dedupeKey + ") FROM (" : "SELECT * FROM"
        + " (SELECT DISTINCT ON (" + dedupeKey + ") * FROM (").append("SELECT d.id, d.data_id_key, m.rank, r.name AS run");
    for (int i = 0; i < (count ? 0 : columns.size()); i++) {
      sql.append(", ").append(columns.get(i)).append(" AS k").append(i);
    }
    if (request.showUri()) {
      sql.append(", f.path AS uri");
    }
    sql.append(" FROM (").append(members.sql()).append(") AS m(id, rank, collection_id) JOIN dataset d ON d.id = m.id")
        .append(" JOIN collection r ON r.collection_id = d.run_id ");
    if (!joins.isEmpty()) {
      sql.append(context.joinClauses(joins)).append(' ');
    }
    if (request.showUri()) {
      sql.append("LEFT JOIN file_datastore_records f ON f.dataset_id = d.id AND f.component = '")
          .append(DatasetManager.NO_COMPONENT).append("' ");
    }
    if (!predicate.isTrue()) {
      sql.append("WHERE ").append(predicate.sql());
    }
    if (count) {
      return new Statement(sql.append(") q").toString(), members, predicate, keys);
    }
    sql.append(") q ORDER BY ").append(dedupeKey).append(", q.rank) deduped");
    if (request.limit() != 0) {
      sql.append(" LIMIT ").append(Math.abs((long) request.limit()) + 1);
    }
    return new Statement(sql.toString(), members, predicate, keys);
  }

  private TextTable queryType(Connection c, DatasetType type, SearchPath search, Node where, Request request)
      throws SQLException {
    Statement statement = statement(type, search, where, request, false);
    List<String> keys = type.dimensions().dataCoordinateKeys();
    if (statement == null) {
      return new TextTable(headers(keys, request.showUri()), List.of());
    }
    List<List<String>> rows = new ArrayList<>();
    List<List<Object>> sortValues = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      statement.bind(c, ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          List<Object> values = new ArrayList<>();
          row.add(type.name());
          row.add(rs.getString("run"));
          row.add(rs.getString("id"));
          for (int i = 0; i < keys.size(); i++) {
            Object value = rs.getObject("k" + i);
            values.add(value);
            row.add(value == null ? "" : value.toString());
          }
          if (request.showUri()) {
            String uri = rs.getString("uri");
            row.add(uri == null ? "" : uri);
          }
          rows.add(row);
          sortValues.add(values);
        }
      }
    }
    return new TextTable(headers(keys, request.showUri()), sort(keys, rows, sortValues));
  }

  private static List<String> headers(List<String> keys, boolean showUri) {
    List<String> headers = new ArrayList<>(List.of("type", "run", "id"));
    headers.addAll(keys);
    if (showUri) {
      headers.add("URI");
    }
    return headers;
  }

  /**
   * The order in which the butler sorts data ID columns ({@code sortAstropyTable} in daf_butler's
   * {@code cli/utils.py}): the required dimensions of each temporal or spatial dimension, in column order, then
   * the other dimensions, each once.
   */
  public static List<String> sortOrder(DimensionUniverse universe, List<String> keys) {
    Set<String> early = new LinkedHashSet<>();
    Set<String> late = new LinkedHashSet<>();
    for (String key : keys) {
      DimensionElement element = universe.element(key).orElseThrow();
      if (element.temporal() || element.spatial()) {
        List<String> required = new ArrayList<>(universe.group(element.required()).required());
        required.add(key);
        early.addAll(required);
      } else {
        late.add(key);
      }
    }
    Set<String> order = new LinkedHashSet<>(early);
    order.addAll(late);
    return List.copyOf(order);
  }

  /** The butler's row order: type and run, then the data ID columns in {@link #sortOrder} order. */
  private List<List<String>> sort(List<String> keys, List<List<String>> rows, List<List<Object>> values) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      indices.add(i);
    }
    Comparator<Integer> comparator = Comparator.comparing(i -> rows.get(i).get(1));
    for (String key : sortOrder(universe, keys)) {
      int column = keys.indexOf(key);
      boolean numeric = universe.element(key).map(DimensionElement::keyType).orElse(FieldType.STRING) == FieldType.INT;
      comparator = comparator.thenComparing(i -> values.get(i).get(column), (a, b) -> compare(a, b, numeric));
    }
    indices.sort(comparator);
    return indices.stream().map(rows::get).toList();
  }

  @SuppressWarnings("unchecked")
  private static int compare(Object a, Object b, boolean numeric) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (numeric && a instanceof Number x && b instanceof Number y) {
      return Long.compare(x.longValue(), y.longValue());
    }
    return a.toString().compareTo(b.toString());
  }

  private static List<TextTable> truncate(List<TextTable> tables, int limit) {
    List<TextTable> kept = new ArrayList<>();
    int left = limit;
    for (TextTable table : tables) {
      if (left <= 0) {
        break;
      }
      List<List<String>> rows = table.rows().subList(0, Math.min(left, table.rows().size()));
      kept.add(new TextTable(table.headers(), rows));
      left -= rows.size();
    }
    return kept;
  }
}
