package io.autobutler.core.transfer;

import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One dimension record as export files write it ({@code record.toDict(splitTimespan=True)}): field name to
 * value, in the order written. Values are {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@link TaiTime} (for {@code datetime_begin}/{@code datetime_end}), {@code byte[]} (skymap {@code hash}),
 * {@link Region}, or null.
 *
 * <p>Equality compares {@code byte[]} values by content.
 *
 * @param values the fields in file order (unmodifiable; nulls allowed)
 */
public record DimensionRecordData(Map<String, Object> values) {

  public DimensionRecordData {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** A record from alternating field names and values, in that order. */
  public static DimensionRecordData of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new DimensionRecordData(values);
  }

  public Object get(String field) {
    return values.get(field);
  }

  public boolean has(String field) {
    return values.containsKey(field);
  }

  /**
   * The record's timespan from {@code datetime_begin} and {@code datetime_end}, as daf_butler builds it when
   * importing ({@code Timespan(begin, end)}, null bounds unbounded), or null when the record has neither field.
   *
   * @throws IllegalArgumentException when the fields are not times or make no valid timespan
   */
  public Timespan timespan() {
    if (!values.containsKey("datetime_begin") && !values.containsKey("datetime_end")) {
      return null;
    }
    Object begin = values.get("datetime_begin");
    Object end = values.get("datetime_end");
    if ((begin != null && !(begin instanceof TaiTime)) || (end != null && !(end instanceof TaiTime))) {
      throw new IllegalArgumentException("datetime_begin and datetime_end must be times");
    }
    return Timespan.of((TaiTime) begin, (TaiTime) end);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof DimensionRecordData that) || values.size() != that.values.size()) {
      return false;
    }
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      if (!that.values.containsKey(entry.getKey())) {
        return false;
      }
      Object mine = entry.getValue();
      Object theirs = that.values.get(entry.getKey());
      if (mine instanceof byte[] a && theirs instanceof byte[] b) {
        if (!Arrays.equals(a, b)) {
          return false;
        }
      } else if (!Objects.equals(mine, theirs)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Object value = entry.getValue();
      hash += entry.getKey().hashCode() ^ (value instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(value));
    }
    return hash;
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] b ? Arrays.toString(b) : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
