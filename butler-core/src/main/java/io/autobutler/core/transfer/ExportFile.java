package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;

/**
 * A daf_butler repository export file ({@code butler export} / {@code butler import}): its header and its data
 * blocks in file order.
 *
 * @param header the top-level fields
 * @param blocks the entries of {@code data}, in file order
 */
public record ExportFile(ExportHeader header, List<ExportBlock> blocks) {

  public ExportFile {
    Objects.requireNonNull(header, "header");
    blocks = List.copyOf(blocks);
  }

  /** A file with the current header (format 1.0.2, universe daf_butler 7). */
  public static ExportFile of(List<ExportBlock> blocks) {
    return new ExportFile(ExportHeader.current(), blocks);
  }

  /** The blocks of one kind, in file order. */
  public <T extends ExportBlock> List<T> blocks(Class<T> kind) {
    return blocks.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
