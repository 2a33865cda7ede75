package io.autobutler.core.visits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.query.expr.QueryContext;
import io.autobutler.core.query.expr.SqlPredicate;
import io.autobutler.core.query.expr.SqlTranslator;

/**
 * The {@code exposure} records define-visits works on: those of one instrument that a {@code --where} expression
 * selects (upstream: {@code query.join_dimensions(["exposure"]).where(where, instrument=...)}), and, for
 * {@code --incremental}, the other exposures of their sequences. Bound parameters only.
 *
 * <p>The expression is translated over the dimensions of {@code exposure} (instrument, exposure and what exposure
 * implies: physical_filter, band, day_obs, group), with the exposure keys read from a derived table standing where
 * query-datasets has the dataset table.
 */
final class ExposureSelection {

  private static final String COLUMNS = "exposure.instrument, exposure.id, exposure.obs_id, exposure.physical_filter,"
      + " exposure.day_obs, exposure.\"group\", exposure.seq_num, exposure.seq_start, exposure.seq_end,"
      + " exposure.exposure_time, exposure.observation_type, exposure.observation_reason, exposure.target_name,"
      + " exposure.science_program, exposure.tracking_ra, exposure.tracking_dec, exposure.sky_angle,"
      + " exposure.azimuth, exposure.zenith_angle, exposure.can_see_sky, lower(exposure.timespan),"
      + " upper(exposure.timespan)";
  private static final String KEYS = "(SELECT instrument, id AS exposure FROM exposure) AS d";

  private ExposureSelection() {
  }

  /** The instrument's exposures that {@code where} selects (all of them for a blank one), in id order. */
  static List<ExposureRecord> select(Connection c, String instrument, String where) throws SQLException {
    DimensionUniverse universe = DimensionUniverse.v7();
    QueryContext context = QueryContext.builder(universe, universe.group(List.of("exposure"))).datasetAlias("d")
        .build();
    SqlPredicate predicate = SqlTranslator.translate(where == null ? "" : where, context);
    Set<String> joins = new LinkedHashSet<>();
    joins.add("exposure");
    joins.addAll(predicate.elementsToJoin());
    String sql = "SELECT " + COLUMNS + " FROM " + KEYS + " " + context.joinClauses(joins) + " WHERE d.instrument = ?"
        + (predicate.isTrue() ? "" : " AND (" + predicate.sql() + ")") + " ORDER BY exposure.id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, instrument);
      predicate.bind(ps, 2);
      return read(ps);
    }
  }

  /**
   * The exposures of the same {@code (day_obs, seq_start, seq_end)} sequences whose {@code seq_num} is one of the
   * missing ones (obs_base {@code find_missing} of one-to-one-and-by-counter, which also asks by seq_start, seq_end
   * and seq_num; the day_obs is added here, since counters restart every night).
   */
  static List<ExposureRecord> sequenceMembers(Connection c, String instrument, List<SequenceQuery> sequences)
      throws SQLException {
    if (sequences.isEmpty()) {
      return List.of();
    }
    List<Long> days = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    List<Long> seqNums = new ArrayList<>();
    for (SequenceQuery sequence : sequences) {
      for (long seqNum : sequence.seqNums()) {
        days.add(sequence.dayObs());
        starts.add(sequence.seqStart());
        ends.add(sequence.seqEnd());
        seqNums.add(seqNum);
      }
    }
    String sql = "SELECT " + COLUMNS + " FROM exposure JOIN unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
        + " AS wanted(day_obs, seq_start, seq_end, seq_num) ON exposure.day_obs = wanted.day_obs"
        + " AND exposure.seq_start = wanted.seq_start AND exposure.seq_end = wanted.seq_end"
        + " AND exposure.seq_num = wanted.seq_num WHERE exposure.instrument = ? ORDER BY exposure.id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("bigint", days.toArray(Long[]::new)));
      ps.setArray(2, c.createArrayOf("bigint", starts.toArray(Long[]::new)));
      ps.setArray(3, c.createArrayOf("bigint", ends.toArray(Long[]::new)));
      ps.setArray(4, c.createArrayOf("bigint", seqNums.toArray(Long[]::new)));
      ps.setString(5, instrument);
      return read(ps);
    }
  }

  /** The missing {@code seq_num}s of one sequence. */
  record SequenceQuery(long dayObs, long seqStart, long seqEnd, Collection<Long> seqNums) {
  }

  private static List<ExposureRecord> read(PreparedStatement ps) throws SQLException {
    List<ExposureRecord> exposures = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        exposures.add(new ExposureRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getObject(7, Long.class), rs.getObject(8, Long.class),
            rs.getObject(9, Long.class), rs.getObject(10, Double.class), rs.getString(11), rs.getString(12),
            rs.getString(13), rs.getString(14), rs.getObject(15, Double.class), rs.getObject(16, Double.class),
            rs.getObject(17, Double.class), rs.getObject(18, Double.class), rs.getObject(19, Double.class),
            rs.getObject(20, Boolean.class), rs.getObject(21, Long.class), rs.getObject(22, Long.class)));
      }
    }
    return exposures;
  }
}
