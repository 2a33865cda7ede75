package io.autobutler.core.query.expr;

import io.autobutler.core.time.LeapSeconds;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.FieldType;

/**
 * Translates a {@code --where} expression into a PostgreSQL boolean expression over the registry schema, with
 * every value bound as a parameter (see {@link SqlPredicate}).
 *
 * <p>Semantics follow daf_butler w.2025.20 ({@code queries/_identifiers.py}, {@code _expression_strings.py},
 * {@code queries/tree/_predicate.py}):
 * <ul>
 *   <li>Identifiers are case-insensitive. A bind value of that name wins; then {@code NULL}; then a dimension
 *       name means its key ({@code exposure}, {@code band}); then a field that exactly one element of the query or
 *       the (single) dataset type has ({@code observation_type}), else "Ambiguous identifier". {@code element.field}
 *       names a field, {@code element.id} / {@code element.name} (the key) the dimension itself, {@code
 *       visit.instrument} the dimension {@code instrument}; {@code <datasetType>.dataset_id|ingest_date|run|
 *       collection}; {@code timespan.begin}, {@code element.timespan.begin|end}.</li>
 *   <li>{@code x = NULL} / {@code x != NULL} are {@code IS NULL} / {@code IS NOT NULL}.</li>
 *   <li>Comparisons need operands of one type; int and float mix (an extension: daf_butler refuses). Ordering
 *       works on int, float, string and times. {@code OVERLAPS} works on timespans, a timespan and a time (the
 *       timespan contains the time), and tuples {@code (T'begin', T'end')} (NULL for an open end).</li>
 *   <li>{@code IN} takes literals, bind values and bound lists, identifiers, {@code UUID(...)} and inclusive
 *       integer ranges {@code a..b[:stride]}; {@code NULL} in the list matches NULL.</li>
 *   <li>Arithmetic {@code + - * /} on numbers and {@code %} on integers; integer division truncates as in SQL;
 *       division by a literal zero is an error, by a column that is zero gives NULL.</li>
 *   <li>Times are butler nanoseconds (TAI) for {@code timespan.begin/end}; {@code ingest_date} is a UTC
 *       {@code TIMESTAMP}, and times compared with it are converted to UTC.</li>
 *   <li>{@code GLOB(identifier, 'pattern')} is a case-sensitive {@code LIKE} with {@code *} and {@code ?}
 *       translated and the other characters (SQL wildcards included) matched literally; {@code \} escapes
 *       {@code *}, {@code ?} and itself.</li>
 * </ul>
 * The SQL uses PostgreSQL's operator precedence, with parentheses only where needed, and one flat list for a
 * run of one logical operator ({@code a OR b OR c}).
 *
 * <p>Dimensions outside the context's are accepted once the context is widened for the expression
 * ({@link QueryContext#widenedFor(Node)}, which uses {@link #namedDimensions} to find them); unqualified field names
 * are looked up in the context's base dimensions only, as daf_butler does.
 *
 * <p>Rejected with an {@link ExpressionException} ({@link ExpressionException.Kind#INVALID}): unknown, ambiguous
 * and out-of-query identifiers; type mismatches; bind names missing from the binds; lists outside {@code IN};
 * functions other than {@code GLOB} and {@code UUID}; spatial constraints ({@code POINT}, regions, {@code OVERLAPS}
 * on regions: regions are sphgeom encodings and the registry has no skypix overlap tables); and, not supported yet,
 * the dataset {@code timespan} field of calibration lookups.
 */
public final class SqlTranslator {

  /** Why regions, POINT() and OVERLAPS on regions are refused. */
  static final String NO_REGIONS = "spatial constraints (regions, POINT, OVERLAPS on regions) cannot be evaluated:"
      + " regions are stored as sphgeom encodings and the registry has no skypix overlap tables to test them with";

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private SqlTranslator() {
  }

  /**
   * Parses and translates an expression; an empty one gives {@link SqlPredicate#TRUE}.
   *
   * @throws ExpressionException when the expression cannot be parsed or means nothing in this query
   */
  public static SqlPredicate translate(String expression, QueryContext context) {
    return translate(ExpressionParser.parse(expression).orElse(null), context);
  }

  /**
   * Translates a parsed expression; null (an empty expression) gives {@link SqlPredicate#TRUE}.
   *
   * @throws ExpressionException when the expression means nothing in this query
   */
  public static SqlPredicate translate(Node tree, QueryContext context) {
    if (tree == null) {
      return SqlPredicate.TRUE;
    }
    Translation translation = new Translation(context, null);
    try {
      Frag predicate = translation.predicate(translation.term(tree), tree);
      return new SqlPredicate(predicate.sql, predicate.params, translation.joins);
    } catch (StackOverflowError e) {
      throw new ExpressionException(ExpressionException.Kind.INVALID, "Expression is too deeply nested",
          SourcePos.START);
    }
  }

  /**
   * The dimensions an expression names, directly ({@code visit}, {@code visit.id}) or through an element's field
   * ({@code visit.name} names the dimensions of visit's key: instrument and visit), each with the position of its
   * first mention. Unqualified fields are looked up in the context's base dimensions, so they name none outside.
   *
   * @throws ExpressionException when the expression has an error that does not depend on the query's dimensions
   */
  static Map<String, SourcePos> namedDimensions(Node tree, QueryContext context) {
    Translation gathering = new Translation(context, new LinkedHashMap<>());
    gathering.term(tree);
    return gathering.named;
  }

  /** One {@code --order-by} term: the SQL of the column and whether it sorts in descending order. */
  public record OrderTerm(String sql, boolean descending, Set<String> elementsToJoin) {
  }

  /**
   * Translates an {@code --order-by} name as daf_butler's {@code convert_order_by_args}: an identifier (a dimension,
   * {@code element.field}, a field, {@code timespan.begin}) with an optional {@code -} prefix for descending order.
   *
   * @throws ExpressionException when the name is not a column of the query
   */
  public static OrderTerm orderTerm(String term, QueryContext context) {
    String name = term.strip();
    boolean descending = name.startsWith("-");
    if (descending) {
      name = name.substring(1);
    }
    if (name.isEmpty()) {
      throw new ExpressionException(ExpressionException.Kind.INVALID, "Empty dimension name in ORDER BY",
          SourcePos.START);
    }
    // daf_butler interprets order-by names without the bind values.
    Translation translation = new Translation(context.withBinds(Map.of()), null);
    Term column = translation.identifier(new Node.Identifier(name, SourcePos.START));
    if (!(column instanceof Expr e) || e.type() == Type.REGION) {
      throw ExpressionException.invalid("'" + name + "' is not a column that rows can be ordered by", SourcePos.START);
    }
    return new OrderTerm(e.frag().at(ATOM), descending, translation.joins);
  }

  /** Turns a glob pattern ({@code *}, {@code ?}, {@code \} escapes) into a LIKE pattern with {@code \} escapes. */
  static String likePattern(String glob) {
    StringBuilder like = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (escaped) {
        escaped = false;
        if (c == '*' || c == '?') {
          like.append(c);
        } else if (c == '\\') {
          like.append("\\\\");
        } else {
          like.append("\\\\");
          appendLiteral(like, c);
        }
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '*') {
        like.append('%');
      } else if (c == '?') {
        like.append('_');
      } else {
        appendLiteral(like, c);
      }
    }
    if (escaped) {
      like.append("\\\\");
    }
    return like.toString();
  }

  private static void appendLiteral(StringBuilder like, char c) {
    if (c == '%' || c == '_' || c == '\\') {
      like.append('\\');
    }
    like.append(c);
  }

  // --------------------------------------------------------------------------------------------------------------
  // Typed intermediate results.
  // --------------------------------------------------------------------------------------------------------------

  /** The value types of the language, named as daf_butler names column types in its messages. */
  private enum Type {
    INT("int"), FLOAT("float"), STRING("string"), BOOL("bool"), DATETIME("datetime"), TIMESPAN("timespan"),
    REGION("region"), UUID("uuid"), BYTES("hash");

    final String label;

    Type(String label) {
      this.label = label;
    }

    boolean numeric() {
      return this == INT || this == FLOAT;
    }

    boolean ordered() {
      return this == INT || this == FLOAT || this == STRING || this == DATETIME;
    }
  }

  // SQL precedence levels of the fragments built here, lowest first (PostgreSQL's order: OR, AND, NOT, comparisons
  // and IS / IN / BETWEEN / LIKE, other operators such as && and @>, + -, * / %, unary minus, atoms).
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int PRED = 4;
  private static final int OTHER = 5;
  private static final int ADD = 6;
  private static final int MUL = 7;
  private static final int UNARY = 8;
  private static final int ATOM = 9;

  /** A piece of SQL, its parameters and the precedence of its top-level operator ({@link #ATOM} for none). */
  private record Frag(String sql, List<Object> params, int prec) {
    Frag {
      params = List.copyOf(params);
    }

    /** The SQL as an operand that needs at least precedence {@code min}: parenthesised when lower. */
    String at(int min) {
      return prec >= min ? sql : "(" + sql + ")";
    }
  }

  /** What a node translates to. */
  private sealed interface Term permits Expr, Lit, Null, Range, Seq {
  }

  /** A SQL expression of a type; {@code timestamp} for times stored as UTC TIMESTAMP (ingest_date). */
  private record Expr(Frag frag, Type type, boolean timestamp) implements Term {
  }

  /**
   * A value known at translation: Long (int), Double (float), String, Boolean, UUID, byte[] (hash), Long butler
   * nanoseconds (datetime), long[2] begin/end nanoseconds (timespan).
   */
  private record Lit(Object value, Type type) implements Term {
  }

  private record Null() implements Term {
  }

  private record Range(long start, long stop, long stride) implements Term {
  }

  /** A bound list, set or array: allowed on the right of IN only. */
  private record Seq(List<Term> items) implements Term {
  }

  private static String label(Term term) {
    if (term instanceof Expr e) {
      return e.type().label;
    }
    if (term instanceof Lit l) {
      return l.type().label;
    }
    if (term instanceof Null) {
      return "NULL";
    }
    if (term instanceof Range) {
      return "range";
    }
    return "list";
  }

  private static Type typeOf(Term term) {
    if (term instanceof Expr e) {
      return e.type();
    }
    if (term instanceof Lit l) {
      return l.type();
    }
    return null;
  }

  // --------------------------------------------------------------------------------------------------------------
  // The translation of one expression.
  // --------------------------------------------------------------------------------------------------------------

  private static final class Translation {
    private final QueryContext context;
    private final Set<String> joins = new LinkedHashSet<>();
    /** When not null, the pass only gathers the dimensions named (see {@link #namedDimensions}), into this. */
    private final Map<String, SourcePos> named;

    Translation(QueryContext context, Map<String, SourcePos> named) {
      this.context = context;
      this.named = named;
    }

    Term term(Node node) {
      if (node instanceof Node.NumericLiteral n) {
        return numeric(n);
      }
      if (node instanceof Node.StringLiteral s) {
        return new Lit(s.value(), Type.STRING);
      }
      if (node instanceof Node.TimeLiteral t) {
        return new Lit(t.taiNanos(), Type.DATETIME);
      }
      if (node instanceof Node.RangeLiteral r) {
        return new Range(r.start(), r.stop(), r.strideOrOne());
      }
      if (node instanceof Node.UuidLiteral u) {
        return new Lit(u.value(), Type.UUID);
      }
      if (node instanceof Node.Identifier id) {
        return identifier(id);
      }
      if (node instanceof Node.BindName b) {
        String name = b.name().toLowerCase(Locale.ROOT);
        if (!context.binds().containsKey(name)) {
          throw ExpressionException.invalid("Bind name ':" + b.name() + "' is not in the bind map", b.pos());
        }
        return bindValue(b.name(), context.binds().get(name), b.pos(), true);
      }
      if (node instanceof Node.Parens p) {
        return term(p.expr());
      }
      if (node instanceof Node.TupleNode t) {
        return timespanLiteral(t);
      }
      if (node instanceof Node.UnaryOp u) {
        return unary(u);
      }
      if (node instanceof Node.BinaryOp b) {
        return binarySpine(b);
      }
      if (node instanceof Node.IsIn in) {
        return isIn(in);
      }
      if (node instanceof Node.GlobNode g) {
        return glob(g);
      }
      if (node instanceof Node.PointNode p) {
        throw ExpressionException.invalid("POINT() is not supported: " + NO_REGIONS, p.pos());
      }
      Node.FunctionCall f = (Node.FunctionCall) node;
      throw ExpressionException.invalid("Function '" + f.name() + "' is not supported; the supported functions are "
          + "GLOB and UUID (POINT is recognised, but spatial constraints are not supported)", f.pos());
    }

    Frag predicate(Term term, Node node) {
      if (term instanceof Expr e && e.type() == Type.BOOL) {
        return e.frag();
      }
      if (term instanceof Lit l && l.type() == Type.BOOL) {
        return new Frag("?", List.of(l.value()), ATOM);
      }
      throw ExpressionException.invalid("Expression '" + show(node) + "' is not a boolean expression (it is of type "
          + label(term) + ")", node.pos());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Literals and binds.
    // ---------------------------------------------------------------------------------------------------------

    private Term numeric(Node.NumericLiteral n) {
      String text = n.text();
      if (INTEGER.matcher(text).matches()) {
        BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
          throw ExpressionException.invalid("Integer literal " + text + " is outside the 64-bit integer range",
              n.pos());
        }
        return new Lit(value.longValue(), Type.INT);
      }
      double value = Double.parseDouble(text);
      if (Double.isInfinite(value)) {
        throw ExpressionException.invalid("Numeric literal " + text + " is outside the floating-point range",
            n.pos());
      }
      return new Lit(value, Type.FLOAT);
    }

    private Term bindValue(String name, Object value, SourcePos at, boolean allowList) {
      if (value == null) {
        return new Null();
      }
      if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
        return new Lit(((Number) value).longValue(), Type.INT);
      }
      if (value instanceof BigInteger big) {
        if (big.compareTo(LONG_MIN) < 0 || big.compareTo(LONG_MAX) > 0) {
          throw ExpressionException.invalid("Bind value of '" + name + "' is outside the 64-bit integer range", at);
        }
        return new Lit(big.longValue(), Type.INT);
      }
      if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
        return new Lit(((Number) value).doubleValue(), Type.FLOAT);
      }
      if (value instanceof CharSequence text) {
        return new Lit(text.toString(), Type.STRING);
      }
      if (value instanceof Boolean flag) {
        return new Lit(flag, Type.BOOL);
      }
      if (value instanceof UUID uuid) {
        return new Lit(uuid, Type.UUID);
      }
      if (value instanceof byte[] bytes) {
        return new Lit(bytes.clone(), Type.BYTES);
      }
      if (value instanceof Instant instant) {
        return new Lit(LeapSeconds.utcToTai(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)), Type.DATETIME);
      }
      if (value instanceof OffsetDateTime time) {
        return bindValue(name, time.toInstant(), at, allowList);
      }
      if (value instanceof ZonedDateTime time) {
        return bindValue(name, time.toInstant(), at, allowList);
      }
      if (value instanceof LocalDateTime utc) {
        return new Lit(LeapSeconds.utcToTai(utc), Type.DATETIME);
      }
      if (value instanceof Collection<?> || value instanceof Object[]) {
        Collection<?> items = value instanceof Object[] array ? Arrays.asList(array) : (Collection<?>) value;
        if (!allowList) {
          throw ExpressionException.invalid("Bind value of '" + name + "' holds a list inside a list", at);
        }
        List<Term> terms = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (Object item : items) {
          Term term = bindValue(name, item, at, false);
          terms.add(term);
          if (!(term instanceof Null)) {
            types.add(label(term));
          }
        }
        if (types.size() > 1) {
          throw ExpressionException.invalid("Mismatched types in bind iterable '" + name + "': a mix of " + types,
              at);
        }
        return new Seq(terms);
      }
      throw ExpressionException.invalid("Bind value of '" + name + "' has unsupported type "
          + value.getClass().getName(), at);
    }

    private Term timespanLiteral(Node.TupleNode tuple) {
      long[] bounds = new long[2];
      Node[] items = {tuple.first(), tuple.second()};
      for (int i = 0; i < 2; i++) {
        Term item = term(items[i]);
        if (item instanceof Null) {
          bounds[i] = i == 0 ? LeapSeconds.MIN_NSEC : LeapSeconds.MAX_NSEC;
        } else if (item instanceof Lit lit && lit.type() == Type.DATETIME) {
          bounds[i] = (Long) lit.value();
        } else {
          throw ExpressionException.invalid("Invalid type in timespan tuple \"" + show(tuple)
              + "\" (Note that date/time strings must be preceded by \"T\" to be recognized)", tuple.pos());
        }
      }
      if (bounds[1] < bounds[0]) {
        // daf_butler makes an empty timespan of an inverted one; so does [x, x).
        bounds[1] = bounds[0];
      }
      return new Lit(bounds, Type.TIMESPAN);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Identifiers.
    // ---------------------------------------------------------------------------------------------------------

    private Term identifier(Node.Identifier id) {
      String name = id.name().toLowerCase(Locale.ROOT);
      if (context.binds().containsKey(name)) {
        return bindValue(id.name(), context.binds().get(name), id.pos(), true);
      }
      if (name.equals("null")) {
        return new Null();
      }
      return column(name, id);
    }

    private Expr column(String name, Node.Identifier id) {
      SourcePos at = id.pos();
      String[] parts = name.split("\\.");
      if (parts.length == 1) {
        if (context.universe().isDimension(name)) {
          return dimensionKey(name, at);
        }
        List<String> matches = new ArrayList<>();
        DimensionElement matched = null;
        for (DimensionElement element : context.baseElements()) {
          if (schemaNames(element).contains(name)) {
            matches.add(element.name());
            matched = element;
          }
        }
        String datasetType = null;
        if (QueryContext.DATASET_FIELDS.contains(name)) {
          for (String type : context.datasetTypes()) {
            matches.add(type);
            datasetType = type;
          }
        }
        if (matches.size() > 1) {
          throw ExpressionException.invalid("Ambiguous identifier '" + name + "' matches multiple fields: "
              + matches.stream().sorted().map(m -> "'" + m + "." + name + "'").collect(Collectors.joining(", ")),
              at);
        }
        if (matched != null) {
          if (matched.isDimension() && name.equals(matched.key())) {
            return dimensionKey(matched.name(), at);
          }
          return elementField(matched, name, at);
        }
        if (datasetType != null) {
          return datasetField(name, at);
        }
      } else if (parts.length == 2) {
        String first = parts[0];
        String second = parts[1];
        DimensionElement element = context.universe().element(first).orElse(null);
        if (element != null) {
          if (element.isDimension() && second.equals(element.key())) {
            return dimensionKey(first, at);
          }
          if (element.required().contains(second) || element.implied().contains(second)) {
            return dimensionKey(second, at);
          }
          if (remainderNames(element).contains(second)) {
            return elementField(element, second, at);
          }
          throw ExpressionException.invalid("Unrecognized field '" + second + "' for " + first, at);
        }
        if (QueryContext.DATASET_FIELDS.contains(second)) {
          if (context.datasetTypes().stream().noneMatch(t -> t.equalsIgnoreCase(first))) {
            throw ExpressionException.invalid("Identifier '" + id.name() + "' references dataset type '" + first
                + "', which is not a dataset type of this query (" + String.join(", ", context.datasetTypes())
                + ")", at);
          }
          return datasetField(second, at);
        }
        if (first.equals("timespan") && (second.equals("begin") || second.equals("end"))) {
          return bound(column("timespan", id), second, id);
        }
        if (context.datasetTypes().stream().anyMatch(t -> t.equalsIgnoreCase(first))) {
          throw ExpressionException.invalid("Identifier '" + id.name() + "' references dataset type '" + first
              + "' but field '" + second + "' is not valid for datasets", at);
        }
      } else if (parts.length == 3 && (parts[2].equals("begin") || parts[2].equals("end"))) {
        return bound(column(parts[0] + "." + parts[1], id), parts[2], id);
      }
      throw ExpressionException.invalid("Unrecognized identifier '" + id.name() + "'", at);
    }

    /** {@code x.begin} / {@code x.end} of a timespan. */
    private Expr bound(Expr timespan, String which, Node.Identifier id) {
      if (timespan.type() != Type.TIMESPAN) {
        throw ExpressionException.invalid("'." + which + "' applies to timespans only, not to a "
            + timespan.type().label + " in '" + id.name() + "'", id.pos());
      }
      String function = which.equals("begin") ? "lower" : "upper";
      return new Expr(new Frag(function + "(" + timespan.frag().sql() + ")", timespan.frag().params(), ATOM),
          Type.DATETIME, false);
    }

    private Expr dimensionKey(String dimension, SourcePos at) {
      DimensionElement element = context.universe().element(dimension).orElseThrow();
      if (named != null) {
        named.putIfAbsent(dimension, at);
        return new Expr(new Frag("NULL", List.of(), ATOM), type(element.keyType()), false);
      }
      if (!context.dimensions().names().contains(dimension)) {
        throw ExpressionException.invalid("Dimension '" + dimension + "' is not part of this query, whose"
            + " dimensions are " + String.join(", ", context.dimensions().dataCoordinateKeys()), at);
      }
      return new Expr(new Frag(context.keySql(dimension, joins, at), List.of(), ATOM), type(element.keyType()),
          false);
    }

    private Expr elementField(DimensionElement element, String field, SourcePos at) {
      Type type;
      if (field.equals("timespan")) {
        type = Type.TIMESPAN;
      } else if (field.equals("region")) {
        type = Type.REGION;
      } else {
        type = type(element.fields().get(field));
      }
      if (named != null) {
        element.required().forEach(d -> named.putIfAbsent(d, at));
        if (element.isDimension()) {
          named.putIfAbsent(element.name(), at);
        }
        return new Expr(new Frag("NULL", List.of(), ATOM), type, false);
      }
      if (!context.hasElement(element)) {
        throw context.notInQuery(element.name(), at);
      }
      context.requireJoin(element.name(), joins, at);
      return new Expr(new Frag(context.elementAlias(element.name()) + "." + QueryContext.quote(field), List.of(),
          ATOM), type, false);
    }

    private Expr datasetField(String field, SourcePos at) {
      String alias = QueryContext.quote(context.datasetAlias());
      return switch (field) {
        case "dataset_id" -> new Expr(new Frag(alias + ".id", List.of(), ATOM), Type.UUID, false);
        case "ingest_date" -> new Expr(new Frag(alias + ".ingest_date", List.of(), ATOM), Type.DATETIME, true);
        case "run" -> new Expr(new Frag(context.runSql(), List.of(), OR), Type.STRING, false);
        case "collection" -> new Expr(new Frag(context.collectionSql().orElseThrow(() -> ExpressionException.invalid(
            "The dataset field 'collection' is not available in this query", at)), List.of(), OR), Type.STRING,
            false);
        default -> throw ExpressionException.invalid("The dataset field '" + field + "' (validity ranges of"
            + " calibration lookups) is not supported yet", at);
      };
    }

    /** The names of an element's schema: its key, its required and implied dimensions, its other fields. */
    private static Set<String> schemaNames(DimensionElement element) {
      Set<String> names = new LinkedHashSet<>();
      if (element.isDimension()) {
        names.add(element.key());
      }
      names.addAll(element.required());
      names.addAll(element.implied());
      names.addAll(remainderNames(element));
      return names;
    }

    /** The fields of an element other than its key and dimensions, with timespan and region. */
    private static Set<String> remainderNames(DimensionElement element) {
      Set<String> names = new LinkedHashSet<>(element.fields().keySet());
      if (element.temporal()) {
        names.add("timespan");
      }
      if (element.spatial()) {
        names.add("region");
      }
      return names;
    }

    private static Type type(FieldType fieldType) {
      return switch (fieldType) {
        case STRING -> Type.STRING;
        case INT -> Type.INT;
        case FLOAT -> Type.FLOAT;
        case BOOLEAN -> Type.BOOL;
        case BYTES -> Type.BYTES;
        case REGION -> Type.REGION;
        case TIMESPAN -> Type.TIMESPAN;
      };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operators.
    // ---------------------------------------------------------------------------------------------------------

    private Term unary(Node.UnaryOp u) {
      Term operand = term(u.operand());
      switch (u.op()) {
        case NOT -> {
          if (isPredicate(operand)) {
            Frag frag = predicate(operand, u.operand());
            return new Expr(join("NOT " + frag.at(PRED), NOT, frag), Type.BOOL, false);
          }
        }
        case PLUS -> {
          if (typeOf(operand) != null && typeOf(operand).numeric()) {
            return operand;
          }
        }
        default -> {
          if (operand instanceof Lit lit && lit.type() == Type.INT) {
            long value = (Long) lit.value();
            if (value == Long.MIN_VALUE) {
              throw ExpressionException.invalid("Integer -(" + value + ") is outside the 64-bit integer range",
                  u.pos());
            }
            return new Lit(-value, Type.INT);
          }
          if (operand instanceof Lit lit && lit.type() == Type.FLOAT) {
            return new Lit(-(Double) lit.value(), Type.FLOAT);
          }
          if (operand instanceof Expr e && e.type().numeric()) {
            // The operand is atomic, so the text never becomes "--", a SQL comment.
            return new Expr(join("-" + e.frag().at(ATOM), UNARY, e.frag()), e.type(), false);
          }
        }
      }
      throw ExpressionException.invalid("Unary operator '" + u.op().symbol() + "' is not valid for operand of type "
          + label(operand) + " in " + show(u), u.pos());
    }

    private static boolean isPredicate(Term term) {
      return typeOf(term) == Type.BOOL;
    }

    /**
     * A binary operation. A chain of them down the left ({@code a OR b OR c ...}, as the parser builds
     * left-associative operators) is processed in a loop, and runs of one logical operator become one flat SQL
     * list, so that long chains need neither deep recursion nor deeply nested SQL.
     */
    private Term binarySpine(Node.BinaryOp top) {
      Deque<Node.BinaryOp> spine = new ArrayDeque<>();
      Node current = top;
      while (current instanceof Node.BinaryOp b) {
        spine.push(b);
        current = b.lhs();
      }
      Term result = term(current);
      while (!spine.isEmpty()) {
        Node.BinaryOp b = spine.pop();
        result = b.op().isLogical() ? logicalRun(b, result, spine) : binary(b, result, term(b.rhs()));
      }
      return result;
    }

    /** {@code first} and the operations above it with the same logical operator, as {@code a OR b OR c}. */
    private Term logicalRun(Node.BinaryOp first, Term lhs, Deque<Node.BinaryOp> spine) {
      Node.BinaryOperator op = first.op();
      int prec = op == Node.BinaryOperator.AND ? AND : OR;
      Term rhs = term(first.rhs());
      if (!isPredicate(lhs) || !isPredicate(rhs)) {
        throw invalidTypes(first, label(lhs), label(rhs));
      }
      List<Frag> parts = new ArrayList<>();
      parts.add(predicate(lhs, first.lhs()));
      parts.add(predicate(rhs, first.rhs()));
      while (!spine.isEmpty() && spine.peek().op() == op) {
        Node.BinaryOp next = spine.pop();
        Term more = term(next.rhs());
        if (!isPredicate(more)) {
          throw invalidTypes(next, Type.BOOL.label, label(more));
        }
        parts.add(predicate(more, next.rhs()));
      }
      StringBuilder sql = new StringBuilder(parts.get(0).at(prec));
      for (int i = 1; i < parts.size(); i++) {
        sql.append(' ').append(op.symbol()).append(' ').append(parts.get(i).at(prec + 1));
      }
      return new Expr(join(sql.toString(), prec, parts), Type.BOOL, false);
    }

    private Term binary(Node.BinaryOp b, Term lhs, Term rhs) {
      rejectNonScalar(lhs, b.lhs(), b);
      rejectNonScalar(rhs, b.rhs(), b);
      if (b.op() == Node.BinaryOperator.OVERLAPS) {
        return overlaps(b, lhs, rhs);
      }
      if (b.op().isComparison()) {
        return compare(b, lhs, rhs);
      }
      return arithmetic(b, lhs, rhs);
    }

    private void rejectNonScalar(Term term, Node node, Node.BinaryOp b) {
      if (term instanceof Range) {
        throw ExpressionException.invalid("Range literal " + show(node) + " is allowed only inside IN (...), not"
            + " with operator '" + b.op().symbol() + "'", node.pos());
      }
      if (term instanceof Seq) {
        throw ExpressionException.invalid("Bind value " + show(node) + " is a list, which is allowed only on the"
            + " right-hand side of IN", node.pos());
      }
      if (typeOf(term) == Type.REGION) {
        throw ExpressionException.invalid("Region " + show(node) + " cannot be used: " + NO_REGIONS, node.pos());
      }
    }

    private Term compare(Node.BinaryOp b, Term lhs, Term rhs) {
      boolean eq = b.op() == Node.BinaryOperator.EQ;
      boolean ne = b.op() == Node.BinaryOperator.NE;
      if (lhs instanceof Null || rhs instanceof Null) {
        if ((eq || ne) && !(lhs instanceof Null && rhs instanceof Null)) {
          Term value = lhs instanceof Null ? rhs : lhs;
          Frag frag = render(value, typeOf(value), timestamp(value));
          return new Expr(join(frag.at(OTHER) + (eq ? " IS NULL" : " IS NOT NULL"), PRED, frag), Type.BOOL, false);
        }
        throw invalidTypes(b, label(lhs), label(rhs));
      }
      Type type = commonType(lhs, rhs);
      if (type == null) {
        throw invalidTypes(b, label(lhs), label(rhs));
      }
      if (!(eq || ne) && !type.ordered()) {
        throw ExpressionException.invalid("Invalid column type " + type.label + " for operator '" + b.op().symbol()
            + "' in expression " + show(b), b.pos());
      }
      boolean timestamp = timestampOf(b, lhs, rhs);
      Frag l = render(lhs, type, timestamp);
      Frag r = render(rhs, type, timestamp);
      String op = ne ? "<>" : b.op().symbol();
      return new Expr(join(l.at(OTHER) + " " + op + " " + r.at(OTHER), PRED, l, r), Type.BOOL, false);
    }

    private Term overlaps(Node.BinaryOp b, Term lhs, Term rhs) {
      Type lt = typeOf(lhs);
      Type rt = typeOf(rhs);
      if (lt == Type.TIMESPAN && rt == Type.TIMESPAN) {
        Frag l = render(lhs, lt, false);
        Frag r = render(rhs, rt, false);
        return new Expr(join(l.at(ATOM) + " && " + r.at(ATOM), OTHER, l, r), Type.BOOL, false);
      }
      if ((lt == Type.TIMESPAN && rt == Type.DATETIME) || (lt == Type.DATETIME && rt == Type.TIMESPAN)) {
        Term span = lt == Type.TIMESPAN ? lhs : rhs;
        Term time = lt == Type.TIMESPAN ? rhs : lhs;
        if (timestamp(time)) {
          throw ExpressionException.invalid("ingest_date cannot be compared with a timespan in " + show(b), b.pos());
        }
        Frag s = render(span, Type.TIMESPAN, false);
        Frag t = render(time, Type.DATETIME, false);
        return new Expr(join(s.at(ATOM) + " @> " + t.at(ATOM), OTHER, s, t), Type.BOOL, false);
      }
      throw ExpressionException.invalid("Invalid column types " + label(lhs) + ", " + label(rhs)
          + " for operator 'OVERLAPS' in expression " + show(b) + " (it compares timespans, or a timespan and a"
          + " time)", b.pos());
    }

    private Term arithmetic(Node.BinaryOp b, Term lhs, Term rhs) {
      Type lt = typeOf(lhs);
      Type rt = typeOf(rhs);
      if (lt == null || rt == null || !lt.numeric() || !rt.numeric()) {
        throw invalidTypes(b, label(lhs), label(rhs));
      }
      Type type = lt == Type.FLOAT || rt == Type.FLOAT ? Type.FLOAT : Type.INT;
      if (b.op() == Node.BinaryOperator.MOD && type != Type.INT) {
        throw ExpressionException.invalid("Invalid column type float for operator '%' in expression " + show(b),
            b.pos());
      }
      boolean divides = b.op() == Node.BinaryOperator.DIV || b.op() == Node.BinaryOperator.MOD;
      if (divides && rhs instanceof Lit lit && ((Number) lit.value()).doubleValue() == 0) {
        throw ExpressionException.invalid("Division by zero in expression " + show(b), b.pos());
      }
      int prec = b.op() == Node.BinaryOperator.ADD || b.op() == Node.BinaryOperator.SUB ? ADD : MUL;
      Frag l = render(lhs, type, false);
      Frag r = render(rhs, type, false);
      // A divisor that is a column may be zero: NULLIF makes that NULL (no match) instead of a SQL error.
      String right = divides && !(rhs instanceof Lit) ? "NULLIF(" + r.sql() + ", 0)" : r.at(prec + 1);
      return new Expr(join(l.at(prec) + " " + b.op().symbol() + " " + right, prec, l, r), type, false);
    }

    private Term isIn(Node.IsIn in) {
      Term lhs = term(in.lhs());
      if (!(lhs instanceof Expr || lhs instanceof Lit)) {
        throw ExpressionException.invalid("The left-hand side of IN must be a single value, not " + label(lhs)
            + " in " + show(in), in.pos());
      }
      Type lhsType = typeOf(lhs);
      if (lhsType == Type.TIMESPAN || lhsType == Type.REGION) {
        throw ExpressionException.invalid("Timespan or region " + show(in.lhs()) + " may not be used in IN"
            + " expressions", in.pos());
      }
      List<Term> values = new ArrayList<>();
      List<Node> sources = new ArrayList<>();
      for (Node value : in.values()) {
        Term item = term(value);
        if (item instanceof Seq seq) {
          for (Term t : seq.items()) {
            values.add(t);
            sources.add(value);
          }
        } else {
          values.add(item);
          sources.add(value);
        }
      }
      Type type = lhsType;
      Set<Boolean> representations = new LinkedHashSet<>();
      if (lhs instanceof Expr e && e.type() == Type.DATETIME) {
        representations.add(e.timestamp());
      }
      for (Term value : values) {
        if (typeOf(value) == Type.FLOAT && lhsType == Type.INT) {
          type = Type.FLOAT;
        }
        if (value instanceof Expr e && e.type() == Type.DATETIME) {
          representations.add(e.timestamp());
        }
      }
      if (representations.size() > 1) {
        throw ExpressionException.invalid("ingest_date cannot be compared with a TAI time column in " + show(in),
            in.pos());
      }
      boolean timestamp = representations.contains(Boolean.TRUE);
      List<Frag> plain = new ArrayList<>();
      List<Frag> alternatives = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        Term value = values.get(i);
        Node source = sources.get(i);
        if (value instanceof Null) {
          Frag l = render(lhs, type, timestamp);
          alternatives.add(join(l.at(OTHER) + " IS NULL", PRED, l));
        } else if (value instanceof Range range) {
          alternatives.add(inRange(lhs, lhsType, range, source));
        } else {
          Type valueType = typeOf(value);
          if (valueType == Type.REGION || valueType == Type.TIMESPAN || commonType(lhs, value) == null) {
            throw ExpressionException.invalid("Column types for membership test " + show(in) + " do not agree ("
                + lhsType.label + ", " + label(value) + ")", source.pos());
          }
          plain.add(render(value, type, timestamp));
        }
      }
      if (!plain.isEmpty()) {
        Frag l = render(lhs, type, timestamp);
        List<Frag> parts = new ArrayList<>();
        parts.add(l);
        parts.addAll(plain);
        String list = plain.stream().map(Frag::sql).collect(Collectors.joining(", "));
        if (alternatives.isEmpty() && in.notIn()) {
          return new Expr(join(l.at(OTHER) + " NOT IN (" + list + ")", PRED, parts), Type.BOOL, false);
        }
        alternatives.add(0, join(l.at(OTHER) + " IN (" + list + ")", PRED, parts));
      }
      Frag any;
      if (alternatives.isEmpty()) {
        any = new Frag("FALSE", List.of(), ATOM);
      } else if (alternatives.size() == 1) {
        any = alternatives.get(0);
      } else {
        any = join(alternatives.stream().map(a -> a.at(AND)).collect(Collectors.joining(" OR ")), OR, alternatives);
      }
      if (in.notIn()) {
        any = join("NOT " + any.at(PRED), NOT, any);
      }
      return new Expr(any, Type.BOOL, false);
    }

    private Frag inRange(Term lhs, Type lhsType, Range range, Node source) {
      if (lhsType != Type.INT) {
        throw ExpressionException.invalid("Range " + show(source) + " applies to integers only, not to a "
            + lhsType.label, source.pos());
      }
      // daf_butler: start..stop inclusive is the half-open [start, stop + 1), which must not be inverted.
      if (range.stop() < range.start() - 1) {
        throw ExpressionException.invalid("Range stop must be >= start in " + show(source), source.pos());
      }
      Frag l = render(lhs, Type.INT, false);
      Frag between = join(l.at(OTHER) + " BETWEEN ? AND ?", PRED, l, params(range.start(), range.stop()));
      if (range.stride() == 1) {
        return between;
      }
      Frag offset = join(l.at(ADD) + " - ?", ADD, l, params(range.start()));
      Frag modulo = join(offset.at(MUL) + " % ?", MUL, offset, params(range.stride()));
      Frag onStride = join(modulo.at(OTHER) + " = 0", PRED, modulo);
      return join(between.at(AND) + " AND " + onStride.at(NOT), AND, between, onStride);
    }

    private Term glob(Node.GlobNode g) {
      Term target = identifier(g.expression());
      if (!(target instanceof Expr column) || column.type() != Type.STRING) {
        throw ExpressionException.invalid("glob() first argument must be a string column (in " + show(g) + ")",
            g.expression().pos());
      }
      String pattern;
      if (g.pattern() instanceof Node.StringLiteral s) {
        pattern = s.value();
      } else {
        Term bound = term(g.pattern());
        if (!(bound instanceof Lit lit) || lit.type() != Type.STRING) {
          throw ExpressionException.invalid("glob() second argument must be a string (in " + show(g) + ")",
              g.pattern().pos());
        }
        pattern = (String) lit.value();
      }
      if (pattern.equals("*")) {
        return new Expr(new Frag("TRUE", List.of(), ATOM), Type.BOOL, false);
      }
      Frag c = column.frag();
      return new Expr(join(c.at(OTHER) + " LIKE ?", PRED, c, params(likePattern(pattern))), Type.BOOL, false);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers.
    // ---------------------------------------------------------------------------------------------------------

    /** The type two values are compared in, or null when they cannot be compared. */
    private static Type commonType(Term a, Term b) {
      Type ta = typeOf(a);
      Type tb = typeOf(b);
      if (ta == null || tb == null) {
        return null;
      }
      if (ta == tb) {
        return ta;
      }
      if (ta.numeric() && tb.numeric()) {
        return Type.FLOAT;
      }
      return null;
    }

    private static boolean timestamp(Term term) {
      return term instanceof Expr e && e.timestamp();
    }

    private static boolean timestampOf(Node.BinaryOp b, Term lhs, Term rhs) {
      if (lhs instanceof Expr l && rhs instanceof Expr r && l.type() == Type.DATETIME
          && l.timestamp() != r.timestamp()) {
        throw ExpressionException.invalid("ingest_date cannot be compared with a TAI time column in " + show(b),
            b.pos());
      }
      return timestamp(lhs) || timestamp(rhs);
    }

    /** The SQL of a term as a value of {@code type}; {@code timestamp} renders times as UTC timestamps. */
    private static Frag render(Term term, Type type, boolean timestamp) {
      if (term instanceof Expr e) {
        return e.frag();
      }
      Lit lit = (Lit) term;
      Object value = lit.value();
      if (lit.type() == Type.INT && type == Type.FLOAT) {
        value = ((Long) value).doubleValue();
      } else if (lit.type() == Type.DATETIME && timestamp) {
        value = LeapSeconds.taiToUtc((Long) value);
      } else if (lit.type() == Type.TIMESPAN) {
        long[] bounds = (long[]) value;
        return new Frag("int8range(?, ?)", List.of(bounds[0], bounds[1]), ATOM);
      }
      return new Frag("?", List.of(value), ATOM);
    }

    /** SQL of precedence {@code prec} whose parameters are those of {@code parts}, in order. */
    private static Frag join(String sql, int prec, Frag... parts) {
      return join(sql, prec, Arrays.asList(parts));
    }

    private static Frag join(String sql, int prec, List<Frag> parts) {
      List<Object> params = new ArrayList<>();
      for (Frag part : parts) {
        params.addAll(part.params());
      }
      return new Frag(sql, params, prec);
    }

    /** Parameters only, to splice after SQL that has their placeholders. */
    private static Frag params(Object... values) {
      return new Frag("", List.of(values), ATOM);
    }

    /** A node as text for a message, shortened when long. */
    private static String show(Node node) {
      String text = node.toString();
      return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    private static ExpressionException invalidTypes(Node.BinaryOp b, String lhs, String rhs) {
      return ExpressionException.invalid("Invalid types " + lhs + ", " + rhs + " for binary operator '"
          + b.op().symbol() + "' in expression " + show(b), b.pos());
    }
  }
}
