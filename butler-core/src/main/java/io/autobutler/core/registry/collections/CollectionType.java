package io.autobutler.core.registry.collections;

import java.util.Arrays;
import java.util.Locale;

/** daf_butler's collection types with their stored codes. */
public enum CollectionType {
  RUN(1), TAGGED(2), CHAINED(3), CALIBRATION(4);

  private final int code;

  CollectionType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static CollectionType ofCode(int code) {
    return Arrays.stream(values()).filter(t -> t.code == code).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown collection type code " + code));
  }

  /** Parses a type name, case-insensitively, with a message listing the valid names. */
  public static CollectionType parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("'" + name + "' is not a collection type; use one of "
          + Arrays.toString(values()));
    }
  }
}
