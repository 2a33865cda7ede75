package io.autobutler.core.dimensions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of the dimension universe: a dimension (with a key) or a join element such as
 * {@code visit_definition} (no key of its own).
 *
 * @param name      the element's name, also its table's name
 * @param key       the key field ({@code id} or {@code name}), or null for join elements
 * @param keyType   the key's type
 * @param required  the dimensions this element requires, other than itself (e.g. {@code instrument} for detector)
 * @param implied   the dimensions this element implies (e.g. {@code physical_filter} for exposure)
 * @param fields    the other fields of its records, in universe order, with their types
 * @param temporal  whether records carry a timespan
 * @param spatial   whether records carry a region
 * @param hasTable  false for {@code band} (a view of physical_filter) and the skypix dimensions
 */
public record DimensionElement(String name, String key, FieldType keyType, List<String> required,
                               List<String> implied, Map<String, FieldType> fields, boolean temporal,
                               boolean spatial, boolean hasTable) {

  public DimensionElement {
    required = List.copyOf(required);
    implied = List.copyOf(implied);
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** True for dimensions (which have a key and can appear in data IDs), false for join elements. */
  public boolean isDimension() {
    return key != null;
  }
}
