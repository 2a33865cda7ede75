package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * A {@code type: dataset} block: the files of datasets of one type in one RUN.
 *
 * @param datasetType the dataset type's name
 * @param run         the RUN collection
 * @param records     one entry per file
 */
public record DatasetBlock(String datasetType, String run, List<FileDatasetData> records) implements ExportBlock {

  public DatasetBlock {
    Objects.requireNonNull(datasetType, "datasetType");
    Objects.requireNonNull(run, "run");
    records = List.copyOf(records);
  }

  @Override
  public String yamlType() {
    return "dataset";
  }
}
