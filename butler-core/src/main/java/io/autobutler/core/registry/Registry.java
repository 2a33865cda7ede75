package io.autobutler.core.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.autobutler.core.registry.collections.CollectionManager;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetTypeManager;
import io.autobutler.core.registry.dimensions.DimensionRecordManager;

/**
 * One repository's registry: the schema {@code namespace} of a database, reached through managers for
 * collections, dataset types, dimensions and datasets, as daf_butler splits its registry. Every operation runs
 * in a transaction whose {@code search_path} is the namespace, so the managers' SQL names tables unqualified.
 */
public final class Registry {

  private final DataSource dataSource;
  private final String namespace;
  private final CollectionManager collections = new CollectionManager();
  private final DatasetTypeManager datasetTypes = new DatasetTypeManager();
  private final DimensionRecordManager dimensions = new DimensionRecordManager();
  private final DatasetManager datasets = new DatasetManager();

  public Registry(DataSource dataSource, String namespace) {
    if (!RegistryMigrations.isValidSchemaName(namespace)) {
      throw new IllegalArgumentException("invalid namespace '" + namespace + "'");
    }
    this.dataSource = dataSource;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** The database the registry lives in (its schema is {@link #namespace()}). */
  public DataSource dataSource() {
    return dataSource;
  }

  public CollectionManager collections() {
    return collections;
  }

  public DatasetTypeManager datasetTypes() {
    return datasetTypes;
  }

  public DimensionRecordManager dimensions() {
    return dimensions;
  }

  public DatasetManager datasets() {
    return datasets;
  }

  /**
   * Refreshes the planner statistics of tables after a bulk load: without them PostgreSQL plans the next queries
   * for empty tables (nested loops over 150,000 raws: seconds instead of a fraction of one) until autovacuum
   * comes by.
   */
  public void analyze(java.util.Collection<String> tables) {
    transaction(c -> {
      try (Statement s = c.createStatement()) {
        for (String table : tables) {
          s.execute("ANALYZE \"" + table.replace("\"", "") + "\"");
        }
      }
      return null;
    });
  }

  /** Work inside one transaction, committed when {@code work} returns and rolled back when it throws. */
  public <T> T transaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL search_path TO " + namespace + ", public");
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new RegistryDatabaseException("registry " + namespace + ": " + e.getMessage(), e);
    }
  }

  /** A unit of registry work on a connection whose transaction the registry manages. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** The database failed (not a refusal of the request): the caller may retry. */
  public static final class RegistryDatabaseException extends RuntimeException {
    public RegistryDatabaseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
