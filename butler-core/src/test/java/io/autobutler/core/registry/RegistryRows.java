package io.autobutler.core.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What tests read back from a registry with plain SQL. */
public final class RegistryRows {

  private RegistryRows() {
  }

  /** The first column of every row {@code sql} returns, as text, in the registry's namespace. */
  public static List<String> strings(Registry registry, String sql) {
    return registry.transaction(c -> {
      List<String> values = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      return values;
    });
  }
}
