package io.autobutler.core.transfer;

/**
 * One entry of an export file's {@code data} list. The YAML {@code type} of each kind is given by
 * {@link #yamlType()}.
 */
public sealed interface ExportBlock
    permits DimensionBlock, CollectionBlock, DatasetTypeBlock, DatasetBlock, TaggedAssociationsBlock,
    CalibrationAssociationsBlock {

  /** The value of the block's {@code type} key. */
  String yamlType();
}
