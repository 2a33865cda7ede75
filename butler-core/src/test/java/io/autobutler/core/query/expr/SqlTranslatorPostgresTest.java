package io.autobutler.core.query.expr;

import io.autobutler.core.time.LeapSeconds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.testsupport.PostgresServer;
import io.autobutler.testsupport.PostgresServer.TestDatabase;

/**
 * Runs translated expressions on a real registry schema: raws of three LSSTComCam exposures (two science, one
 * flat; filters r_03 and i_06) on nine detectors, in the RUN LSSTComCam/raw/all.
 */
class SqlTranslatorPostgresTest {

  private static final String NAMESPACE = "expr_query";
  private static final String INSTRUMENT = "LSSTComCam";
  private static final long E1 = 2024110800001L;
  private static final long E2 = 2024110800002L;
  private static final long E3 = 2024110800003L;
  private static final int DETECTORS = 9;
  private static final QueryContext RAW = QueryContext.forDatasetType("raw",
      List.of("instrument", "detector", "exposure"), "d");

  private static PGSimpleDataSource dataSource;

  @BeforeAll
  static void createRegistry() throws SQLException {
    TestDatabase database = PostgresServer.preferred().createDatabase("expr_query");
    PGSimpleDataSource migrations = new PGSimpleDataSource();
    migrations.setURL(database.jdbcUrl());
    migrations.setUser(database.user());
    migrations.setPassword(database.password());
    RegistryMigrations.migrateRegistry(migrations, NAMESPACE);
    dataSource = new PGSimpleDataSource();
    dataSource.setURL(database.jdbcUrl());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    dataSource.setCurrentSchema(NAMESPACE);
    try (Connection c = dataSource.getConnection()) {
      seed(c);
    }
  }

  private static void seed(Connection c) throws SQLException {
    exec(c, "INSERT INTO instrument (name, visit_max, visit_system, exposure_max, detector_max, class_name)"
        + " VALUES ('LSSTComCam', 7050123199999, 2, 7050123199999, 1000, 'lsst.obs.lsst.LsstComCam')");
    exec(c, "INSERT INTO physical_filter VALUES ('LSSTComCam', 'r_03', 'r'), ('LSSTComCam', 'i_06', 'i')");
    String[] sensors = {"S00", "S01", "S02", "S10", "S11", "S12", "S20", "S21", "S22"};
    for (int id = 0; id < DETECTORS; id++) {
      exec(c, "INSERT INTO detector VALUES ('LSSTComCam', " + id + ", 'R22_" + sensors[id] + "', '" + sensors[id]
          + "', 'R22', 'SCIENCE')");
    }
    long dayBegin = LeapSeconds.utcToTai(LocalDateTime.of(2024, 11, 8, 12, 0));
    exec(c, "INSERT INTO day_obs VALUES ('LSSTComCam', 20241108, int8range(" + dayBegin + ", "
        + (dayBegin + 86_400_000_000_000L) + "))");
    exposure(c, E1, "r_03", "science", LocalDateTime.of(2024, 11, 9, 1, 0));
    exposure(c, E2, "i_06", "flat", LocalDateTime.of(2024, 11, 9, 2, 0));
    exposure(c, E3, "i_06", "science", LocalDateTime.of(2024, 11, 9, 3, 0));
    exec(c, "INSERT INTO dataset_type (name, storage_class, dimensions, required, is_calibration) VALUES ('raw',"
        + " 'Exposure', '{band,instrument,day_obs,detector,group,physical_filter,exposure}',"
        + " '{instrument,detector,exposure}', false)");
    exec(c, "INSERT INTO collection (name, type) VALUES ('LSSTComCam/raw/all', 1)");
    exec(c, "INSERT INTO run (collection_id) SELECT collection_id FROM collection WHERE name = 'LSSTComCam/raw/all'");
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO dataset (id, dataset_type_id, run_id,"
        + " data_id_key, instrument, detector, exposure) VALUES (?, (SELECT id FROM dataset_type WHERE name = 'raw'),"
        + " (SELECT collection_id FROM collection WHERE name = 'LSSTComCam/raw/all'), ?, ?, ?, ?)")) {
      for (long exposure : new long[] {E1, E2, E3}) {
        for (int detector = 0; detector < DETECTORS; detector++) {
          String key = "instrument=" + INSTRUMENT + ",detector=" + detector + ",exposure=" + exposure;
          insert.setObject(1, UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
          insert.setString(2, key);
          insert.setString(3, INSTRUMENT);
          insert.setLong(4, detector);
          insert.setLong(5, exposure);
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static void exposure(Connection c, long id, String filter, String type, LocalDateTime beginUtc)
      throws SQLException {
    String group = beginUtc.toString() + ":00.000";
    exec(c, "INSERT INTO \"group\" VALUES ('LSSTComCam', '" + group + "')");
    long begin = LeapSeconds.utcToTai(beginUtc);
    String obsId = "CC_O_20241108_" + String.format("%06d", id % 100_000);
    exec(c, "INSERT INTO exposure (instrument, id, physical_filter, \"group\", day_obs, obs_id, exposure_time,"
        + " observation_type, timespan) VALUES ('LSSTComCam', " + id + ", '" + filter + "', '" + group
        + "', 20241108, '" + obsId + "', 30.0, '" + type + "', int8range(" + begin + ", " + (begin + 30_000_000_000L)
        + "))");
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The (exposure, detector) pairs of the raws the expression selects, as "exposure/detector". */
  private static TreeSet<String> select(String where, QueryContext context) throws SQLException {
    SqlPredicate predicate = SqlTranslator.translate(where, context);
    String sql = "SELECT d.id, d.exposure, d.detector FROM dataset AS d"
        + " JOIN dataset_type AS dt ON dt.id = d.dataset_type_id "
        + context.joinClauses(predicate.elementsToJoin())
        + " WHERE dt.name = ? AND (" + predicate.sql() + ")";
    TreeSet<String> rows = new TreeSet<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, "raw");
      assertThat(predicate.bind(st, 2)).isEqualTo(2 + predicate.parameters().size());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getLong(2) + "/" + rs.getLong(3));
        }
      }
    }
    return rows;
  }

  private static TreeSet<String> select(String where) throws SQLException {
    return select(where, RAW);
  }

  private static TreeSet<String> rows(long[] exposures, int... detectors) {
    TreeSet<String> rows = new TreeSet<>();
    for (long exposure : exposures) {
      for (int detector : detectors) {
        rows.add(exposure + "/" + detector);
      }
    }
    return rows;
  }

  private static int[] allDetectors() {
    int[] all = new int[DETECTORS];
    for (int i = 0; i < DETECTORS; i++) {
      all[i] = i;
    }
    return all;
  }

  private static long datasetCount() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM dataset")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void selectsScienceRawsThroughTheExposureTable() throws SQLException {
    assertThat(select("exposure.observation_type='science'")).isEqualTo(rows(new long[] {E1, E3}, allDetectors()));
    assertThat(select("observation_type != 'science'")).isEqualTo(rows(new long[] {E2}, allDetectors()));
    assertThat(select("")).hasSize(3 * DETECTORS);
  }

  @Test
  void selectsByImpliedDimensions() throws SQLException {
    assertThat(select("band = 'r'")).isEqualTo(rows(new long[] {E1}, allDetectors()));
    assertThat(select("physical_filter = 'i_06' AND day_obs = 20241108"))
        .isEqualTo(rows(new long[] {E2, E3}, allDetectors()));
    assertThat(select("band = 'i' AND exposure.observation_type = 'science' AND detector = 4"))
        .containsExactly(E3 + "/4");
    assertThat(select("group = '2024-11-09T02:00:00.000'")).isEqualTo(rows(new long[] {E2}, allDetectors()));
  }

  @Test
  void selectsWithInListsAndRanges() throws SQLException {
    assertThat(select("exposure IN (2024110800001, 2024110800003)"))
        .isEqualTo(rows(new long[] {E1, E3}, allDetectors()));
    assertThat(select("detector IN (0..8:2)")).isEqualTo(rows(new long[] {E1, E2, E3}, 0, 2, 4, 6, 8));
    assertThat(select("detector IN (1..2, 7) AND exposure NOT IN (2024110800002)"))
        .isEqualTo(rows(new long[] {E1, E3}, 1, 2, 7));
    assertThat(select("detector NOT IN (0..7)")).isEqualTo(rows(new long[] {E1, E2, E3}, 8));
    assertThat(select("detector IN (0..8:4) OR exposure = 2024110800002 AND detector = 1"))
        .isEqualTo(union(rows(new long[] {E1, E2, E3}, 0, 4, 8), rows(new long[] {E2}, 1)));
    assertThat(select("exposure % 2 = 1 AND detector * 2 - 1 = 7")).isEqualTo(rows(new long[] {E1, E3}, 4));
    assertThat(select("exposure IN (:ids)", RAW.withBinds(Map.of("ids", List.of(E2, E3)))))
        .isEqualTo(rows(new long[] {E2, E3}, allDetectors()));
  }

  @Test
  void selectsByTime() throws SQLException {
    assertThat(select("exposure.timespan.begin > T'2024-11-09T01:30:00'"))
        .isEqualTo(rows(new long[] {E2, E3}, allDetectors()));
    assertThat(select("exposure.timespan.end <= T'2024-11-09 01:00:30'"))
        .isEqualTo(rows(new long[] {E1}, allDetectors()));
    assertThat(select("exposure.timespan OVERLAPS T'2024-11-09T01:00:10'"))
        .isEqualTo(rows(new long[] {E1}, allDetectors()));
    assertThat(select("exposure.timespan OVERLAPS (T'2024-11-09T01:59:00', T'2024-11-09T03:00:01')"))
        .isEqualTo(rows(new long[] {E2, E3}, allDetectors()));
    assertThat(select("exposure.timespan OVERLAPS (NULL, T'2024-11-09T01:00:00')")).isEmpty();
    assertThat(select("day_obs.timespan OVERLAPS exposure.timespan")).hasSize(3 * DETECTORS);
    assertThat(select("ingest_date > T'2000-01-01 00:00:00' AND ingest_date < T'2100-01-01T00:00:00'"))
        .hasSize(3 * DETECTORS);
    assertThat(select("ingest_date < T'mjd/51544.0/tai'")).isEmpty();
  }

  @Test
  void selectsByDatasetFieldsAndGlobs() throws SQLException {
    UUID id = UUID.nameUUIDFromBytes(("instrument=LSSTComCam,detector=3,exposure=" + E2)
        .getBytes(StandardCharsets.UTF_8));
    assertThat(select("raw.dataset_id = UUID('" + id + "')")).containsExactly(E2 + "/3");
    assertThat(select("run = 'LSSTComCam/raw/all'")).hasSize(3 * DETECTORS);
    assertThat(select("run = 'LSSTComCam/raw/other'")).isEmpty();
    assertThat(select("GLOB(exposure.obs_id, 'CC_O_2024110?_*1')")).isEqualTo(rows(new long[] {E1}, allDetectors()));
    // '_' in the pattern is literal, not SQL's any-character wildcard.
    assertThat(select("GLOB(exposure.obs_id, 'CCXO*')")).isEmpty();
    assertThat(select("GLOB(detector.full_name, 'R22_S1?')")).isEqualTo(rows(new long[] {E1, E2, E3}, 3, 4, 5));
    assertThat(select("GLOB(exposure.obs_id, :p)", RAW.withBinds(Map.of("p", "%")))).isEmpty();
  }

  @Test
  void quotesAndSqlInValuesNeverBecomeSql() throws SQLException {
    // A doubled quote is not an escape: two adjacent strings are a syntax error, not SQL.
    assertThatThrownBy(() -> select("exposure.observation_type = 'x'' OR 1=1 --'"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Syntax error at or near ' OR 1=1 --' (line: 1, pos: 32)");
    // Inside one string, SQL is just characters of the value.
    assertThat(select("exposure.observation_type = 'x OR 1=1 --'")).isEmpty();
  }

  @Test
  void bindValuesAreNeverSql() throws SQLException {
    QueryContext context = RAW.withBinds(Map.of("t", "'; DROP TABLE dataset; --"));
    assertThat(select("observation_type = :t", context)).isEmpty();
    assertThat(select("exposure.observation_type IN (:t, 'flat')", context))
        .isEqualTo(rows(new long[] {E2}, allDetectors()));
    assertThat(datasetCount()).isEqualTo(3 * DETECTORS);
  }

  @Test
  void divisionByAZeroColumnIsNoMatchNotAnError() throws SQLException {
    assertThat(select("exposure / detector > 0")).isEqualTo(rows(new long[] {E1, E2, E3}, 1, 2, 3, 4, 5, 6, 7, 8));
  }

  private static TreeSet<String> union(TreeSet<String> a, TreeSet<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
