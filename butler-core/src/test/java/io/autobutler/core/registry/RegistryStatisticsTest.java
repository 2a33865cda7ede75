package io.autobutler.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.autobutler.testsupport.PostgresServer;

/** Registry.analyze refreshes the statistics of tables that a load changed a lot, and leaves the others alone. */
class RegistryStatisticsTest {

  private static DataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("statistics").dataSource();
    RegistryMigrations.migrateRegistry(dataSource, "stats");
  }

  @Test
  void onlyTablesNeverAnalysedOrChangedByHalfAreAnalysed() throws Exception {
    Registry registry = new Registry(dataSource, "stats");
    insertRuns(0, 4000);
    registry.analyze(List.of("collection"));
    assertThat(analyses("collection")).as("never analysed before").isEqualTo(1);

    insertRuns(4000, 500);
    registry.analyze(List.of("collection"));
    assertThat(analyses("collection")).as("500 more rows on 4000 is not stale").isEqualTo(1);

    insertRuns(4500, 3000);
    registry.analyze(List.of("collection"));
    assertThat(analyses("collection")).as("3500 changed rows since, on 4000: stale").isEqualTo(2);
  }

  private static void insertRuns(int from, int count) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO stats.collection (name, type) SELECT 'run' || g, 1 FROM generate_series("
          + from + ", " + (from + count - 1) + ") g");
      // make this session's row counts visible to the statistics views now, not at its next report
      s.execute("SELECT pg_stat_force_next_flush()");
    }
    awaitCounted(from + count);
  }

  /** Waits (at most 10 s) until the statistics system has counted the inserted rows. */
  private static void awaitCounted(long rows) throws SQLException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (statistic("n_tup_ins", "collection") >= rows) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long analyses(String table) throws SQLException {
    return statistic("analyze_count", table);
  }

  private static long statistic(String column, String table) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + column + " FROM pg_stat_user_tables WHERE schemaname = 'stats' AND relname = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }
}
