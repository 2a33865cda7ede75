package io.autobutler.core.transfer;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.Timespan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Puts an export model in the order daf_butler's exporter writes ({@code transfers/_context.py::_finish}):
 * <ol>
 *   <li>dimension blocks, one per element in universe sort order, records sorted by data ID (duplicates by data
 *       ID dropped, the first kept);</li>
 *   <li>collections: every non-CHAINED one sorted by name, then the CHAINED ones in topological order (children
 *       first), each wave sorted by name; a RUN that datasets refer to but that has no collection block gets
 *       one (without doc);</li>
 *   <li>for each dataset type (by name) and run (by name), a {@code dataset_type} block then a {@code dataset}
 *       block, files sorted by path and the datasets of a file by data ID;</li>
 *   <li>associations, one block per collection sorted by name, the associations sorted by dataset (run, dataset
 *       type, data ID); CALIBRATION ones grouped by validity range in that order.</li>
 * </ol>
 * Strings compare by code point, as Python does.
 */
public final class ExportOrdering {

  private ExportOrdering() {
  }

  /** {@link #sort(ExportFile, DimensionUniverse)} with universe 7. */
  public static ExportFile sort(ExportFile file) {
    return sort(file, DimensionUniverse.v7());
  }

  /**
   * The same content in daf_butler's export order.
   *
   * @throws IllegalStateException when CHAINED collections form a cycle
   */
  public static ExportFile sort(ExportFile file, DimensionUniverse universe) {
    List<ExportBlock> blocks = new ArrayList<>();
    blocks.addAll(dimensions(file, universe));
    blocks.addAll(collections(file));
    Map<UUID, List<Object>> refKeys = new LinkedHashMap<>();
    blocks.addAll(datasets(file, universe, refKeys));
    blocks.addAll(associations(file, refKeys));
    return new ExportFile(file.header(), blocks);
  }

  // ------------------------------------------------------------------------------------------------ dimensions

  private static List<DimensionBlock> dimensions(ExportFile file, DimensionUniverse universe) {
    Map<String, Map<List<Object>, DimensionRecordData>> byElement = new LinkedHashMap<>();
    for (DimensionBlock block : file.blocks(DimensionBlock.class)) {
      DimensionElement element = universe.element(block.element())
          .orElseThrow(() -> new IllegalArgumentException("unknown dimension element '" + block.element() + "'"));
      List<String> keyFields = recordDataIdFields(universe, element);
      Map<List<Object>, DimensionRecordData> records = byElement.computeIfAbsent(block.element(),
          e -> new LinkedHashMap<>());
      for (DimensionRecordData record : block.records()) {
        List<Object> dataId = new ArrayList<>();
        keyFields.forEach(field -> dataId.add(record.get(field)));
        records.putIfAbsent(dataId, record);
      }
    }
    List<String> elements = new ArrayList<>(byElement.keySet());
    elements.sort(Comparator.comparingInt(universe::sortIndex));
    List<DimensionBlock> blocks = new ArrayList<>();
    for (String element : elements) {
      List<Map.Entry<List<Object>, DimensionRecordData>> records = new ArrayList<>(byElement.get(element).entrySet());
      records.sort((a, b) -> PYTHON_ORDER.compare(a.getKey(), b.getKey()));
      blocks.add(new DimensionBlock(element, records.stream().map(Map.Entry::getValue).toList()));
    }
    return blocks;
  }

  /**
   * The fields of a record that make its data ID, in universe order: the required dimensions of the element and
   * its own key (e.g. {@code instrument, id} for detector; {@code instrument, detector, visit} for
   * visit_detector_region).
   */
  static List<String> recordDataIdFields(DimensionUniverse universe, DimensionElement element) {
    List<String> dimensions = element.isDimension() ? List.of(element.name()) : element.required();
    List<String> fields = new ArrayList<>();
    for (String dimension : universe.group(dimensions).required()) {
      fields.add(dimension.equals(element.name()) ? element.key() : dimension);
    }
    return fields;
  }

  // ------------------------------------------------------------------------------------------------ collections

  private static List<CollectionBlock> collections(ExportFile file) {
    Map<String, CollectionBlock> byName = new LinkedHashMap<>();
    for (CollectionBlock block : file.blocks(CollectionBlock.class)) {
      byName.put(block.name(), block);
    }
    for (DatasetBlock dataset : file.blocks(DatasetBlock.class)) {
      byName.putIfAbsent(dataset.run(), CollectionBlock.run(dataset.run(), null));
    }
    List<CollectionBlock> result = new ArrayList<>();
    Map<String, CollectionBlock> chains = new LinkedHashMap<>();
    for (CollectionBlock block : byName.values()) {
      if (block.type() == CollectionType.CHAINED) {
        chains.put(block.name(), block);
      } else {
        result.add(block);
      }
    }
    result.sort((a, b) -> compareStrings(a.name(), b.name()));
    while (!chains.isEmpty()) {
      Set<String> unblocked = new TreeSet<>(ExportOrdering::compareStrings);
      for (CollectionBlock chain : chains.values()) {
        if (chain.children().stream().noneMatch(chains::containsKey)) {
          unblocked.add(chain.name());
        }
      }
      if (unblocked.isEmpty()) {
        throw new IllegalStateException("Apparent cycle in CHAINED collection dependencies involving "
            + new TreeSet<>(chains.keySet()) + ".");
      }
      for (String name : unblocked) {
        result.add(chains.remove(name));
      }
    }
    return result;
  }

  // ------------------------------------------------------------------------------------------------ datasets

  private static List<ExportBlock> datasets(ExportFile file, DimensionUniverse universe,
                                            Map<UUID, List<Object>> refKeys) {
    Map<String, DatasetTypeBlock> types = new LinkedHashMap<>();
    for (DatasetTypeBlock type : file.blocks(DatasetTypeBlock.class)) {
      types.putIfAbsent(type.name(), type);
    }
    Map<String, Map<String, List<FileDatasetData>>> byTypeAndRun = new LinkedHashMap<>();
    for (DatasetBlock block : file.blocks(DatasetBlock.class)) {
      byTypeAndRun.computeIfAbsent(block.datasetType(), t -> new LinkedHashMap<>())
          .computeIfAbsent(block.run(), r -> new ArrayList<>()).addAll(block.records());
    }
    Set<String> typeNames = new TreeSet<>(ExportOrdering::compareStrings);
    typeNames.addAll(types.keySet());
    typeNames.addAll(byTypeAndRun.keySet());
    List<ExportBlock> blocks = new ArrayList<>();
    for (String typeName : typeNames) {
      DatasetTypeBlock type = types.get(typeName);
      Map<String, List<FileDatasetData>> runs = byTypeAndRun.getOrDefault(typeName, Map.of());
      if (runs.isEmpty()) {
        blocks.add(type);
        continue;
      }
      List<String> runNames = new ArrayList<>(runs.keySet());
      runNames.sort(ExportOrdering::compareStrings);
      for (String run : runNames) {
        List<FileDatasetData> files = new ArrayList<>();
        for (FileDatasetData fileData : runs.get(run)) {
          List<DatasetRefData> refs = new ArrayList<>(fileData.refs());
          refs.sort((a, b) -> PYTHON_ORDER.compare(requiredValues(universe, a.dataId()),
              requiredValues(universe, b.dataId())));
          for (DatasetRefData ref : refs) {
            refKeys.putIfAbsent(ref.id(), List.of(run, typeName, requiredValues(universe, ref.dataId())));
          }
          files.add(new FileDatasetData(refs, fileData.path(), fileData.formatter()));
        }
        files.sort((a, b) -> compareStrings(a.path(), b.path()));
        if (type != null) {
          blocks.add(type);
        }
        blocks.add(new DatasetBlock(typeName, run, files));
      }
    }
    return blocks;
  }

  /** The values of a data ID's required dimensions, in universe order (what Python sorts data IDs by). */
  private static List<Object> requiredValues(DimensionUniverse universe, Map<String, Object> dataId) {
    try {
      return universe.group(dataId.keySet()).required().stream().map(dataId::get).toList();
    } catch (IllegalArgumentException e) {
      return new ArrayList<>(dataId.values());
    }
  }

  // ------------------------------------------------------------------------------------------------ associations

  private record Association(UUID id, Timespan timespan) {
  }

  private static List<ExportBlock> associations(ExportFile file, Map<UUID, List<Object>> refKeys) {
    Map<String, Set<Association>> tagged = new LinkedHashMap<>();
    Map<String, Set<Association>> certified = new LinkedHashMap<>();
    for (ExportBlock block : file.blocks()) {
      if (block instanceof TaggedAssociationsBlock t) {
        Set<Association> set = tagged.computeIfAbsent(t.collection(), c -> new LinkedHashSet<>());
        t.datasetIds().forEach(id -> set.add(new Association(id, null)));
      } else if (block instanceof CalibrationAssociationsBlock c) {
        Set<Association> set = certified.computeIfAbsent(c.collection(), n -> new LinkedHashSet<>());
        for (ValidityRange range : c.validityRanges()) {
          range.datasetIds().forEach(id -> set.add(new Association(id, range.timespan())));
        }
      }
    }
    Comparator<Association> order = (a, b) -> {
      int byRef = PYTHON_ORDER.compare(refKeys.getOrDefault(a.id(), List.of()), refKeys.getOrDefault(b.id(), List.of()));
      if (byRef != 0) {
        return byRef;
      }
      if (a.timespan() != null && b.timespan() != null) {
        int byBegin = Long.compare(a.timespan().beginNanos(), b.timespan().beginNanos());
        return byBegin != 0 ? byBegin : Long.compare(a.timespan().endNanos(), b.timespan().endNanos());
      }
      return 0;
    };
    Set<String> collections = new TreeSet<>(ExportOrdering::compareStrings);
    collections.addAll(tagged.keySet());
    collections.addAll(certified.keySet());
    List<ExportBlock> blocks = new ArrayList<>();
    for (String collection : collections) {
      if (tagged.containsKey(collection)) {
        List<Association> sorted = new ArrayList<>(tagged.get(collection));
        sorted.sort(order);
        blocks.add(new TaggedAssociationsBlock(collection, sorted.stream().map(Association::id).toList()));
      }
      if (certified.containsKey(collection)) {
        List<Association> sorted = new ArrayList<>(certified.get(collection));
        sorted.sort(order);
        Map<Timespan, List<UUID>> byTimespan = new LinkedHashMap<>();
        for (Association association : sorted) {
          byTimespan.computeIfAbsent(association.timespan(), t -> new ArrayList<>()).add(association.id());
        }
        List<ValidityRange> ranges = new ArrayList<>();
        byTimespan.forEach((timespan, ids) -> ranges.add(new ValidityRange(timespan, ids)));
        blocks.add(new CalibrationAssociationsBlock(collection, ranges));
      }
    }
    return blocks;
  }

  // ------------------------------------------------------------------------------------------------ comparisons

  /** Python's ordering of strings: by code point (Java's compareTo is by UTF-16 unit). */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Python's ordering of tuples of data ID values (nulls first, mixed types by type name). */
  static final Comparator<List<?>> PYTHON_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareValues(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof String sa && b instanceof String sb) {
      return compareStrings(sa, sb);
    }
    if (a instanceof Number na && b instanceof Number nb) {
      if (a instanceof Long la && b instanceof Long lb) {
        return Long.compare(la, lb);
      }
      return Double.compare(na.doubleValue(), nb.doubleValue());
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      return PYTHON_ORDER.compare(la, lb);
    }
    if (a instanceof Comparable<?> && a.getClass().equals(b.getClass())) {
      @SuppressWarnings("unchecked")
      Comparable<Object> ca = (Comparable<Object>) a;
      return ca.compareTo(b);
    }
    return a.getClass().getName().compareTo(b.getClass().getName());
  }
}
