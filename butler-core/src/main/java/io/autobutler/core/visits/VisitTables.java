package io.autobutler.core.visits;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.autobutler.core.registry.dimensions.DimensionRecordManager;

/**
 * Reads and writes the visit tables ({@code visit}, {@code visit_definition}, {@code visit_system_membership},
 * {@code visit_detector_region}) in set-based statements: one {@code INSERT ... SELECT FROM unnest(...)} per chunk of
 * rows instead of one statement per record, so that thousands of visits take a handful of round trips.
 */
final class VisitTables {

  /** Rows per statement: bounds the size of the arrays sent at once (LSSTCam writes 205 regions per visit). */
  private static final int CHUNK = 5000;
  private static final String VISIT_COLUMNS = "id, name, physical_filter, day_obs, seq_num, exposure_time,"
      + " target_name, observation_reason, science_program, azimuth, zenith_angle, region, lower(timespan),"
      + " upper(timespan)";
  private static final String TIMESPAN = "CASE WHEN v.b IS NULL AND v.e IS NULL THEN NULL ELSE int8range("
      + "coalesce(v.b, 0), coalesce(v.e, " + DimensionRecordManager.MAX_TIME_NS + "), '[)') END";
  private static final String VISIT_ROWS = "unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],"
      + " ?::float8[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::float8[], ?::text[], ?::bigint[], ?::bigint[])"
      + " AS v(id, name, physical_filter, day_obs, seq_num, exposure_time, target_name, observation_reason,"
      + " science_program, azimuth, zenith_angle, region, b, e)";

  /** A {@code visit_detector_region} row. */
  record DetectorRegion(long detector, long visit, String region) {
  }

  private VisitTables() {
  }

  /** The stored visit records among {@code ids}, by id. */
  static Map<Long, VisitRecord> visitsById(Connection c, String instrument, Collection<Long> ids)
      throws SQLException {
    Map<Long, VisitRecord> visits = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + VISIT_COLUMNS
        + " FROM visit WHERE instrument = ? AND id = ANY(?)")) {
      ps.setString(1, instrument);
      ps.setArray(2, c.createArrayOf("bigint", ids.toArray(Long[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          VisitRecord visit = new VisitRecord(instrument, rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getLong(4), rs.getObject(5, Long.class), rs.getObject(6, Double.class), rs.getString(7),
              rs.getString(8), rs.getString(9), rs.getObject(10, Double.class), rs.getObject(11, Double.class),
              rs.getString(12), rs.getObject(13, Long.class), rs.getObject(14, Long.class));
          visits.put(visit.id(), visit);
        }
      }
    }
    return visits;
  }

  /** The ids of the stored visits named {@code names}, by name. */
  static Map<String, Long> visitIdsByName(Connection c, String instrument, Collection<String> names)
      throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, id FROM visit WHERE instrument = ? AND name = ANY(?)")) {
      ps.setString(1, instrument);
      ps.setArray(2, c.createArrayOf("text", names.toArray(String[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return ids;
  }

  static void insertVisits(Connection c, String instrument, List<VisitRecord> visits) throws SQLException {
    writeVisits(c, "INSERT INTO visit (instrument, id, name, physical_filter, day_obs, seq_num, exposure_time,"
        + " target_name, observation_reason, science_program, azimuth, zenith_angle, region, timespan)"
        + " SELECT ?, v.id, v.name, v.physical_filter, v.day_obs, v.seq_num, v.exposure_time, v.target_name,"
        + " v.observation_reason, v.science_program, v.azimuth, v.zenith_angle, v.region, " + TIMESPAN
        + " FROM " + VISIT_ROWS, instrument, visits);
  }

  static void updateVisits(Connection c, String instrument, List<VisitRecord> visits) throws SQLException {
    writeVisits(c, "UPDATE visit SET name = v.name, physical_filter = v.physical_filter, day_obs = v.day_obs,"
        + " seq_num = v.seq_num, exposure_time = v.exposure_time, target_name = v.target_name,"
        + " observation_reason = v.observation_reason, science_program = v.science_program, azimuth = v.azimuth,"
        + " zenith_angle = v.zenith_angle, region = v.region, timespan = " + TIMESPAN
        + " FROM " + VISIT_ROWS + " WHERE visit.instrument = ? AND visit.id = v.id", instrument, visits);
  }

  private static void writeVisits(Connection c, String sql, String instrument, List<VisitRecord> visits)
      throws SQLException {
    boolean instrumentFirst = sql.startsWith("INSERT");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (List<VisitRecord> chunk : chunks(visits)) {
        int index = 1;
        if (instrumentFirst) {
          ps.setString(index++, instrument);
        }
        index = array(c, ps, index, "bigint", chunk, VisitRecord::id);
        index = array(c, ps, index, "text", chunk, VisitRecord::name);
        index = array(c, ps, index, "text", chunk, VisitRecord::physicalFilter);
        index = array(c, ps, index, "bigint", chunk, VisitRecord::dayObs);
        index = array(c, ps, index, "bigint", chunk, VisitRecord::seqNum);
        index = array(c, ps, index, "float8", chunk, VisitRecord::exposureTime);
        index = array(c, ps, index, "text", chunk, VisitRecord::targetName);
        index = array(c, ps, index, "text", chunk, VisitRecord::observationReason);
        index = array(c, ps, index, "text", chunk, VisitRecord::scienceProgram);
        index = array(c, ps, index, "float8", chunk, VisitRecord::azimuth);
        index = array(c, ps, index, "float8", chunk, VisitRecord::zenithAngle);
        index = array(c, ps, index, "text", chunk, VisitRecord::region);
        index = array(c, ps, index, "bigint", chunk, VisitRecord::begin);
        index = array(c, ps, index, "bigint", chunk, VisitRecord::end);
        if (!instrumentFirst) {
          ps.setString(index, instrument);
        }
        ps.executeUpdate();
      }
    }
  }

  /** {@code visit_definition} rows {exposure, visit}; with {@code keepExisting}, rows already there are left alone. */
  static void insertDefinitions(Connection c, String instrument, List<long[]> rows, boolean keepExisting)
      throws SQLException {
    insertPairs(c, "INSERT INTO visit_definition (instrument, exposure, visit) SELECT ?, p.a, p.b FROM"
        + " unnest(?::bigint[], ?::bigint[]) AS p(a, b)" + (keepExisting ? " ON CONFLICT DO NOTHING" : ""),
        instrument, rows);
  }

  /** {@code visit_system_membership} rows {visit_system, visit}. */
  static void insertMemberships(Connection c, String instrument, List<long[]> rows) throws SQLException {
    insertPairs(c, "INSERT INTO visit_system_membership (instrument, visit_system, visit) SELECT ?, p.a, p.b FROM"
        + " unnest(?::bigint[], ?::bigint[]) AS p(a, b)", instrument, rows);
  }

  private static void insertPairs(Connection c, String sql, String instrument, List<long[]> rows)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (List<long[]> chunk : chunks(rows)) {
        ps.setString(1, instrument);
        array(c, ps, 2, "bigint", chunk, row -> row[0]);
        array(c, ps, 3, "bigint", chunk, row -> row[1]);
        ps.executeUpdate();
      }
    }
  }

  /** {@code visit_detector_region} rows; with {@code replace}, a stored region of the same key is overwritten. */
  static void writeDetectorRegions(Connection c, String instrument, List<DetectorRegion> rows, boolean replace)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit_detector_region (instrument, detector, visit,"
        + " region) SELECT ?, r.detector, r.visit, r.region FROM unnest(?::bigint[], ?::bigint[], ?::text[])"
        + " AS r(detector, visit, region)"
        + (replace ? " ON CONFLICT (instrument, detector, visit) DO UPDATE SET region = EXCLUDED.region" : ""))) {
      for (List<DetectorRegion> chunk : chunks(rows)) {
        ps.setString(1, instrument);
        array(c, ps, 2, "bigint", chunk, DetectorRegion::detector);
        array(c, ps, 3, "bigint", chunk, DetectorRegion::visit);
        array(c, ps, 4, "text", chunk, DetectorRegion::region);
        ps.executeUpdate();
      }
    }
  }

  private static <T> int array(Connection c, PreparedStatement ps, int index, String type, List<T> rows,
                               Function<T, Object> field) throws SQLException {
    Object[] values = switch (type) {
      case "bigint" -> new Long[rows.size()];
      case "float8" -> new Double[rows.size()];
      default -> new String[rows.size()];
    };
    for (int i = 0; i < values.length; i++) {
      values[i] = field.apply(rows.get(i));
    }
    Array array = c.createArrayOf(type, values);
    ps.setArray(index, array);
    return index + 1;
  }

  private static <T> List<List<T>> chunks(List<T> rows) {
    List<List<T>> chunks = new ArrayList<>();
    for (int start = 0; start < rows.size(); start += CHUNK) {
      chunks.add(rows.subList(start, Math.min(rows.size(), start + CHUNK)));
    }
    return chunks;
  }
}
