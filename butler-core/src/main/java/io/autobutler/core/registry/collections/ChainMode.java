package io.autobutler.core.registry.collections;

import java.util.Arrays;
import java.util.Locale;

/** The modes of {@code collection-chain}. */
public enum ChainMode {
  /** Replace the children; creates a missing parent. */
  REDEFINE,
  /** Append, moving children already in the chain to the end; creates a missing parent. */
  EXTEND,
  /** Insert at the front, moving children already in the chain; creates a missing parent. */
  PREPEND,
  /** Remove the given children; the parent must exist. */
  REMOVE,
  /** Remove the children at the given indices (negative from the end; default 0); the parent must exist. */
  POP;

  public boolean createsParent() {
    return this == REDEFINE || this == EXTEND || this == PREPEND;
  }

  public static ChainMode parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("'" + name + "' is not a chain mode; use one of "
          + Arrays.toString(Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toArray()));
    }
  }
}
