package io.autobutler.core.registry.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.autobutler.core.table.TextTable;

/**
 * The datasets a {@link DatasetQuery} found, for the commands that act on them (associate, disassociate,
 * certify, decertify, export) rather than print them.
 */
public final class FoundDatasets {

  /** The {@code id} column of the query's tables. */
  private static final int ID_COLUMN = 2;

  private FoundDatasets() {
  }

  /** The IDs of the datasets found, in table order. */
  public static List<UUID> ids(DatasetQuery.Result result) {
    List<UUID> ids = new ArrayList<>();
    for (TextTable table : result.tables()) {
      table.rows().forEach(row -> ids.add(UUID.fromString(row.get(ID_COLUMN))));
    }
    return ids;
  }
}
