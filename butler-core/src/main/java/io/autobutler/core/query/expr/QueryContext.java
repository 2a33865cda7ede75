package io.autobutler.core.query.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;

/**
 * What a {@code --where} expression is translated against: the query's dimensions, the dataset table, the dataset
 * types, the bind values and the SQL of the {@code run} and {@code collection} fields.
 *
 * <p>The SQL it produces follows the registry schema ({@code db/registry/V1__registry.sql}):
 * <ul>
 *   <li>the dataset table (alias {@link #datasetAlias()}) has one column per dimension that can be required; a
 *       dimension of {@link #datasetColumns()} (by default the dimension group's required dimensions) is read from
 *       there, e.g. {@code d.exposure};</li>
 *   <li>any other dimension of the group is implied, and is read from the table of an element that implies it,
 *       e.g. for raw {@code exposure.physical_filter}, {@code exposure.day_obs}, {@code exposure."group"}, and
 *       {@code physical_filter.band} (band through exposure then physical_filter);</li>
 *   <li>an element's table is joined on its required dimensions and its own key, e.g.
 *       {@code JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure} and
 *       {@code JOIN physical_filter ON physical_filter.instrument = d.instrument AND physical_filter.name =
 *       exposure.physical_filter}; see {@link #joinClauses(Collection)}.</li>
 * </ul>
 * Element tables are referred to by {@link #elementAlias(String)}: the element's name, with an optional prefix.
 *
 * <p>The {@code run} and {@code collection} SQL, like the alias, is trusted caller text (never user input), and
 * must not contain {@code ?}.
 */
public final class QueryContext {

  /** The dimensions that have a column in the registry's {@code dataset} table. */
  public static final Set<String> DATASET_TABLE_DIMENSIONS = Set.of("instrument", "band", "physical_filter",
      "subfilter", "detector", "group", "day_obs", "visit", "exposure", "skymap", "tract", "patch", "visit_system",
      "htm7");

  /** Dataset fields an identifier can name (daf_butler {@code DATASET_FIELD_NAMES}). */
  public static final List<String> DATASET_FIELDS = List.of("dataset_id", "ingest_date", "run", "collection",
      "timespan");

  private static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  /** PostgreSQL reserved words that could collide with names used here; such names are double-quoted. */
  private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
      "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation", "column",
      "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
      "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
      "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full",
      "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
      "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull",
      "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references",
      "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
      "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose",
      "when", "where", "window", "with");

  private final DimensionUniverse universe;
  private final DimensionGroup dimensions;
  private final String datasetAlias;
  private final Set<String> datasetColumns;
  private final Set<String> datasetTypes;
  private final Map<String, Object> binds;
  private final String runSql;
  private final String collectionSql;
  private final String elementAliasPrefix;

  private QueryContext(Builder b) {
    this.universe = b.universe;
    this.dimensions = b.dimensions;
    this.datasetAlias = b.datasetAlias;
    this.datasetColumns = Collections.unmodifiableSet(new LinkedHashSet<>(b.datasetColumns != null
        ? b.datasetColumns
        : b.dimensions.required().stream().filter(DATASET_TABLE_DIMENSIONS::contains).toList()));
    this.datasetTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.datasetTypes));
    this.binds = Collections.unmodifiableMap(new LinkedHashMap<>(b.binds));
    this.runSql = b.runSql != null ? b.runSql
        : "SELECT run_collection.name FROM collection AS run_collection WHERE run_collection.collection_id = "
            + quote(datasetAlias) + ".run_id";
    this.collectionSql = b.collectionSql;
    this.elementAliasPrefix = b.elementAliasPrefix;
    for (String column : datasetColumns) {
      if (!DATASET_TABLE_DIMENSIONS.contains(column) || !dimensions.names().contains(column)) {
        throw new IllegalArgumentException("'" + column + "' cannot be a dataset column of this query: the dataset"
            + " table has no such column or it is not one of the query's dimensions " + dimensions.names());
      }
    }
  }

  /** A builder for a query over {@code dimensions} (a group of {@code universe}). */
  public static Builder builder(DimensionUniverse universe, DimensionGroup dimensions) {
    return new Builder(universe, dimensions);
  }

  /**
   * The context of a query for datasets of one type: universe 7, the type's dimension group, the dataset table as
   * {@code datasetAlias}, its required dimensions as dataset columns, no binds.
   */
  public static QueryContext forDatasetType(String datasetType, Collection<String> dimensions, String datasetAlias) {
    DimensionUniverse universe = DimensionUniverse.v7();
    return builder(universe, universe.group(dimensions)).datasetAlias(datasetAlias).datasetType(datasetType)
        .build();
  }

  /** This context with other bind values. */
  public QueryContext withBinds(Map<String, ?> newBinds) {
    return toBuilder().clearBinds().binds(newBinds).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder(universe, dimensions).datasetAlias(datasetAlias).datasetColumns(datasetColumns)
        .datasetTypes(datasetTypes).elementAliasPrefix(elementAliasPrefix);
    b.binds.putAll(binds);
    b.runSql = runSql;
    b.collectionSql = collectionSql;
    return b;
  }

  public DimensionUniverse universe() {
    return universe;
  }

  public DimensionGroup dimensions() {
    return dimensions;
  }

  public String datasetAlias() {
    return datasetAlias;
  }

  public Set<String> datasetColumns() {
    return datasetColumns;
  }

  public Set<String> datasetTypes() {
    return datasetTypes;
  }

  /** Bind values by lower-case name (the language's identifiers are case-insensitive). Values may be null. */
  public Map<String, Object> binds() {
    return binds;
  }

  public String runSql() {
    return runSql;
  }

  public Optional<String> collectionSql() {
    return Optional.ofNullable(collectionSql);
  }

  /** The SQL name of an element's table in the query: its name with the prefix, double-quoted when needed. */
  public String elementAlias(String element) {
    return quote(elementAliasPrefix + element);
  }

  /**
   * The {@code JOIN} clauses for the given element tables and every element their conditions need, in dependency
   * order, e.g. {@code JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure}.
   * Empty for no elements.
   */
  public String joinClauses(Collection<String> elements) {
    Set<String> ordered = new LinkedHashSet<>();
    for (String element : elements) {
      requireJoin(element, ordered, SourcePos.START);
    }
    List<String> clauses = new ArrayList<>();
    for (String element : ordered) {
      String table = quote(element);
      String alias = elementAlias(element);
      clauses.add("JOIN " + table + (alias.equals(table) ? "" : " AS " + alias) + " ON "
          + joinCondition(element, new LinkedHashSet<>(), SourcePos.START));
    }
    return String.join(" ", clauses);
  }

  /**
   * The SQL of a dimension's value in this query (e.g. {@code d.exposure}, {@code physical_filter.band}), adding the
   * element tables it needs to {@code joins}; pass those to {@link #joinClauses(Collection)}.
   */
  public String dimensionSql(String dimension, Set<String> joins) {
    return keySql(dimension, joins, SourcePos.START);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Dimension keys and joins, shared with the translator.
  // ------------------------------------------------------------------------------------------------------------

  /** True when the element belongs to the query: a dimension of the group, or a join element of its dimensions. */
  boolean hasElement(DimensionElement element) {
    if (element.isDimension()) {
      return dimensions.names().contains(element.name());
    }
    return dimensions.names().containsAll(element.required());
  }

  /** The elements of the query, in universe order. */
  List<DimensionElement> elements() {
    return universe.elements().stream().filter(this::hasElement).toList();
  }

  /** The SQL of a dimension's key value; adds the element tables it needs to {@code joins}. */
  String keySql(String dimension, Set<String> joins, SourcePos at) {
    if (datasetColumns.contains(dimension)) {
      return quote(datasetAlias) + "." + quote(dimension);
    }
    String implier = implierOf(dimension, at);
    requireJoin(implier, joins, at);
    return elementAlias(implier) + "." + quote(dimension);
  }

  /** Adds an element table, after the tables its join condition needs, to {@code joins}. */
  void requireJoin(String element, Set<String> joins, SourcePos at) {
    if (joins.contains(element)) {
      return;
    }
    DimensionElement e = universe.element(element)
        .orElseThrow(() -> ExpressionException.invalid("Unknown dimension element '" + element + "'", at));
    if (!e.hasTable()) {
      throw ExpressionException.invalid("Dimension element '" + element + "' has no table of its own", at);
    }
    if (!hasElement(e)) {
      throw notInQuery(element, at);
    }
    joinCondition(element, joins, at);
    joins.add(element);
  }

  private String joinCondition(String element, Set<String> joins, SourcePos at) {
    DimensionElement e = universe.element(element).orElseThrow();
    String alias = elementAlias(element);
    List<String> terms = new ArrayList<>();
    for (String required : e.required()) {
      terms.add(alias + "." + quote(required) + " = " + keySql(required, joins, at));
    }
    if (e.isDimension()) {
      terms.add(alias + "." + quote(e.key()) + " = " + keySql(element, joins, at));
    }
    return String.join(" AND ", terms);
  }

  /** The element of the query whose table holds an implied dimension, preferring one read from the dataset. */
  private String implierOf(String dimension, SourcePos at) {
    String fallback = null;
    for (String candidate : dimensions.names()) {
      DimensionElement e = universe.element(candidate).orElseThrow();
      if (e.hasTable() && e.implied().contains(dimension)) {
        if (datasetColumns.contains(candidate)) {
          return candidate;
        }
        if (fallback == null) {
          fallback = candidate;
        }
      }
    }
    if (fallback == null) {
      throw ExpressionException.invalid("Dimension '" + dimension + "' cannot be reached from the dataset table in"
          + " this query", at);
    }
    return fallback;
  }

  ExpressionException notInQuery(String element, SourcePos at) {
    return ExpressionException.invalid("Dimension element '" + element + "' is not part of this query, whose"
        + " dimensions are " + String.join(", ", dimensions.dataCoordinateKeys()), at);
  }

  /** A SQL identifier: as is when plain lower case and not reserved, else double-quoted. */
  static String quote(String name) {
    if (PLAIN_NAME.matcher(name).matches() && !RESERVED.contains(name)) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** Builds a {@link QueryContext}. */
  public static final class Builder {
    private final DimensionUniverse universe;
    private final DimensionGroup dimensions;
    private String datasetAlias = "d";
    private Collection<String> datasetColumns;
    private final Set<String> datasetTypes = new LinkedHashSet<>();
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private String runSql;
    private String collectionSql;
    private String elementAliasPrefix = "";

    private Builder(DimensionUniverse universe, DimensionGroup dimensions) {
      this.universe = Objects.requireNonNull(universe);
      this.dimensions = Objects.requireNonNull(dimensions);
    }

    /** The alias of the registry's {@code dataset} table in the query ({@code d} by default). */
    public Builder datasetAlias(String alias) {
      this.datasetAlias = checkName(alias, "dataset alias");
      return this;
    }

    /** The dimensions read from the dataset table (default: the group's required dimensions). */
    public Builder datasetColumns(Collection<String> columns) {
      this.datasetColumns = List.copyOf(columns);
      return this;
    }

    public Builder datasetType(String name) {
      datasetTypes.add(Objects.requireNonNull(name));
      return this;
    }

    public Builder datasetTypes(Collection<String> names) {
      names.forEach(this::datasetType);
      return this;
    }

    /** A bind value for {@code :name} (and the legacy bare {@code name}); names are case-insensitive. */
    public Builder bind(String name, Object value) {
      String key = Objects.requireNonNull(name).toLowerCase(Locale.ROOT);
      if (key.startsWith(":")) {
        key = key.substring(1);
      }
      if (binds.containsKey(key)) {
        throw new IllegalArgumentException("bind name '" + name + "' is given twice (bind names are"
            + " case-insensitive)");
      }
      binds.put(key, value);
      return this;
    }

    public Builder binds(Map<String, ?> values) {
      values.forEach(this::bind);
      return this;
    }

    Builder clearBinds() {
      binds.clear();
      return this;
    }

    /**
     * SQL giving the RUN name of the dataset row, for the {@code run} field. Default: a scalar subquery on
     * {@code collection} by {@code <datasetAlias>.run_id}.
     */
    public Builder runSql(String sql) {
      this.runSql = checkSql(sql);
      return this;
    }

    /** SQL giving the name of the collection the dataset was found in, for the {@code collection} field. */
    public Builder collectionSql(String sql) {
      this.collectionSql = checkSql(sql);
      return this;
    }

    /** A prefix for element table aliases ({@code ""} by default: tables are named as their elements). */
    public Builder elementAliasPrefix(String prefix) {
      if (!prefix.isEmpty()) {
        checkName(prefix, "element alias prefix");
      }
      this.elementAliasPrefix = prefix;
      return this;
    }

    public QueryContext build() {
      return new QueryContext(this);
    }

    private static String checkName(String name, String what) {
      if (name == null || !SQL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid " + what + " '" + name + "': use lower-case letters, digits"
            + " and underscores");
      }
      return name;
    }

    private static String checkSql(String sql) {
      if (sql != null && (sql.isBlank() || sql.indexOf('?') >= 0)) {
        throw new IllegalArgumentException("SQL for a field must be non-blank and must not contain '?': " + sql);
      }
      return sql;
    }
  }
}
