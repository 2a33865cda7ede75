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
    String select = String.join(", ", columns.stream().map(col -> col.equals("timespan")
        ? "lower(timespan) AS datetime_begin, upper(timespan) AS datetime_end" : quote(col)).toList());
    try (PreparedStatement ps = c.prepareStatement("SELECT " + select + " FROM " + quote(element.name())
        + " WHERE " + where)) {
      for (int i = 0; i < keyColumns.size(); i++) {
        ps.setObject(i + 1, value(element, keyColumns.get(i), record.get(keyColumns.get(i))));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new RegistryException(CONFLICTING_DEFINITION, element.name() + " record " + record
              + " conflicts with an existing record on a unique field");
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> entry : record.entrySet()) {
          Object stored = rs.getObject(entry.getKey());
          Object given = value(element, entry.getKey(), entry.getValue());
          if (!sameValue(stored, given)) {
            differences.add(entry.getKey() + ": " + render(stored) + " != " + render(given));
          }
        }
        if (!differences.isEmpty()) {
          throw new RegistryException(CONFLICTING_DEFINITION, "Existing " + element.name() + " record with key "
              + keyColumns.stream().map(k -> k + "=" + record.get(k)).toList() + " differs: "
              + String.join("; ", differences) + ".");
        }
      }
    }
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
