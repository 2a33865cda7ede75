package io.autobutler.cli.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

import io.autobutler.core.registry.RegistryMigrations;

/**
 * The floor no raw ingest can beat: the registry rows an ingest wrote for its raws (dimension records day_obs,
 * group and exposure; the datasets, whose run_id is their RUN membership; their datastore file records) loaded
 * again with plain PostgreSQL {@code COPY} into an empty namespace made by the same migrations, so with the same
 * indexes and foreign keys. The rows are read out of the ingested namespace first (binary COPY, not timed), so the
 * floor loads the very same rows; only loading and committing them is timed.
 *
 * <p>Bench-only, hence here rather than in butler-core: nothing else loads a registry this way.
 */
final class CopyFloor {

  /** What the raws' rows point at (register-instrument and the first ingest write them): copied before the timing. */
  static final List<String> REFERENCED_TABLES = List.of("instrument", "physical_filter", "detector", "collection",
      "run", "dataset_type");
  /** What raw ingest writes, in foreign-key order. */
  static final List<String> RAW_TABLES = List.of("day_obs", "\"group\"", "exposure", "dataset",
      "file_datastore_records");

  /** What one load did: rows by table, bytes loaded, time from the first COPY to the commit. */
  record Result(Map<String, Long> rows, long bytes, Duration elapsed) {

    long raws() {
      return rows.getOrDefault("dataset", 0L);
    }

    double rawsPerSecond() {
      return raws() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

  CopyFloor(String jdbcUrl, String user, String password) {
    dataSource.setURL(jdbcUrl);
    dataSource.setUser(user);
    dataSource.setPassword(password);
  }

  /** Loads the raw rows of namespace {@code source} into {@code target}, made empty first; times the load. */
  Result measure(String source, String target) throws SQLException, IOException {
    drop(target);
    RegistryMigrations.migrateRegistry(dataSource, target);
    Map<String, byte[]> extracted = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String table : REFERENCED_TABLES) {
        s.execute("INSERT INTO " + target + "." + table + " SELECT * FROM " + source + "." + table);
      }
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (String table : RAW_TABLES) {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        copy.copyOut("COPY " + source + "." + table + " TO STDOUT (FORMAT binary)", rows);
        extracted.put(table, rows.toByteArray());
      }
      // statistics of the referenced tables, as a repository in use has them
      s.execute("ANALYZE " + String.join(", ", REFERENCED_TABLES.stream().map(t -> target + "." + t).toList()));
    }

    Map<String, Long> rows = new LinkedHashMap<>();
    long bytes = 0;
    long start;
    long end;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      start = System.nanoTime();
      for (Map.Entry<String, byte[]> table : extracted.entrySet()) {
        rows.put(table.getKey().replace("\"", ""), copy.copyIn("COPY " + target + "." + table.getKey()
            + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(table.getValue())));
        bytes += table.getValue().length;
      }
      c.commit();
      end = System.nanoTime();
    }
    return new Result(rows, bytes, Duration.ofNanos(end - start));
  }

  void drop(String namespace) throws SQLException {
    if (!RegistryMigrations.isValidSchemaName(namespace)) {
      throw new IllegalArgumentException("invalid namespace '" + namespace + "'");
    }
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + namespace + " CASCADE");
    }
  }
}
