package io.autobutler.core.dimensions;

import java.util.ArrayList;
import java.util.List;

/**
 * A closed set of dimensions, e.g. a dataset type's.
 *
 * @param names    every dimension, in universe order (what export files list as a dataset type's dimensions)
 * @param required the dimensions no other member implies, in universe order (the keys of a data ID)
 * @param implied  the dimensions some other member implies, in universe order
 */
public record DimensionGroup(List<String> names, List<String> required, List<String> implied) {

  public DimensionGroup {
    names = List.copyOf(names);
    required = List.copyOf(required);
    implied = List.copyOf(implied);
  }

  /** Required then implied: the column order of data IDs in query tables. */
  public List<String> dataCoordinateKeys() {
    List<String> keys = new ArrayList<>(required);
    keys.addAll(implied);
    return keys;
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }
}
