package io.autobutler.core.dimensions;

import static io.autobutler.core.dimensions.FieldType.BOOLEAN;
import static io.autobutler.core.dimensions.FieldType.BYTES;
import static io.autobutler.core.dimensions.FieldType.FLOAT;
import static io.autobutler.core.dimensions.FieldType.INT;
import static io.autobutler.core.dimensions.FieldType.REGION;
import static io.autobutler.core.dimensions.FieldType.STRING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * daf_butler's dimension universe, version 7 (namespace {@code daf_butler}): the elements, their keys, what each
 * requires and implies, their fields, and the universe sort order that export files and query tables follow.
 */
public final class DimensionUniverse {

  public static final int VERSION = 7;
  public static final String NAMESPACE = "daf_butler";
  /** The skypix dimension of refcats and of the registry's spatial index. */
  public static final String COMMON_SKYPIX = "htm7";

  private static final DimensionUniverse V7 = new DimensionUniverse();

  private final Map<String, DimensionElement> elements = new LinkedHashMap<>();

  public static DimensionUniverse v7() {
    return V7;
  }

  private DimensionUniverse() {
    // Universe sort order: a layered topological sort, each wave lexicographic (daf_butler construction.py).
    add(new DimensionElement("band", "name", STRING, List.of(), List.of(), Map.of(), false, false, false));
    for (int level = 1; level <= 17; level++) {
      add(skypix("healpix" + level));
    }
    for (int level = 1; level <= 24; level++) {
      add(skypix("htm" + level));
    }
    add(dimension("instrument", "name", STRING, List.of(), List.of(), fields(
        "visit_max", INT, "visit_system", INT, "exposure_max", INT, "detector_max", INT, "class_name", STRING)));
    add(dimension("skymap", "name", STRING, List.of(), List.of(), fields(
        "hash", BYTES, "tract_max", INT, "patch_nx_max", INT, "patch_ny_max", INT)));
    add(new DimensionElement("day_obs", "id", INT, List.of("instrument"), List.of(), Map.of(), true, false, true));
    add(dimension("detector", "id", INT, List.of("instrument"), List.of(), fields(
        "full_name", STRING, "name_in_raft", STRING, "raft", STRING, "purpose", STRING)));
    add(dimension("group", "name", STRING, List.of("instrument"), List.of(), Map.of()));
    add(dimension("physical_filter", "name", STRING, List.of("instrument"), List.of("band"), Map.of()));
    add(dimension("subfilter", "id", INT, List.of("band"), List.of(), Map.of()));
    add(new DimensionElement("tract", "id", INT, List.of("skymap"), List.of(), Map.of(), false, true, true));
    add(dimension("visit_system", "id", INT, List.of("instrument"), List.of(), fields("name", STRING)));
    add(new DimensionElement("exposure", "id", INT, List.of("instrument"), List.of("physical_filter", "group", "day_obs"),
        fields("obs_id", STRING, "exposure_time", FLOAT, "dark_time", FLOAT, "observation_type", STRING,
            "observation_reason", STRING, "seq_num", INT, "seq_start", INT, "seq_end", INT, "target_name", STRING,
            "science_program", STRING, "tracking_ra", FLOAT, "tracking_dec", FLOAT, "sky_angle", FLOAT,
            "azimuth", FLOAT, "zenith_angle", FLOAT, "has_simulated", BOOLEAN, "can_see_sky", BOOLEAN),
        true, false, true));
    add(new DimensionElement("patch", "id", INT, List.of("skymap", "tract"), List.of(),
        fields("cell_x", INT, "cell_y", INT), false, true, true));
    add(new DimensionElement("visit", "id", INT, List.of("instrument"), List.of("physical_filter", "day_obs"),
        fields("name", STRING, "seq_num", INT, "exposure_time", FLOAT, "target_name", STRING,
            "observation_reason", STRING, "science_program", STRING, "azimuth", FLOAT, "zenith_angle", FLOAT),
        true, true, true));
    add(join("visit_definition", List.of("exposure", "visit"), Map.of(), false));
    add(join("visit_detector_region", List.of("visit", "detector"), Map.of(), true));
    add(join("visit_system_membership", List.of("visit", "visit_system"), Map.of(), false));
  }

  private void add(DimensionElement element) {
    elements.put(element.name(), element);
  }

  private static DimensionElement skypix(String name) {
    return new DimensionElement(name, "id", INT, List.of(), List.of(), Map.of(), false, true, false);
  }

  private static DimensionElement dimension(String name, String key, FieldType keyType, List<String> required,
                                            List<String> implied, Map<String, FieldType> fields) {
    return new DimensionElement(name, key, keyType, required, implied, fields, false, false, true);
  }

  private static DimensionElement join(String name, List<String> required, Map<String, FieldType> fields,
                                       boolean spatial) {
    return new DimensionElement(name, null, null, required, List.of(), fields, false, spatial, true);
  }

  private static Map<String, FieldType> fields(Object... nameTypePairs) {
    Map<String, FieldType> fields = new LinkedHashMap<>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      fields.put((String) nameTypePairs[i], (FieldType) nameTypePairs[i + 1]);
    }
    return fields;
  }

  /** Every element, in universe sort order. */
  public Collection<DimensionElement> elements() {
    return elements.values();
  }

  public Optional<DimensionElement> element(String name) {
    return Optional.ofNullable(elements.get(name));
  }

  /** True when {@code name} is a dimension (an element with a key), e.g. {@code exposure} or {@code htm7}. */
  public boolean isDimension(String name) {
    DimensionElement element = elements.get(name);
    return element != null && element.isDimension();
  }

  /** The position of an element in universe sort order. */
  public int sortIndex(String name) {
    int index = 0;
    for (String candidate : elements.keySet()) {
      if (candidate.equals(name)) {
        return index;
      }
      index++;
    }
    throw new IllegalArgumentException("unknown dimension element '" + name + "'");
  }

  /**
   * The dimension group of a set of dimensions: the set closed under "requires" and "implies", with its required
   * and implied members in universe order, as daf_butler's {@code DimensionGroup}.
   */
  public DimensionGroup group(Collection<String> dimensions) {
    Set<String> all = new LinkedHashSet<>();
    List<String> pending = new ArrayList<>(dimensions);
    while (!pending.isEmpty()) {
      String name = pending.remove(pending.size() - 1);
      DimensionElement element = elements.get(name);
      if (element == null || !element.isDimension()) {
        throw new IllegalArgumentException("'" + name + "' is not a dimension of universe " + NAMESPACE + " "
            + VERSION);
      }
      if (all.add(name)) {
        pending.addAll(element.required());
        pending.addAll(element.implied());
      }
    }
    Set<String> impliedByOthers = new LinkedHashSet<>();
    for (String name : all) {
      impliedByOthers.addAll(elements.get(name).implied());
    }
    List<String> names = elements.keySet().stream().filter(all::contains).toList();
    List<String> required = names.stream().filter(n -> !impliedByOthers.contains(n)).toList();
    List<String> implied = names.stream().filter(impliedByOthers::contains).toList();
    return new DimensionGroup(names, required, implied);
  }
}
