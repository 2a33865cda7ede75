package io.autobutler.core.transfer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.table.TextTable;

/**
 * The table {@code butler export-calibs} prints about what it exported: one row per dataset, sorted by dataset type
 * then data ID, with columns {@code calibrationType}, {@code run} and every dimension of the datasets' data IDs in
 * alphabetical order (implied ones included, read from the export's dimension records; empty where a dataset does not
 * have that dimension).
 */
public final class ExportedDatasetsTable {

  private static final DimensionUniverse UNIVERSE = DimensionUniverse.v7();

  private ExportedDatasetsTable() {
  }

  private record Row(String type, String run, List<Object> required, Map<String, Object> dataId) {
  }

  public static TextTable of(ExportFile file) {
    Map<String, Map<List<Object>, DimensionRecordData>> records = new HashMap<>();
    for (DimensionBlock block : file.blocks(DimensionBlock.class)) {
      DimensionElement element = UNIVERSE.element(block.element()).orElseThrow();
      Map<List<Object>, DimensionRecordData> byKey = records.computeIfAbsent(block.element(), e -> new HashMap<>());
      for (DimensionRecordData record : block.records()) {
        byKey.put(key(element, record.values()), record);
      }
    }
    Map<String, DimensionGroup> groups = new HashMap<>();
    file.blocks(DatasetTypeBlock.class).forEach(t -> groups.put(t.name(), UNIVERSE.group(t.dimensions())));
    List<Row> rows = new ArrayList<>();
    TreeSet<String> columns = new TreeSet<>(ExportOrdering::compareStrings);
    for (DatasetBlock block : file.blocks(DatasetBlock.class)) {
      DimensionGroup group = groups.getOrDefault(block.datasetType(), UNIVERSE.group(List.of()));
      columns.addAll(group.names());
      for (FileDatasetData fileData : block.records()) {
        for (DatasetRefData ref : fileData.refs()) {
          List<Object> required = group.required().stream().map(d -> ref.dataId().get(d)).toList();
          rows.add(new Row(block.datasetType(), block.run(), required, expand(group, ref.dataId(), records)));
        }
      }
    }
    rows.sort(Comparator.comparing(Row::type, ExportOrdering::compareStrings)
        .thenComparing(Row::required, ExportOrdering.PYTHON_ORDER)
        .thenComparing(Row::run, ExportOrdering::compareStrings));
    List<String> headers = new ArrayList<>(List.of("calibrationType", "run"));
    headers.addAll(columns);
    List<List<String>> cells = new ArrayList<>();
    for (Row row : rows) {
      List<String> line = new ArrayList<>(List.of(row.type(), row.run()));
      for (String column : columns) {
        Object value = row.dataId().get(column);
        line.add(value == null ? "" : value.toString());
      }
      cells.add(line);
    }
    return new TextTable(headers, cells);
  }

  /** The data ID with its implied dimensions, taken from the records of the dimensions that imply them. */
  private static Map<String, Object> expand(DimensionGroup group, Map<String, Object> dataId,
                                            Map<String, Map<List<Object>, DimensionRecordData>> records) {
    Map<String, Object> expanded = new LinkedHashMap<>(dataId);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String name : group.names()) {
        DimensionElement element = UNIVERSE.element(name).orElseThrow();
        if (!element.hasTable() || !expanded.containsKey(name)
            || element.implied().stream().allMatch(expanded::containsKey)) {
          continue;
        }
        Map<String, Object> keyValues = new HashMap<>(expanded);
        keyValues.put(element.key(), expanded.get(name));
        DimensionRecordData record = records.getOrDefault(name, Map.of()).get(key(element, keyValues));
        if (record != null) {
          for (String implied : element.implied()) {
            if (record.get(implied) != null && expanded.putIfAbsent(implied, record.get(implied)) == null) {
              grew = true;
            }
          }
        }
      }
    }
    return expanded;
  }

  private static List<Object> key(DimensionElement element, Map<String, Object> values) {
    return ExportOrdering.recordDataIdFields(UNIVERSE, element).stream().map(values::get).toList();
  }
}
