package io.autobutler.core.transfer;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code type: associations} block of a TAGGED collection.
 *
 * @param collection the TAGGED collection
 * @param datasetIds the datasets tagged into it
 */
public record TaggedAssociationsBlock(String collection, List<UUID> datasetIds) implements ExportBlock {

  public TaggedAssociationsBlock {
    Objects.requireNonNull(collection, "collection");
    datasetIds = List.copyOf(datasetIds);
  }

  @Override
  public String yamlType() {
    return "associations";
  }
}
