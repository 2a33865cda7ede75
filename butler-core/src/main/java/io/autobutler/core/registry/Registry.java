package io.autobutler.core.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
  /** The fewest changed rows that make a table's statistics stale; loads smaller than this need no ANALYZE. */
  public static final int STALE_ROWS = 1000;

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
   * comes by. Only tables never analysed, or whose rows changed by half their size (and at least
   * {@value #STALE_ROWS} rows) since, are analysed: a stream of ingest batches then pays for a few ANALYZEs as a
   * table grows, not one per batch (at 150,000 raws one took 0.4 s, a third of a batch).
   */
  public void analyze(java.util.Collection<String> tables) {
    transaction(c -> {
      List<String> stale = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT s.relname FROM pg_stat_user_tables s"
          + " JOIN pg_class k ON k.oid = s.relid WHERE s.schemaname = ? AND s.relname = ANY (?)"
          + " AND (COALESCE(s.last_analyze, s.last_autoanalyze) IS NULL"
          + " OR s.n_mod_since_analyze >= GREATEST(?, 0.5 * GREATEST(k.reltuples, 0)))")) {
        ps.setString(1, namespace);
        ps.setArray(2, c.createArrayOf("text", tables.toArray()));
        ps.setLong(3, STALE_ROWS);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stale.add(rs.getString(1));
          }
        }
      }
      try (Statement s = c.createStatement()) {
        for (String table : stale) {
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
