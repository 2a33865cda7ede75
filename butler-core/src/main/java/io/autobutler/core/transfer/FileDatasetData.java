package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * One file of a dataset block: the datasets stored in it, its path and optionally its formatter.
 *
 * @param refs      the datasets in the file (one or more)
 * @param path      the path as written (relative to the import directory, or an absolute URI)
 * @param formatter the formatter's class name, or null when the file does not give one
 */
public record FileDatasetData(List<DatasetRefData> refs, String path, String formatter) {

  public FileDatasetData {
    refs = List.copyOf(refs);
    Objects.requireNonNull(path, "path");
  }
}
