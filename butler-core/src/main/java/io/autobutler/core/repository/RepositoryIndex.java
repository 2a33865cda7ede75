package io.autobutler.core.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.autobutler.core.registry.RegistryMigrations;

/** The repositories this installation knows, kept in the index schema of the services' own database. */
public final class RepositoryIndex {

  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final String schema;

  public RepositoryIndex(DataSource dataSource, String schema) {
    if (!RegistryMigrations.isValidSchemaName(schema)) {
      throw new IllegalArgumentException("invalid index schema name '" + schema + "'");
    }
    this.dataSource = dataSource;
    this.schema = schema;
  }

  /** Records a new repository; refuses a name, or a namespace in the same database, that is taken. */
  public Repository add(Repository repository, String seedConfig) {
    String sql = "INSERT INTO " + schema + ".repository"
        + " (name, namespace, registry_db, datastore_name, datastore_root, seed_config) VALUES (?, ?, ?, ?, ?, ?)"
        + " RETURNING created_at";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, repository.name());
      ps.setString(2, repository.namespace());
      ps.setString(3, repository.registryDb());
      ps.setString(4, repository.datastoreName());
      ps.setString(5, repository.datastoreRoot());
      ps.setString(6, seedConfig);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Repository(repository.name(), repository.namespace(), repository.registryDb(),
            repository.datastoreName(), repository.datastoreRoot(), rs.getObject(1, OffsetDateTime.class));
      }
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new RepositoryExistsException(find(repository.name())
            .map(existing -> "repository '" + existing.name() + "' already exists")
            .orElse("namespace '" + repository.namespace() + "' of " + repository.registryDb()
                + " already holds another repository"));
      }
      throw new IllegalStateException("cannot record repository " + repository.name() + ": " + e.getMessage(), e);
    }
  }

  public Optional<Repository> find(String name) {
    List<Repository> found = query(" WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  public List<Repository> list() {
    return query(" ORDER BY name", null);
  }

  private List<Repository> query(String where, String parameter) {
    String sql = "SELECT name, namespace, registry_db, datastore_name, datastore_root, created_at FROM "
        + schema + ".repository" + where;
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (parameter != null) {
        ps.setString(1, parameter);
      }
      List<Repository> result = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new Repository(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getObject(6, OffsetDateTime.class)));
        }
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the repository index: " + e.getMessage(), e);
    }
  }

  /** The name or the namespace of a new repository is already taken. */
  public static final class RepositoryExistsException extends RuntimeException {
    public RepositoryExistsException(String message) {
      super(message);
    }
  }
}
