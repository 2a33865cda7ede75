package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * A {@code type: dimension} block: records of one dimension element.
 *
 * @param element the element's name, e.g. {@code exposure}
 * @param records its records, in file order
 */
public record DimensionBlock(String element, List<DimensionRecordData> records) implements ExportBlock {

  public DimensionBlock {
    Objects.requireNonNull(element, "element");
    records = List.copyOf(records);
  }

  @Override
  public String yamlType() {
    return "dimension";
  }
}
