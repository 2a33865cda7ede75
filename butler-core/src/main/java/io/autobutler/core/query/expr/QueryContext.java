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
 * <p>A query's dimensions may be wider than the dataset type's (or the queried element's): an expression that names
 * a dimension outside them widens the query, as daf_butler w.2025.20 does ({@code QueryTree.where} adds the
 * dimensions a predicate needs), see {@link #widenedFor(Node)}. Each dimension key is then read from one place
 * ({@link #keySql}): the root table (the dataset table, or the queried element's table), else an element that
 * implies it (exposure for physical_filter), else an always-joined element that relates it ({@code
 * visit_definition} for visit next to exposure), else its own table. Elements that define relationships (they
 * imply dimensions, or are always joined) are joined with every dimension column they share with the query, so
 * that rows are consistent with them ({@link #relationshipElements()}, daf_butler's {@code iter_mandatory}).
 * Regions are not supported: a widening that would need a spatial join is refused.
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

  /** The join elements daf_butler always joins when their dimensions are in a query ({@code always_join}). */
  static final Set<String> ALWAYS_JOIN = Set.of("visit_definition", "visit_system_membership");

  /** The spatial families of universe 7 ({@code topology.spatial}), keyed by the dimension that brings each. */
  private static final Map<String, String> SPATIAL_FAMILIES = Map.of("visit", "observation_regions",
      "tract", "skymap_regions");

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
  private final DimensionGroup baseDimensions;
  private final String rootElement;
  private final String datasetAlias;
  private final Set<String> datasetColumns;
  private final Set<String> datasetTypes;
  private final Map<String, Object> binds;
  private final String runSql;
  private final String collectionSql;
  private final String elementAliasPrefix;

  private QueryContext(Builder b) {
    this.universe = b.universe;
    this.baseDimensions = b.dimensions;
    this.dimensions = b.extraDimensions.isEmpty() ? b.dimensions : b.universe.group(
        java.util.stream.Stream.concat(b.dimensions.names().stream(), b.extraDimensions.stream()).toList());
    this.rootElement = b.rootElement;
    this.datasetAlias = b.datasetAlias;
    this.datasetColumns = Collections.unmodifiableSet(new LinkedHashSet<>(b.datasetColumns != null
        ? b.datasetColumns
        : b.rootElement != null ? List.of()
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

  /**
   * The context of a query for the records of one dimension element: the element's table is the root of the
   * query (aliased by {@link #elementAlias(String)}), its dimensions are the element's, there is no dataset table.
   *
   * @throws IllegalArgumentException when the element has no table
   */
  public static Builder forElement(DimensionUniverse universe, String element) {
    return forElement(universe, element, List.of());
  }

  /**
   * The same for a query over more dimensions than the element's (e.g. the data IDs of several dimensions, read
   * from the table of one of them, the others joined to it).
   */
  public static Builder forElement(DimensionUniverse universe, String element, Collection<String> dimensions) {
    DimensionElement e = universe.element(element)
        .orElseThrow(() -> new IllegalArgumentException("unknown dimension element '" + element + "'"));
    if (!hasTableOrView(e)) {
      throw new IllegalArgumentException("dimension element '" + element + "' has no table");
    }
    List<String> names = new ArrayList<>(e.required());
    if (e.isDimension()) {
      names.add(e.name());
    }
    names.addAll(dimensions);
    Builder b = new Builder(universe, universe.group(names));
    b.rootElement = e.name();
    return b;
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
    Builder b = new Builder(universe, baseDimensions).datasetAlias(datasetAlias).datasetColumns(datasetColumns)
        .datasetTypes(datasetTypes).elementAliasPrefix(elementAliasPrefix);
    b.extraDimensions.addAll(dimensions.names());
    b.extraDimensions.removeAll(baseDimensions.names());
    b.rootElement = rootElement;
    b.binds.putAll(binds);
    b.runSql = runSql;
    b.collectionSql = collectionSql;
    return b;
  }

  public DimensionUniverse universe() {
    return universe;
  }

  /** The query's dimensions: those it was built with, widened by {@link #widenedFor(Node)}. */
  public DimensionGroup dimensions() {
    return dimensions;
  }

  /**
   * The dimensions the query was built with, before any widening: a field named without its element (e.g.
   * {@code observation_type}) is looked up among their elements only, as daf_butler does.
   */
  public DimensionGroup baseDimensions() {
    return baseDimensions;
  }

  /** The element whose table is the root of the query ({@link #forElement}), if any. */
  public Optional<String> rootElement() {
    return Optional.ofNullable(rootElement);
  }

  /**
   * This context widened by the dimensions that an expression names outside it (e.g. {@code visit} in a query for
   * raws), with their required and implied dimensions; this context itself when the expression names none.
   *
   * @throws ExpressionException when the expression means nothing in the widened query, or when the widened query
   *                             would relate dimensions of two spatial families (visit and tract, or a skypix
   *                             dimension), which needs a spatial join that is not supported
   */
  public QueryContext widenedFor(Node expression) {
    if (expression == null) {
      return this;
    }
    Map<String, SourcePos> named = SqlTranslator.namedDimensions(expression, this);
    Set<String> extra = new LinkedHashSet<>(named.keySet());
    extra.removeAll(dimensions.names());
    if (extra.isEmpty()) {
      return this;
    }
    Builder b = toBuilder();
    b.extraDimensions.addAll(extra);
    QueryContext widened = b.build();
    Set<String> before = spatialFamilies(dimensions);
    Set<String> after = spatialFamilies(widened.dimensions);
    if (after.size() > 1 && after.size() > before.size()) {
      String culprit = extra.stream().filter(d -> !spatialFamilies(universe.group(List.of(d))).isEmpty()
          && !before.containsAll(spatialFamilies(universe.group(List.of(d))))).findFirst().orElse(extra.iterator()
          .next());
      throw ExpressionException.invalid("Dimension '" + culprit + "' cannot be added to this query: relating "
          + String.join(" and ", after) + " needs a spatial join (region overlaps), which is not supported",
          named.getOrDefault(culprit, SourcePos.START));
    }
    return widened;
  }

  /** The spatial families a group's dimensions belong to (a skypix dimension is a family of its own). */
  private Set<String> spatialFamilies(DimensionGroup group) {
    Set<String> families = new java.util.TreeSet<>();
    for (String name : group.names()) {
      if (SPATIAL_FAMILIES.containsKey(name)) {
        families.add(SPATIAL_FAMILIES.get(name));
      } else if (universe.element(name).map(e -> e.spatial() && !e.hasTable()).orElse(false)) {
        families.add(name);
      }
    }
    return families;
  }

  /**
   * The elements that must be joined because they define relationships the rows must satisfy: those of the
   * query's dimensions that imply other dimensions (exposure, visit, physical_filter) and the always-joined ones
   * (visit_definition, visit_system_membership), except the root element; in universe order.
   */
  public Set<String> relationshipElements() {
    Set<String> elements = new LinkedHashSet<>();
    for (DimensionElement e : universe.elements()) {
      if (hasElement(e) && e.hasTable() && !e.name().equals(rootElement)
          && (!e.implied().isEmpty() || ALWAYS_JOIN.contains(e.name()))) {
        elements.add(e.name());
      }
    }
    return elements;
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
    ordered.remove(rootElement);
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

  /** The elements of the query's base dimensions, in universe order: where unqualified field names are found. */
  List<DimensionElement> baseElements() {
    return universe.elements().stream().filter(e -> e.isDimension() ? baseDimensions.names().contains(e.name())
        : baseDimensions.names().containsAll(e.required())).toList();
  }

  /** The SQL of a dimension's key value; adds the element tables it needs to {@code joins}. */
  String keySql(String dimension, Set<String> joins, SourcePos at) {
    String source = sourceOf(dimension, at);
    if (source == null) {
      return rootElement == null ? quote(datasetAlias) + "." + quote(dimension)
          : elementAlias(rootElement) + "." + quote(columnOf(rootElement, dimension));
    }
    requireJoin(source, joins, at);
    return elementAlias(source) + "." + quote(columnOf(source, dimension));
  }

  /** Adds an element table, after the tables its join condition needs, to {@code joins}. */
  void requireJoin(String element, Set<String> joins, SourcePos at) {
    requireJoin(element, joins, new LinkedHashSet<>(), at);
  }

  private void requireJoin(String element, Set<String> joins, Set<String> inProgress, SourcePos at) {
    if (joins.contains(element) || element.equals(rootElement)) {
      return;
    }
    DimensionElement e = universe.element(element)
        .orElseThrow(() -> ExpressionException.invalid("Unknown dimension element '" + element + "'", at));
    if (!hasTableOrView(e)) {
      throw ExpressionException.invalid("Dimension element '" + element + "' has no table of its own", at);
    }
    if (!hasElement(e)) {
      throw notInQuery(element, at);
    }
    if (!inProgress.add(element)) {
      throw new IllegalStateException("cyclic join of dimension element '" + element + "' in " + inProgress);
    }
    for (String dimension : dimensionColumns(e)) {
      String source = sourceOf(dimension, at);
      if (source != null && !source.equals(element)) {
        requireJoin(source, joins, inProgress, at);
      }
    }
    inProgress.remove(element);
    joins.add(element);
  }

  /**
   * The ON condition of an element's table: each of its dimension columns equals that dimension's key where the
   * query reads it (the element's own key columns when it is where the key is read are left out); {@code TRUE}
   * when nothing relates it to the rest of the query.
   */
  private String joinCondition(String element, Set<String> joins, SourcePos at) {
    DimensionElement e = universe.element(element).orElseThrow();
    String alias = elementAlias(element);
    List<String> terms = new ArrayList<>();
    for (String dimension : dimensionColumns(e)) {
      if (!element.equals(sourceOf(dimension, at))) {
        terms.add(alias + "." + quote(columnOf(element, dimension)) + " = " + keySql(dimension, joins, at));
      }
    }
    return terms.isEmpty() ? "TRUE" : String.join(" AND ", terms);
  }

  /** The dimensions an element's table has a column for: required (universe order), its own key, implied. */
  private List<String> dimensionColumns(DimensionElement e) {
    List<String> columns = new ArrayList<>(universe.group(e.required()).required());
    if (e.isDimension()) {
      columns.add(e.name());
    }
    columns.addAll(e.implied());
    return columns;
  }

  /** The column of a dimension in an element's table: the element's key for itself, else the dimension's name. */
  private String columnOf(String element, String dimension) {
    return element.equals(dimension) ? universe.element(element).orElseThrow().key() : dimension;
  }

  /**
   * Where a dimension's key is read: null for the root table (the dataset table's column, or the root element's),
   * else the element whose table holds it: one that implies it (preferring one whose key the root holds, then
   * universe order), an always-joined element that requires it, or the dimension's own table.
   */
  private String sourceOf(String dimension, SourcePos at) {
    if (rootColumns().contains(dimension)) {
      return null;
    }
    String implier = null;
    for (DimensionElement e : universe.elements()) {
      if (e.hasTable() && e.isDimension() && hasElement(e) && e.implied().contains(dimension)) {
        if (rootColumns().contains(e.name())) {
          return e.name();
        }
        if (implier == null) {
          implier = e.name();
        }
      }
    }
    if (implier != null) {
      return implier;
    }
    for (DimensionElement e : universe.elements()) {
      if (ALWAYS_JOIN.contains(e.name()) && hasElement(e) && e.required().contains(dimension)) {
        return e.name();
      }
    }
    DimensionElement own = universe.element(dimension).orElseThrow();
    if (hasTableOrView(own)) {
      return dimension;
    }
    throw ExpressionException.invalid("Dimension '" + dimension + "' cannot be related to the rest of this query"
        + " (skypix dimensions need spatial joins, which are not supported)", at);
  }

  /** The dimensions the root table has a column for. */
  private Set<String> rootColumns() {
    if (rootElement == null) {
      return datasetColumns;
    }
    return new LinkedHashSet<>(dimensionColumns(universe.element(rootElement).orElseThrow()));
  }

  /** Whether an element's records are in a table (band's in a view of physical_filter). */
  static boolean hasTableOrView(DimensionElement element) {
    return element.hasTable() || element.name().equals("band");
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
    private String rootElement;
    private final Set<String> extraDimensions = new LinkedHashSet<>();

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
