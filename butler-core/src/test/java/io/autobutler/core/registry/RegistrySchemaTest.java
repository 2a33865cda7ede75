package io.autobutler.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;

import io.autobutler.testsupport.PostgresServer;
import io.autobutler.testsupport.PostgresServer.TestDatabase;

/**
 * Proves the registry schema with real SQL on a real PostgreSQL server: its tables and columns, that the
 * migration is repeatable and namespaced, and that the butler's uniqueness rules are database constraints.
 */
class RegistrySchemaTest {

  private static final String NAMESPACE = "ccms1";
  private static final String INSTRUMENT = "LSSTComCam";
  private static final long SCIENCE_EXPOSURE = 2024110800123L;
  private static final long BIAS_EXPOSURE = 2024110800124L;

  private static final int RUN = 1;
  private static final int TAGGED = 2;
  private static final int CHAINED = 3;
  private static final int CALIBRATION = 4;

  /** RTN-103's longest collection name, 68 characters (daf_butler allows 64). */
  private static final String LONG_NAME = "LSSTComCam/calib/DM-48955/illumCorr/illuminationCorrection.20250224a";

  private static TestDatabase database;
  private static PGSimpleDataSource dataSource;
  private static MigrateResult firstMigration;
  private static long rawType;
  private static long biasType;
  private static long flatType;

  @BeforeAll
  static void migrateAndSeed() throws SQLException {
    database = PostgresServer.preferred().createDatabase("registry_schema");
    dataSource = dataSource(database, null);
    firstMigration = RegistryMigrations.migrateRegistry(dataSource, NAMESPACE);
    try (Connection c = connect()) {
      seedDimensions(c);
      rawType = datasetType(c, "raw", "Exposure",
          new String[] {"band", "instrument", "day_obs", "detector", "group", "physical_filter", "exposure"},
          new String[] {"instrument", "detector", "exposure"}, false);
      biasType = datasetType(c, "bias", "ExposureF", new String[] {"instrument", "detector"},
          new String[] {"instrument", "detector"}, true);
      flatType = datasetType(c, "flat", "ExposureF",
          new String[] {"band", "instrument", "detector", "physical_filter"},
          new String[] {"instrument", "detector", "physical_filter"}, true);
    }
  }

  // ------------------------------------------------------------------------------------------------ structure

  @Test
  void createsEveryRegistryTableInTheNamespace() throws SQLException {
    assertThat(firstMigration.migrationsExecuted).isEqualTo(1);
    assertThat(firstMigration.targetSchemaVersion).isEqualTo("1");
    try (Connection c = connect()) {
      assertThat(strings(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
          + "AND table_type = 'BASE TABLE'", NAMESPACE))
          .containsExactlyInAnyOrder(
              "instrument", "physical_filter", "subfilter", "detector", "day_obs", "group", "exposure",
              "visit_system", "visit", "visit_definition", "visit_system_membership", "visit_detector_region",
              "skymap", "tract", "patch",
              "collection", "run", "collection_chain",
              "dataset_type", "dataset", "dataset_tags", "dataset_calibs", "file_datastore_records",
              "butler_attributes", "flyway_schema_history");
      assertThat(strings(c, "SELECT table_name FROM information_schema.views WHERE table_schema = ?", NAMESPACE))
          .containsExactly("band");
      assertThat(strings(c, "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
          + "WHERE e.extname = ?", "btree_gist")).containsExactly("public");
      assertThat(strings(c, "SELECT name || '=' || value FROM butler_attributes ORDER BY name"))
          .containsExactly("schema_version=1", "universe_namespace=daf_butler", "universe_version=7");
    }
  }

  @Test
  void dimensionTablesHaveTheColumnsOfUniverse7() throws SQLException {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("instrument", List.of("name", "visit_max", "visit_system", "exposure_max", "detector_max",
        "class_name"));
    expected.put("physical_filter", List.of("instrument", "name", "band"));
    expected.put("detector", List.of("instrument", "id", "full_name", "name_in_raft", "raft", "purpose"));
    expected.put("day_obs", List.of("instrument", "id", "timespan"));
    expected.put("group", List.of("instrument", "name"));
    expected.put("exposure", List.of("instrument", "id", "physical_filter", "group", "day_obs", "obs_id",
        "exposure_time", "dark_time", "observation_type", "observation_reason", "seq_num", "seq_start", "seq_end",
        "target_name", "science_program", "tracking_ra", "tracking_dec", "sky_angle", "azimuth", "zenith_angle",
        "has_simulated", "can_see_sky", "timespan"));
    expected.put("visit_system", List.of("instrument", "id", "name"));
    expected.put("visit", List.of("instrument", "id", "physical_filter", "day_obs", "name", "seq_num",
        "exposure_time", "target_name", "observation_reason", "science_program", "azimuth", "zenith_angle",
        "region", "timespan"));
    expected.put("visit_definition", List.of("instrument", "exposure", "visit"));
    expected.put("visit_system_membership", List.of("instrument", "visit_system", "visit"));
    expected.put("visit_detector_region", List.of("instrument", "detector", "visit", "region"));
    expected.put("skymap", List.of("name", "hash", "tract_max", "patch_nx_max", "patch_ny_max"));
    expected.put("tract", List.of("skymap", "id", "region"));
    expected.put("patch", List.of("skymap", "tract", "id", "cell_x", "cell_y", "region"));
    try (Connection c = connect()) {
      for (Map.Entry<String, List<String>> table : expected.entrySet()) {
        assertThat(strings(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
            + "AND table_name = ? ORDER BY ordinal_position", NAMESPACE, table.getKey()))
            .as("columns of %s", table.getKey())
            .containsExactlyElementsOf(table.getValue());
      }
      // Encodings: timespans are INT8RANGE, regions TEXT, string lengths those of the universe.
      assertThat(strings(c, "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = ? "
          + "AND column_name = 'timespan'", NAMESPACE)).containsExactly("int8range");
      assertThat(strings(c, "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = ? "
          + "AND column_name = 'region'", NAMESPACE)).containsExactly("text");
      assertThat(strings(c, "SELECT column_name || ':' || character_maximum_length FROM information_schema.columns "
          + "WHERE table_schema = ? AND table_name = 'exposure' AND data_type = 'character varying' "
          + "ORDER BY ordinal_position", NAMESPACE))
          .containsExactly("instrument:32", "physical_filter:32", "group:64", "obs_id:64", "observation_type:16",
              "observation_reason:68", "target_name:64", "science_program:64");
      assertThat(strings(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
          + "AND table_name = 'dataset' ORDER BY ordinal_position", NAMESPACE))
          .containsExactly("id", "dataset_type_id", "run_id", "ingest_date", "data_id_key", "band", "htm7",
              "instrument", "skymap", "day_obs", "detector", "group", "physical_filter", "subfilter", "tract",
              "visit_system", "exposure", "patch", "visit");
    }
  }

  @Test
  void exposureRecordsKeepEveryField() throws SQLException {
    try (Connection c = connect();
         PreparedStatement s = c.prepareStatement("SELECT * FROM exposure WHERE instrument = ? AND id = ?")) {
      s.setString(1, INSTRUMENT);
      s.setLong(2, SCIENCE_EXPOSURE);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString("obs_id")).isEqualTo("CC_O_20241108_000123");
        assertThat(r.getString("group")).isEqualTo("2024-11-09T03:12:31.117");
        assertThat(r.getLong("day_obs")).isEqualTo(20241108L);
        assertThat(r.getString("observation_reason")).hasSize(68);
        assertThat(r.getDouble("dark_time")).isEqualTo(30.93);
        assertThat(r.getBoolean("can_see_sky")).isTrue();
        assertThat(r.getString("timespan")).isEqualTo("[1731121951000000000,1731121981000000000)");
      }
    }
  }

  @Test
  void bandIsAViewOfThePhysicalFilters() throws SQLException {
    try (Connection c = connect()) {
      assertThat(strings(c, "SELECT name FROM band ORDER BY name")).containsExactly("r", "white");
    }
  }

  // ------------------------------------------------------------------------------------------- migration runs

  @Test
  void migratingTwiceIsANoOp() throws SQLException {
    try (Connection c = connect()) {
      long marker = collection(c, "noop/marker", TAGGED);
      long history = count(c, "SELECT count(*) FROM flyway_schema_history");

      MigrateResult again = RegistryMigrations.migrateRegistry(dataSource, NAMESPACE);

      assertThat(again.migrationsExecuted).isZero();
      assertThat(count(c, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(history);
      assertThat(count(c, "SELECT count(*) FROM collection WHERE collection_id = " + marker)).isOne();
      assertThat(count(c, "SELECT count(*) FROM butler_attributes")).isEqualTo(3);
    }
  }

  @Test
  void twoNamespacesInOneDatabaseAreIndependent() throws SQLException {
    MigrateResult other = RegistryMigrations.migrateRegistry(dataSource, "ccms2");
    assertThat(other.migrationsExecuted).isEqualTo(1);

    try (Connection one = connect(); Connection two = dataSource(database, "ccms2").getConnection()) {
      collection(one, "independent/run", RUN);
      assertThat(count(two, "SELECT count(*) FROM collection WHERE name = 'independent/run'")).isZero();
      // The same name is free in the other namespace, and the sequences are separate.
      long idTwo = collection(two, "independent/run", RUN);
      assertThat(idTwo).isEqualTo(1L);
      assertThat(count(two, "SELECT count(*) FROM instrument")).isZero();
      assertThat(count(one, "SELECT count(*) FROM instrument")).isOne();
      exec(two, "DELETE FROM collection WHERE name = 'independent/run'");
      assertThat(count(one, "SELECT count(*) FROM collection WHERE name = 'independent/run'")).isOne();
      assertThat(strings(two, "SELECT value FROM butler_attributes WHERE name = 'universe_version'"))
          .containsExactly("7");
    }
  }

  // ------------------------------------------------------------------------------------------ uniqueness rules

  @Test
  void aRunHoldsOneDatasetPerTypeAndDataId() throws SQLException {
    try (Connection c = connect()) {
      long runA = collection(c, "unique/runA", RUN);
      long runB = collection(c, "unique/runB", RUN);
      dataset(c, rawType, runA, 3, SCIENCE_EXPOSURE);

      assertRefused(() -> dataset(c, rawType, runA, 3, SCIENCE_EXPOSURE), "23505", "dataset_run_type_data_id_key");

      dataset(c, rawType, runB, 3, SCIENCE_EXPOSURE);
      dataset(c, rawType, runA, 4, SCIENCE_EXPOSURE);
      assertThat(count(c, "SELECT count(*) FROM dataset WHERE run_id IN (" + runA + ", " + runB + ")"))
          .isEqualTo(3);
    }
  }

  @Test
  void aTaggedCollectionHoldsOneDatasetPerTypeAndDataId() throws SQLException {
    try (Connection c = connect()) {
      long runA = collection(c, "tagged/runA", RUN);
      long runB = collection(c, "tagged/runB", RUN);
      UUID first = dataset(c, rawType, runA, 5, SCIENCE_EXPOSURE);
      UUID second = dataset(c, rawType, runB, 5, SCIENCE_EXPOSURE);
      long tag1 = collection(c, "tagged/one", TAGGED);
      long tag2 = collection(c, "tagged/two", TAGGED);

      tag(c, tag1, first);
      assertRefused(() -> tag(c, tag1, second), "23505", "dataset_tags_collection_type_data_id_key");
      assertRefused(() -> tag(c, tag1, first), "23505", "dataset_tags_pkey");
      tag(c, tag2, second);

      assertThat(strings(c, "SELECT dataset_id::text FROM dataset_tags WHERE collection_id = " + tag1))
          .containsExactly(first.toString());
      assertThat(strings(c, "SELECT dataset_id::text FROM dataset_tags WHERE collection_id = " + tag2))
          .containsExactly(second.toString());
    }
  }

  @Test
  void calibrationValidityRangesOfOneDataIdMayNotOverlap() throws SQLException {
    try (Connection c = connect()) {
      long run = collection(c, "calib/run", RUN);
      long run2 = collection(c, "calib/run2", RUN);
      long calib = collection(c, "calib/one", CALIBRATION);
      long otherCalib = collection(c, "calib/two", CALIBRATION);
      UUID biasA = dataset(c, biasType, run, "instrument=LSSTComCam,detector=1", 1, null);
      UUID biasB = dataset(c, biasType, run2, "instrument=LSSTComCam,detector=1", 1, null);
      UUID otherDetector = dataset(c, biasType, run, "instrument=LSSTComCam,detector=2", 2, null);

      certify(c, calib, biasA, 100, 200);
      assertRefused(() -> certify(c, calib, biasB, 150, 300), "23P01", "dataset_calibs_no_overlap");
      assertRefused(() -> certify(c, calib, biasB, 0, Long.MAX_VALUE), "23P01", "dataset_calibs_no_overlap");
      // [100,200) and [200,300) are adjacent, not overlapping.
      certify(c, calib, biasB, 200, 300);
      certify(c, calib, biasA, 300, Long.MAX_VALUE);
      // Other data IDs, other collections and other dataset types are not constrained.
      certify(c, calib, otherDetector, 150, 250);
      certify(c, otherCalib, biasB, 150, 250);
      UUID flat = dataset(c, flatType, run, "instrument=LSSTComCam,detector=1,physical_filter=r_03", 1, null);
      certify(c, calib, flat, 150, 250);

      assertThat(strings(c, "SELECT timespan::text FROM dataset_calibs WHERE collection_id = " + calib
          + " AND dataset_type_id = " + biasType + " AND data_id_key = 'instrument=LSSTComCam,detector=1'"
          + " ORDER BY lower(timespan)"))
          .containsExactly("[100,200)", "[200,300)", "[300,9223372036854775807)");
    }
  }

  @Test
  void collectionNamesLongerThanDafButlersLimitFit() throws SQLException {
    assertThat(LONG_NAME).hasSize(68);
    try (Connection c = connect()) {
      long id = collection(c, LONG_NAME, CALIBRATION);
      String longer = "x/".repeat(200);
      collection(c, longer, TAGGED);
      assertThat(strings(c, "SELECT name FROM collection WHERE collection_id = " + id)).containsExactly(LONG_NAME);
      assertRefused(() -> collection(c, LONG_NAME, RUN), "23505", "collection_name_key");
      assertRefused(() -> exec(c, "INSERT INTO collection (name, type) VALUES ('bad/type', 5)"), "23514", null);
    }
  }

  // ---------------------------------------------------------------------------------------- cascades, chains

  @Test
  void deletingARunCollectionDeletesItsDatasetsAndTheirRecords() throws SQLException {
    try (Connection c = connect()) {
      long doomed = collection(c, "cascade/doomed", RUN);
      long kept = collection(c, "cascade/kept", RUN);
      long tagged = collection(c, "cascade/tagged", TAGGED);
      long calib = collection(c, "cascade/calib", CALIBRATION);
      UUID raw = dataset(c, rawType, doomed, 6, SCIENCE_EXPOSURE);
      UUID bias = dataset(c, biasType, doomed, "instrument=LSSTComCam,detector=6", 6, null);
      UUID survivor = dataset(c, rawType, kept, 6, SCIENCE_EXPOSURE);
      UUID keptTagged = dataset(c, rawType, kept, 7, SCIENCE_EXPOSURE);
      for (UUID id : List.of(raw, bias, survivor)) {
        file(c, id, "davs://example.org/repo/" + id + ".fits");
      }
      tag(c, tagged, raw);
      tag(c, tagged, keptTagged);
      certify(c, calib, bias, 0, 1000);

      assertThat(exec(c, "DELETE FROM collection WHERE name = 'cascade/doomed'")).isOne();

      assertThat(count(c, "SELECT count(*) FROM run WHERE collection_id = " + doomed)).isZero();
      assertThat(count(c, "SELECT count(*) FROM dataset WHERE run_id = " + doomed)).isZero();
      assertThat(count(c, "SELECT count(*) FROM file_datastore_records WHERE dataset_id IN ('" + raw + "', '"
          + bias + "')")).isZero();
      assertThat(count(c, "SELECT count(*) FROM dataset_tags WHERE dataset_id = '" + raw + "'")).isZero();
      assertThat(count(c, "SELECT count(*) FROM dataset_calibs WHERE collection_id = " + calib)).isZero();
      // Everything else stays.
      assertThat(count(c, "SELECT count(*) FROM dataset WHERE run_id = " + kept)).isEqualTo(2);
      assertThat(count(c, "SELECT count(*) FROM file_datastore_records WHERE dataset_id = '" + survivor + "'"))
          .isOne();
      assertThat(count(c, "SELECT count(*) FROM dataset_tags WHERE collection_id = " + tagged)).isOne();
    }
  }

  @Test
  void chainPositionsMayBeNegativeAndChildrenAreProtected() throws SQLException {
    try (Connection c = connect()) {
      long parent = collection(c, "chain/parent", CHAINED);
      long first = collection(c, "chain/first", RUN);
      long second = collection(c, "chain/second", CALIBRATION);
      long third = collection(c, "chain/third", TAGGED);
      link(c, parent, 0, third);
      // prepend two children: min(position) - 2
      link(c, parent, -2, first);
      link(c, parent, -1, second);

      assertThat(strings(c, "SELECT c.name FROM collection_chain ch JOIN collection c ON c.collection_id = ch.child "
          + "WHERE ch.parent = " + parent + " ORDER BY ch.position"))
          .containsExactly("chain/first", "chain/second", "chain/third");
      assertThat(strings(c, "SELECT p.name FROM collection_chain ch JOIN collection p ON p.collection_id = ch.parent "
          + "WHERE ch.child = " + second)).containsExactly("chain/parent");
      assertRefused(() -> link(c, parent, -1, third), "23505", "collection_chain_pkey");
      assertRefused(() -> link(c, parent, 1, parent), "23514", null);
      // A chain's child cannot be deleted; deleting the parent removes its links.
      assertRefused(() -> exec(c, "DELETE FROM collection WHERE collection_id = " + second), "23503", null);
      exec(c, "DELETE FROM collection WHERE collection_id = " + parent);
      assertThat(count(c, "SELECT count(*) FROM collection_chain WHERE parent = " + parent)).isZero();
      assertThat(exec(c, "DELETE FROM collection WHERE collection_id = " + second)).isOne();
    }
  }

  // ------------------------------------------------------------------------------------------- data IDs, query

  @Test
  void dataIdsMustNameExistingDimensionRecords() throws SQLException {
    try (Connection c = connect()) {
      long run = collection(c, "fk/run", RUN);
      assertRefused(() -> dataset(c, rawType, run, 3, 2024110899999L), "23503", "dataset_instrument_exposure_fkey");
      assertRefused(() -> dataset(c, rawType, run, 42, SCIENCE_EXPOSURE), "23503", "dataset_instrument_detector_fkey");
      assertRefused(() -> exec(c, "INSERT INTO exposure (instrument, id, physical_filter, \"group\", day_obs, obs_id) "
          + "VALUES ('LSSTComCam', 1, 'no_such_filter', '2024-11-09T03:12:31.117', 20241108, 'x')"), "23503",
          "exposure_instrument_physical_filter_fkey");
    }
  }

  @Test
  void scienceRawsOfARunAreFoundThroughTheExposureRecords() throws SQLException {
    try (Connection c = connect()) {
      long run = collection(c, "LSSTComCam/raw/all", RUN);
      for (int detector = 0; detector < 9; detector++) {
        dataset(c, rawType, run, detector, SCIENCE_EXPOSURE);
        dataset(c, rawType, run, detector, BIAS_EXPOSURE);
      }
      String query = "SELECT count(*) FROM dataset d"
          + " JOIN collection col ON col.collection_id = d.run_id"
          + " JOIN dataset_type t ON t.id = d.dataset_type_id"
          + " JOIN exposure e ON e.instrument = d.instrument AND e.id = d.exposure"
          + " WHERE col.name = 'LSSTComCam/raw/all' AND t.name = 'raw'";
      assertThat(count(c, query)).isEqualTo(18);
      assertThat(count(c, query + " AND e.observation_type = 'science'")).isEqualTo(9);
    }
  }

  // ----------------------------------------------------------------------------------------- embedded server

  @Test
  void migratesOnTheEmbeddedServerWithBtreeGist() throws SQLException {
    TestDatabase embedded = PostgresServer.embedded().createDatabase("registry_embedded");
    MigrateResult result = RegistryMigrations.migrateRegistry(dataSource(embedded, null), NAMESPACE);
    assertThat(result.migrationsExecuted).isEqualTo(1);
    try (Connection c = dataSource(embedded, NAMESPACE).getConnection()) {
      exec(c, "INSERT INTO instrument (name) VALUES ('LSSTComCam')");
      exec(c, "INSERT INTO detector (instrument, id, full_name) VALUES ('LSSTComCam', 1, 'R22_S01')");
      long type = datasetType(c, "bias", "ExposureF", new String[] {"instrument", "detector"},
          new String[] {"instrument", "detector"}, true);
      long run = collection(c, "embedded/run", RUN);
      long calib = collection(c, "embedded/calib", CALIBRATION);
      UUID a = dataset(c, type, run, "instrument=LSSTComCam,detector=1", 1, null);
      UUID b = dataset(c, type, collection(c, "embedded/run2", RUN), "instrument=LSSTComCam,detector=1", 1, null);
      certify(c, calib, a, 10, 20);
      certify(c, calib, b, 20, 30);
      assertRefused(() -> certify(c, calib, b, 15, 25), "23P01", "dataset_calibs_no_overlap");
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static PGSimpleDataSource dataSource(TestDatabase db, String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(db.jdbcUrl());
    ds.setUser(db.user());
    ds.setPassword(db.password());
    if (schema != null) {
      ds.setCurrentSchema(schema);
    }
    return ds;
  }

  private static Connection connect() throws SQLException {
    DataSource ds = dataSource(database, NAMESPACE);
    return ds.getConnection();
  }

  private static void seedDimensions(Connection c) throws SQLException {
    exec(c, "INSERT INTO instrument VALUES ('LSSTComCam', 7050123199999, 2, 7050123199999, 1000, "
        + "'lsst.obs.lsst.LsstComCam')");
    exec(c, "INSERT INTO physical_filter VALUES ('LSSTComCam', 'r_03', 'r'), ('LSSTComCam', 'empty', 'white'), "
        + "('LSSTComCam', 'pinhole', 'white')");
    String[] sensors = {"S00", "S01", "S02", "S10", "S11", "S12", "S20", "S21", "S22"};
    for (int id = 0; id < sensors.length; id++) {
      exec(c, "INSERT INTO detector VALUES ('LSSTComCam', " + id + ", 'R22_" + sensors[id] + "', '" + sensors[id]
          + "', 'R22', 'SCIENCE')");
    }
    exec(c, "INSERT INTO day_obs VALUES ('LSSTComCam', 20241108, int8range(1731067237000000000, "
        + "1731153637000000000))");
    exec(c, "INSERT INTO \"group\" VALUES ('LSSTComCam', '2024-11-09T03:12:31.117'), "
        + "('LSSTComCam', '2024-11-09T03:13:40.000')");
    exec(c, "INSERT INTO exposure (instrument, id, physical_filter, \"group\", day_obs, obs_id, exposure_time, "
        + "dark_time, observation_type, observation_reason, seq_num, seq_start, seq_end, target_name, "
        + "science_program, tracking_ra, tracking_dec, sky_angle, azimuth, zenith_angle, has_simulated, "
        + "can_see_sky, timespan) VALUES ('LSSTComCam', " + SCIENCE_EXPOSURE + ", 'r_03', "
        + "'2024-11-09T03:12:31.117', 20241108, 'CC_O_20241108_000123', 30.0, 30.93, 'science', '"
        + "r".repeat(68) + "', 123, 123, 123, 'Rubin_SV_095_-25', 'BLOCK-T246', 95.0, -25.0, 314.98, 222.07, "
        + "18.11, false, true, int8range(1731121951000000000, 1731121981000000000))");
    exec(c, "INSERT INTO exposure (instrument, id, physical_filter, \"group\", day_obs, obs_id, exposure_time, "
        + "observation_type, seq_num, seq_start, seq_end, has_simulated, can_see_sky) VALUES ('LSSTComCam', "
        + BIAS_EXPOSURE + ", 'empty', '2024-11-09T03:13:40.000', 20241108, 'CC_O_20241108_000124', 0.0, 'bias', "
        + "124, 124, 124, false, false)");
    exec(c, "INSERT INTO visit_system VALUES ('LSSTComCam', 0, 'one-to-one'), ('LSSTComCam', 2, 'by-seq-start-end')");
    exec(c, "INSERT INTO visit (instrument, id, physical_filter, day_obs, name, seq_num, exposure_time, "
        + "observation_reason, region, timespan) VALUES ('LSSTComCam', " + SCIENCE_EXPOSURE + ", 'r_03', 20241108, "
        + "'CC_O_20241108_000123', 123, 30.0, 'science', 'cAAAAA==', int8range(1731121951000000000, "
        + "1731121981000000000))");
    exec(c, "INSERT INTO visit_definition VALUES ('LSSTComCam', " + SCIENCE_EXPOSURE + ", " + SCIENCE_EXPOSURE + ")");
    exec(c, "INSERT INTO visit_system_membership VALUES ('LSSTComCam', 0, " + SCIENCE_EXPOSURE + "), "
        + "('LSSTComCam', 2, " + SCIENCE_EXPOSURE + ")");
    exec(c, "INSERT INTO visit_detector_region VALUES ('LSSTComCam', 4, " + SCIENCE_EXPOSURE + ", 'cAAAAA==')");
    exec(c, "INSERT INTO skymap VALUES ('lsst_cells_v1', decode('" + "ab".repeat(20) + "', 'hex'), 18938, 10, 10)");
    exec(c, "INSERT INTO tract VALUES ('lsst_cells_v1', 5063, 'cAAAAA==')");
    exec(c, "INSERT INTO patch VALUES ('lsst_cells_v1', 5063, 14, 4, 1, 'cAAAAA==')");
  }

  private static long datasetType(Connection c, String name, String storageClass, String[] dimensions,
      String[] required, boolean calibration) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO dataset_type (name, storage_class, dimensions, "
        + "required, is_calibration) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
      Array dims = c.createArrayOf("text", dimensions);
      Array req = c.createArrayOf("text", required);
      s.setString(1, name);
      s.setString(2, storageClass);
      s.setArray(3, dims);
      s.setArray(4, req);
      s.setBoolean(5, calibration);
      return single(s);
    }
  }

  /** Registers a collection; a RUN also gets its run row. */
  private static long collection(Connection c, String name, int type) throws SQLException {
    long id;
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO collection (name, type) VALUES (?, ?) RETURNING collection_id")) {
      s.setString(1, name);
      s.setInt(2, type);
      id = single(s);
    }
    if (type == RUN) {
      exec(c, "INSERT INTO run (collection_id, host) VALUES (" + id + ", NULL)");
    }
    return id;
  }

  /** Inserts a raw-like dataset with data ID {instrument, detector, exposure}. */
  private static UUID dataset(Connection c, long type, long run, int detector, long exposure) throws SQLException {
    return dataset(c, type, run, "instrument=" + INSTRUMENT + ",detector=" + detector + ",exposure=" + exposure,
        detector, exposure);
  }

  private static UUID dataset(Connection c, long type, long run, String dataIdKey, int detector, Long exposure)
      throws SQLException {
    UUID id = UUID.randomUUID();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO dataset (id, dataset_type_id, run_id, data_id_key, "
        + "instrument, detector, exposure, physical_filter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id);
      s.setLong(2, type);
      s.setLong(3, run);
      s.setString(4, dataIdKey);
      s.setString(5, INSTRUMENT);
      s.setInt(6, detector);
      if (exposure == null) {
        s.setNull(7, Types.BIGINT);
      } else {
        s.setLong(7, exposure);
      }
      s.setString(8, dataIdKey.contains("physical_filter=r_03") ? "r_03" : null);
      s.executeUpdate();
    }
    return id;
  }

  private static void tag(Connection c, long collection, UUID dataset) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO dataset_tags (collection_id, dataset_id, "
        + "dataset_type_id, data_id_key) SELECT ?, id, dataset_type_id, data_id_key FROM dataset WHERE id = ?")) {
      s.setLong(1, collection);
      s.setObject(2, dataset);
      assertThat(s.executeUpdate()).isOne();
    }
  }

  private static void certify(Connection c, long collection, UUID dataset, long begin, long end)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO dataset_calibs (collection_id, dataset_id, "
        + "dataset_type_id, data_id_key, timespan) SELECT ?, id, dataset_type_id, data_id_key, int8range(?, ?) "
        + "FROM dataset WHERE id = ?")) {
      s.setLong(1, collection);
      s.setLong(2, begin);
      s.setLong(3, end);
      s.setObject(4, dataset);
      assertThat(s.executeUpdate()).isOne();
    }
  }

  private static void file(Connection c, UUID dataset, String path) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO file_datastore_records (dataset_id, path, formatter, "
        + "storage_class, file_size) VALUES (?, ?, 'lsst.obs.lsst.rawFormatter.LsstCamRawFormatter', 'Exposure', "
        + "1024)")) {
      s.setObject(1, dataset);
      s.setString(2, path);
      s.executeUpdate();
    }
  }

  private static void link(Connection c, long parent, int position, long child) throws SQLException {
    exec(c, "INSERT INTO collection_chain (parent, position, child) VALUES (" + parent + ", " + position + ", "
        + child + ")");
  }

  private static void assertRefused(ThrowingCallable insert, String sqlState, String constraint) {
    assertThatThrownBy(insert).isInstanceOfSatisfying(PSQLException.class, e -> {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
      if (constraint != null) {
        assertThat(e.getServerErrorMessage()).isNotNull();
        assertThat(e.getServerErrorMessage().getConstraint()).isEqualTo(constraint);
      }
    });
  }

  private static int exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet r = s.executeQuery()) {
      assertThat(r.next()).isTrue();
      return r.getLong(1);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static List<String> strings(Connection c, String sql, String... parameters) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          values.add(r.getString(1));
        }
      }
      return values;
    }
  }
}
