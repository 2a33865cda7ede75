package io.autobutler.core.registry.datasets;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;
import static io.autobutler.core.registry.RegistryException.Kind.MISSING_DATASET_TYPE;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.registry.RegistryException;

/** Dataset types: registration with daf_butler's conflict rule (same name, different definition is an error). */
public final class DatasetTypeManager {

  /** daf_butler's rule for dataset type names (components, with a dot, are not registered separately). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** The dimensions the dataset table has columns for (see V1__registry.sql). */
  private static final List<String> STORABLE = List.of("band", "htm7", "instrument", "skymap", "day_obs", "detector",
      "group", "physical_filter", "subfilter", "tract", "visit_system", "exposure", "patch", "visit");

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /**
   * Registers a dataset type; returns true when it was new, false when the same definition exists already.
   * A different definition under the same name is a ConflictingDefinitionError naming both.
   */
  public boolean register(Connection c, String name, String storageClass, Collection<String> dimensions,
                          boolean isCalibration) throws SQLException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new RegistryException(INVALID_ARGUMENT, "'" + name + "' is not a valid dataset type name: letters,"
          + " digits and underscores, not starting with a digit");
    }
    if (storageClass == null || storageClass.isBlank()) {
      throw new RegistryException(INVALID_ARGUMENT, "dataset type '" + name + "' needs a storage class");
    }
    DimensionGroup group;
    try {
      group = universe.group(dimensions);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(INVALID_ARGUMENT, "dataset type '" + name + "': " + e.getMessage());
    }
    for (String dimension : group.required()) {
      if (!STORABLE.contains(dimension)) {
        throw new RegistryException(INVALID_ARGUMENT, "dataset type '" + name + "': dimension '" + dimension
            + "' is not supported in data IDs by this registry (supported: " + String.join(", ", STORABLE) + ")");
      }
    }
    DatasetType wanted = new DatasetType(0, name, storageClass, group, isCalibration);
    Optional<DatasetType> existing = find(c, name);
    if (existing.isPresent()) {
      if (!existing.get().sameDefinition(wanted)) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Given dataset type " + wanted.describe()
            + " is inconsistent with database definition " + existing.get().describe() + ".");
      }
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_type (name, storage_class, dimensions,"
        + " required, is_calibration) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, name);
      ps.setString(2, storageClass);
      ps.setArray(3, c.createArrayOf("text", group.names().toArray()));
      ps.setArray(4, c.createArrayOf("text", group.required().toArray()));
      ps.setBoolean(5, isCalibration);
      if (ps.executeUpdate() == 0) {
        // Registered concurrently: apply the conflict rule to what the other transaction wrote.
        return register(c, name, storageClass, dimensions, isCalibration);
      }
    }
    return true;
  }

  public Optional<DatasetType> find(Connection c, String name) throws SQLException {
    List<DatasetType> found = query(c, " WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  public DatasetType get(Connection c, String name) throws SQLException {
    return find(c, name).orElseThrow(() -> new RegistryException(MISSING_DATASET_TYPE,
        "Dataset type '" + name + "' is not registered."));
  }

  /** Every dataset type, by name. */
  public List<DatasetType> all(Connection c) throws SQLException {
    return query(c, " ORDER BY name", null);
  }

  /** Removes a dataset type that has no datasets. */
  public boolean remove(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset_type WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      if ("23503".equals(e.getSQLState())) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Dataset type '" + name + "' still has datasets.");
      }
      throw e;
    }
  }

  private List<DatasetType> query(Connection c, String where, String parameter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, name, storage_class, dimensions, is_calibration FROM dataset_type" + where)) {
      if (parameter != null) {
        ps.setString(1, parameter);
      }
      List<DatasetType> types = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array dims = rs.getArray(4);
          types.add(new DatasetType(rs.getLong(1), rs.getString(2), rs.getString(3),
              universe.group(Arrays.asList((String[]) dims.getArray())), rs.getBoolean(5)));
        }
      }
      return types;
    }
  }
}
