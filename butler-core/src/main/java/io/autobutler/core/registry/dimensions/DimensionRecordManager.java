package io.autobutler.core.registry.dimensions;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.registry.RegistryException;

/**
 * Dimension records, one table per element. Records are maps keyed as export files key them: the required
 * dimensions by name, the element's own key ({@code id} or {@code name}), implied dimensions, fields, {@code region}
 * (base64 text) and {@code datetime_begin}/{@code datetime_end} (TAI nanoseconds, as {@link Long}, or null).
 */
public final class DimensionRecordManager {

  /** Largest TAI nanosecond value the registry stores (2100-01-01 TAI), the end of an unbounded timespan. */
  public static final long MAX_TIME_NS = 4102444800L * 1_000_000_000L;
  private static final Set<String> TIME_FIELDS = Set.of("datetime_begin", "datetime_end");

  /** What to do with a record whose key exists already. */
  public enum Mode {
    /** Keep the existing row without comparing (butler import's {@code skip_existing=True}). */
    SKIP_EXISTING,
    /** Compare with the existing row; any difference is a ConflictingDefinitionError (butler's syncDimensionData). */
    SYNC
  }

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /** Inserts records of one element; returns how many were new. */
  public int insert(Connection c, String elementName, List<Map<String, Object>> records, Mode mode)
      throws SQLException {
    DimensionElement element = universe.element(elementName)
        .filter(DimensionElement::hasTable)
        .orElseThrow(() -> new RegistryException(INVALID_ARGUMENT, "'" + elementName
            + "' is not a dimension element with records"));
    if (records.isEmpty()) {
      return 0;
    }
    List<String> columns = columns(element);
    List<String> keyColumns = keyColumns(element);
    String sql = "INSERT INTO " + quote(element.name()) + " (" + String.join(", ", columns.stream()
        .map(DimensionRecordManager::quote).toList()) + ") VALUES (" + String.join(", ", columns.stream()
        .map(col -> col.equals("timespan") ? "CASE WHEN ?::bigint IS NULL AND ?::bigint IS NULL THEN NULL"
            + " ELSE int8range(coalesce(?::bigint, 0), coalesce(?::bigint, " + MAX_TIME_NS + "), '[)') END"
            : col.equals("hash") ? "?::bytea" : "?").toList()) + ") ON CONFLICT DO NOTHING";
    int inserted = 0;
    List<Map<String, Object>> existing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Map<String, Object> record : records) {
        check(element, columns, record);
        int index = 1;
        for (String column : columns) {
          if (column.equals("timespan")) {
            Object begin = record.get("datetime_begin");
            Object end = record.get("datetime_end");
            ps.setObject(index++, begin);
            ps.setObject(index++, end);
            ps.setObject(index++, begin);
            ps.setObject(index++, end);
          } else {
            ps.setObject(index++, value(element, column, record.get(column)));
          }
        }
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          inserted++;
        } else {
          existing.add(records.get(i));
        }
      }
    }
    if (mode == Mode.SYNC) {
      for (Map<String, Object> record : existing) {
        compare(c, element, columns, keyColumns, record);
      }
    }
    return inserted;
  }

  /** A record that could not be synced: what differs from, or collides with, the registry's. */
  public record SyncConflict(Map<String, Object> record, String message) {
  }

  /** What {@link #sync} did: records inserted, updated (only with {@code update}), found identical, refused. */
  public record SyncResult(int inserted, int updated, int unchanged, List<SyncConflict> conflicts) {
  }

  /**
   * daf_butler's {@code syncDimensionData} for many records at once: missing records are inserted, existing
   * identical ones kept, and existing ones that differ (in any field, absent fields meaning null) are reported as
   * conflicts, or overwritten when {@code update} is true. A record whose key is given twice keeps its first
   * version; a differing second one is a conflict. Nothing is thrown for a conflict: the caller decides. One
   * insert, one select of what was already there and at most one update per call, whatever the number of records.
   * Elements with byte fields (skymap) are not supported here.
   */
  public SyncResult sync(Connection c, String elementName, List<Map<String, Object>> records, boolean update)
      throws SQLException {
    DimensionElement element = universe.element(elementName).filter(DimensionElement::hasTable)
        .orElseThrow(() -> new RegistryException(INVALID_ARGUMENT, "'" + elementName
            + "' is not a dimension element with records"));
    List<String> columns = columns(element);
    List<String> keyColumns = keyColumns(element);
    List<SyncConflict> conflicts = new ArrayList<>();
    Map<List<Object>, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (Map<String, Object> record : records) {
      check(element, columns, record);
      List<Object> key = keyColumns.stream().map(k -> value(element, k, record.get(k))).toList();
      Map<String, Object> first = byKey.putIfAbsent(key, record);
      if (first != null) {
        List<String> differences = differences(element, normalized(element, columns, first), record,
            fieldNames(columns));
        if (!differences.isEmpty()) {
          conflicts.add(new SyncConflict(record, element.name() + " record with key " + key + " is given twice,"
              + " differently: " + String.join("; ", differences) + "."));
        }
      }
    }
    if (byKey.isEmpty()) {
      return new SyncResult(0, 0, 0, conflicts);
    }
    List<Map<String, Object>> unique = new ArrayList<>(byKey.values());
    List<String> sqlTypes = columns.stream().map(col -> sqlArrayType(element, col)).toList();

    StringBuilder insert = new StringBuilder("INSERT INTO ").append(quote(element.name())).append(" (")
        .append(String.join(", ", columns.stream().map(DimensionRecordManager::quote).toList()))
        .append(") SELECT ").append(String.join(", ", columns.stream().map(DimensionRecordManager::fromArrays)
            .toList()))
        .append(" FROM ").append(unnest(columns, sqlTypes)).append(" ON CONFLICT DO NOTHING RETURNING ")
        .append(String.join(", ", keyColumns.stream().map(DimensionRecordManager::quote).toList()));
    java.util.Set<List<Object>> inserted = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(insert.toString())) {
      bindArrays(c, ps, 1, element, columns, sqlTypes, unique);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> key = new ArrayList<>();
          for (int i = 1; i <= keyColumns.size(); i++) {
            key.add(value(element, keyColumns.get(i - 1), rs.getObject(i)));
          }
          inserted.add(key);
        }
      }
    }
    List<Map<String, Object>> others = new ArrayList<>();
    byKey.forEach((key, record) -> {
      if (!inserted.contains(key)) {
        others.add(record);
      }
    });
    int unchanged = 0;
    List<Map<String, Object>> changed = new ArrayList<>();
    if (!others.isEmpty()) {
      Map<List<Object>, Map<String, Object>> stored = select(c, element, columns, keyColumns, others);
      for (Map<String, Object> record : others) {
        List<Object> key = keyColumns.stream().map(k -> value(element, k, record.get(k))).toList();
        Map<String, Object> existing = stored.get(key);
        if (existing == null) {
          conflicts.add(new SyncConflict(record, element.name() + " record " + record + " conflicts with an"
              + " existing record on a unique field"));
          continue;
        }
        List<String> differences = differences(element, existing, record, fieldNames(columns));
        if (differences.isEmpty()) {
          unchanged++;
        } else if (update) {
          changed.add(record);
        } else {
          conflicts.add(new SyncConflict(record, differsMessage(element, keyColumns, record, differences)));
        }
      }
    }
    if (!changed.isEmpty()) {
      List<String> assigned = columns.stream().filter(col -> !keyColumns.contains(col)).toList();
      String sql = "UPDATE " + quote(element.name()) + " AS e SET " + String.join(", ", assigned.stream()
          .map(col -> quote(col) + " = " + fromArrays(col)).toList()) + " FROM " + unnest(columns, sqlTypes)
          + " WHERE " + String.join(" AND ", keyColumns.stream().map(k -> "e." + quote(k) + " = k." + quote(k))
          .toList());
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bindArrays(c, ps, 1, element, columns, sqlTypes, changed);
        ps.executeUpdate();
      }
    }
    return new SyncResult(inserted.size(), changed.size(), unchanged, conflicts);
  }

  /** The stored records with the given keys, keyed by their key values. */
  private Map<List<Object>, Map<String, Object>> select(Connection c, DimensionElement element, List<String> columns,
                                                       List<String> keyColumns, List<Map<String, Object>> records)
      throws SQLException {
    List<String> keyTypes = keyColumns.stream().map(k -> sqlArrayType(element, k)).toList();
    String sql = "SELECT " + String.join(", ", columns.stream().map(col -> col.equals("timespan")
        ? "lower(e.timespan) AS datetime_begin, upper(e.timespan) AS datetime_end" : "e." + quote(col)).toList())
        + " FROM " + quote(element.name()) + " AS e JOIN " + unnest(keyColumns, keyTypes) + " ON "
        + String.join(" AND ", keyColumns.stream().map(k -> "e." + quote(k) + " = k." + quote(k)).toList());
    Map<List<Object>, Map<String, Object>> stored = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindArrays(c, ps, 1, element, keyColumns, keyTypes, records);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = row(rs);
          stored.put(keyColumns.stream().map(k -> value(element, k, row.get(k))).toList(), row);
        }
      }
    }
    return stored;
  }

  /** The record fields the columns hold: a timespan column is the two fields datetime_begin and datetime_end. */
  private static List<String> fieldNames(List<String> columns) {
    List<String> fields = new ArrayList<>();
    for (String column : columns) {
      if (column.equals("timespan")) {
        fields.add("datetime_begin");
        fields.add("datetime_end");
      } else {
        fields.add(column);
      }
    }
    return fields;
  }

  private Map<String, Object> normalized(DimensionElement element, List<String> columns, Map<String, Object> record) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String field : fieldNames(columns)) {
      values.put(field, value(element, field, record.get(field)));
    }
    return values;
  }

  /** The SQL array type that carries a column's values; a timespan travels as two bigint arrays. */
  private String sqlArrayType(DimensionElement element, String column) {
    if (column.equals("timespan")) {
      return "int8";
    }
    if (column.equals("region")) {
      return "text";
    }
    FieldType type = element.fields().get(column);
    if (type == null && column.equals(element.key())) {
      type = element.keyType();
    } else if (type == null) {
      type = universe.element(column).map(DimensionElement::keyType).orElse(FieldType.STRING);
    }
    return switch (type) {
      case STRING, REGION -> "text";
      case INT -> "int8";
      case FLOAT -> "float8";
      case BOOLEAN -> "bool";
      case BYTES, TIMESPAN -> throw new IllegalArgumentException("bulk sync of " + element.name() + " records does"
          + " not support the " + type + " column " + column);
    };
  }

  /** {@code unnest(?::text[], ...) AS k(col, ...)}, a timespan column as the pair datetime_begin, datetime_end. */
  private static String unnest(List<String> columns, List<String> sqlTypes) {
    List<String> arrays = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equals("timespan")) {
        arrays.add("?::int8[]");
        arrays.add("?::int8[]");
        names.add("datetime_begin");
        names.add("datetime_end");
      } else {
        arrays.add("?::" + sqlTypes.get(i) + "[]");
        names.add(quote(columns.get(i)));
      }
    }
    return "unnest(" + String.join(", ", arrays) + ") AS k(" + String.join(", ", names) + ")";
  }

  /** The value of a column computed from the unnested arrays {@code k}. */
  private static String fromArrays(String column) {
    if (column.equals("timespan")) {
      return "CASE WHEN k.datetime_begin IS NULL AND k.datetime_end IS NULL THEN NULL ELSE"
          + " int8range(coalesce(k.datetime_begin, 0), coalesce(k.datetime_end, " + MAX_TIME_NS + "), '[)') END";
    }
    return "k." + quote(column);
  }

  private void bindArrays(Connection c, PreparedStatement ps, int first, DimensionElement element,
                          List<String> columns, List<String> sqlTypes, List<Map<String, Object>> records)
      throws SQLException {
    int index = first;
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      List<String> fields = column.equals("timespan") ? List.of("datetime_begin", "datetime_end") : List.of(column);
      for (String field : fields) {
        // Typed arrays, which the driver sends in binary.
        Object[] values = switch (sqlTypes.get(i)) {
          case "int8" -> new Long[records.size()];
          case "float8" -> new Double[records.size()];
          case "bool" -> new Boolean[records.size()];
          default -> new String[records.size()];
        };
        for (int r = 0; r < records.size(); r++) {
          Object value = value(element, field, records.get(r).get(field));
          if (value instanceof Number number && values instanceof Long[]) {
            value = number.longValue();
          } else if (value instanceof Number number && values instanceof Double[]) {
            value = number.doubleValue();
          } else if (value != null && values instanceof String[]) {
            value = value.toString();
          }
          values[r] = value;
        }
        ps.setArray(index++, c.createArrayOf(sqlTypes.get(i), values));
      }
    }
  }

  /** Reads the records of an element, in key order, keyed as {@link #insert} takes them. */
  public List<Map<String, Object>> read(Connection c, String elementName) throws SQLException {
    return read(c, elementName, null, List.of());
  }

  /**
   * Reads the records of an element whose key is among the rows of {@code keySelect}, in key order, keyed as
   * {@link #insert} takes them. {@code keySelect} is trusted SQL (a SELECT of the element's
   * {@link #keyColumns(String) key columns}, in that order) whose {@code ?} are bound to {@code parameters}.
   */
  public List<Map<String, Object>> read(Connection c, String elementName, String keySelect, List<Object> parameters)
      throws SQLException {
    DimensionElement element = universe.element(elementName).filter(DimensionElement::hasTable)
        .orElseThrow(() -> new RegistryException(INVALID_ARGUMENT, "'" + elementName
            + "' is not a dimension element with records"));
    List<String> columns = columns(element);
    String select = String.join(", ", columns.stream().map(col -> col.equals("timespan")
        ? "lower(timespan) AS datetime_begin, upper(timespan) AS datetime_end" : quote(col)).toList());
    String key = String.join(", ", keyColumns(element).stream().map(DimensionRecordManager::quote).toList());
    String where = keySelect == null ? "" : " WHERE (" + key + ") IN (" + keySelect + ")";
    List<Map<String, Object>> records = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + select + " FROM " + quote(element.name()) + where
        + " ORDER BY " + key)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        int count = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> record = new LinkedHashMap<>();
          for (int i = 1; i <= count; i++) {
            record.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          records.add(record);
        }
      }
    }
    return records;
  }

  /** The fields that identify a record of the element: its required dimensions, then its own key if it has one. */
  public static List<String> keyColumns(String elementName) {
    return keyColumns(DimensionUniverse.v7().element(elementName)
        .orElseThrow(() -> new IllegalArgumentException("unknown dimension element '" + elementName + "'")));
  }

  /** The table's columns in order: required dimensions, own key, implied dimensions, fields, region, timespan. */
  static List<String> columns(DimensionElement element) {
    List<String> columns = new ArrayList<>(requiredDimensions(element));
    if (element.isDimension()) {
      columns.add(element.key());
    }
    columns.addAll(element.implied());
    columns.addAll(element.fields().keySet());
    if (element.spatial() && !element.name().equals("visit_system_membership")) {
      columns.add("region");
    }
    if (element.temporal()) {
      columns.add("timespan");
    }
    return columns;
  }

  /** The dimensions an element's records are keyed by, besides its own key: e.g. instrument, exposure, visit. */
  private static List<String> requiredDimensions(DimensionElement element) {
    return DimensionUniverse.v7().group(element.required()).required();
  }

  static List<String> keyColumns(DimensionElement element) {
    List<String> key = new ArrayList<>(requiredDimensions(element));
    if (element.isDimension()) {
      key.add(element.key());
    }
    return key;
  }

  private static void check(DimensionElement element, List<String> columns, Map<String, Object> record) {
    for (String key : record.keySet()) {
      if (!columns.contains(key) && !TIME_FIELDS.contains(key)) {
        throw new RegistryException(INVALID_ARGUMENT, element.name() + " record " + record + " has unknown field '"
            + key + "'; known: " + columns);
      }
    }
    for (String key : keyColumns(element)) {
      if (record.get(key) == null) {
        throw new RegistryException(INVALID_ARGUMENT, element.name() + " record " + record + " lacks its key '"
            + key + "'");
      }
    }
  }

  private Object value(DimensionElement element, String column, Object value) {
    if (value == null) {
      return null;
    }
    FieldType type = element.fields().get(column);
    if (type == null && universe.isDimension(column)) {
      type = universe.element(column).map(DimensionElement::keyType).orElse(FieldType.STRING);
    } else if (type == null && column.equals(element.key())) {
      type = element.keyType();
    }
    if (type == FieldType.INT && value instanceof String text) {
      return Long.parseLong(text);
    }
    if (type == FieldType.INT && value instanceof Number number) {
      return number.longValue();
    }
    if (type == FieldType.FLOAT && value instanceof Number number) {
      return number.doubleValue();
    }
    return value;
  }

  private void compare(Connection c, DimensionElement element, List<String> columns, List<String> keyColumns,
                       Map<String, Object> record) throws SQLException {
    String where = String.join(" AND ", keyColumns.stream().map(k -> quote(k) + " = ?").toList());
    try (PreparedStatement ps = c.prepareStatement("SELECT " + selectList(columns) + " FROM " + quote(element.name())
        + " WHERE " + where)) {
      for (int i = 0; i < keyColumns.size(); i++) {
        ps.setObject(i + 1, value(element, keyColumns.get(i), record.get(keyColumns.get(i))));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new RegistryException(CONFLICTING_DEFINITION, element.name() + " record " + record
              + " conflicts with an existing record on a unique field");
        }
        List<String> differences = differences(element, row(rs), record, record.keySet());
        if (!differences.isEmpty()) {
          throw new RegistryException(CONFLICTING_DEFINITION, differsMessage(element, keyColumns, record,
              differences));
        }
      }
    }
  }

  /** {@code name: stored != given} for each field of {@code fields} whose values differ. */
  private List<String> differences(DimensionElement element, Map<String, Object> stored, Map<String, Object> given,
                                   java.util.Collection<String> fields) {
    List<String> differences = new ArrayList<>();
    for (String field : fields) {
      Object storedValue = stored.get(field);
      Object givenValue = value(element, field, given.get(field));
      if (!sameValue(storedValue, givenValue)) {
        differences.add(field + ": " + render(storedValue) + " != " + render(givenValue));
      }
    }
    return differences;
  }

  private static String differsMessage(DimensionElement element, List<String> keyColumns, Map<String, Object> record,
                                       List<String> differences) {
    return "Existing " + element.name() + " record with key " + keyColumns.stream().map(k -> k + "="
        + record.get(k)).toList() + " differs: " + String.join("; ", differences) + ".";
  }

  private static String selectList(List<String> columns) {
    return String.join(", ", columns.stream().map(col -> col.equals("timespan")
        ? "lower(timespan) AS datetime_begin, upper(timespan) AS datetime_end" : quote(col)).toList());
  }

  private static Map<String, Object> row(ResultSet rs) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    int count = rs.getMetaData().getColumnCount();
    for (int i = 1; i <= count; i++) {
      row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
    }
    return row;
  }

  private static boolean sameValue(Object stored, Object given) {
    if (stored instanceof byte[] a && given instanceof byte[] b) {
      return Arrays.equals(a, b);
    }
    if (stored instanceof Number a && given instanceof Number b) {
      return a.doubleValue() == b.doubleValue();
    }
    return Objects.equals(stored, given);
  }

  private static String render(Object value) {
    return value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(value);
  }

  static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
