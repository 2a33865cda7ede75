package io.autobutler.verifier.check;

import static io.autobutler.verifier.check.CheckContext.item;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest.CalibrationCoverage;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;

/**
 * Calibration coverage ({@code calibration:DATASET_TYPE}): for every science exposure and detector of the manifest's
 * selection, the calibration is found through the calib collection (chains flattened, as the butler searches them):
 * a certification in one of its CALIBRATION collections whose validity range contains the exposure's timespan, or a
 * dataset in one of its RUN or TAGGED collections (no validity range: valid at any time), whose data ID is the
 * exposure's reduced to the type's dimensions. One statement per dataset type lists the gaps.
 */
@ApplicationScoped
public class CalibrationCoverageCheck implements Check {

  /** The dimensions an exposure's data ID gives (a raw's, with its exposure's implied ones). */
  private static final Set<String> EXPOSURE_DIMENSIONS = Set.of("instrument", "detector", "exposure",
      "physical_filter", "band", "day_obs", "group");

  private final DatasetQuery query = new DatasetQuery();

  @Override
  public String name() {
    return Checks.CALIBRATION_COVERAGE;
  }

  @Override
  public List<VerificationReport> run(CheckContext context) {
    Optional<CalibrationCoverage> coverage = context.manifest().map(m -> m.expectations().calibrations());
    if (coverage.isEmpty()) {
      return List.of();
    }
    CalibrationCoverage wanted = coverage.get();
    return context.registry().transaction(c -> {
      List<VerificationReport> reports = new ArrayList<>();
      var collections = context.registry().collections();
      Optional<CollectionRecord> selection = collections.find(c, wanted.selection());
      Optional<CollectionRecord> calib = collections.find(c, wanted.collection());
      Optional<DatasetType> raw = context.registry().datasetTypes().find(c, "raw");
      for (String typeName : wanted.datasetTypes()) {
        ReportBuilder report = context.report(name(), "calibration:" + typeName);
        Optional<DatasetType> type = context.registry().datasetTypes().find(c, typeName);
        String problem = selection.isEmpty() ? "the selection " + wanted.selection() + " does not exist"
            : calib.isEmpty() ? "the calibration collection " + wanted.collection() + " does not exist"
            : raw.isEmpty() ? "the dataset type raw is not registered"
            : type.isEmpty() ? "the dataset type " + typeName + " is not registered"
            : unsupported(type.get());
        if (problem != null) {
          report.item(Severity.ERROR, item("kind", "unverifiable", "dataset_type", typeName, "reason", problem));
          report.problem(problem);
          reports.add(report.build(context.now(), null));
          continue;
        }
        gaps(context, c, report, raw.get(), type.get(), wanted);
        reports.add(report.build(context.now(), report.count("exposure_detectors") + " exposure-detectors of "
            + report.count("exposures") + " science exposures"));
      }
      return reports;
    });
  }

  /** Why a type's data ID cannot come from an exposure's, or null when it can. */
  private static String unsupported(DatasetType type) {
    List<String> other = type.dimensions().required().stream()
        .filter(d -> !EXPOSURE_DIMENSIONS.contains(d)).toList();
    return other.isEmpty() ? null : "the dataset type " + type.name() + " has dimensions " + other
        + " that an exposure's data ID does not give";
  }

  private void gaps(CheckContext context, Connection c, ReportBuilder report, DatasetType raw, DatasetType type,
                    CalibrationCoverage wanted) throws SQLException {
    DatasetQuery.Members members = query.members(query.searchPath(c, List.of(wanted.selection()), false), raw);
    List<String> leaves = context.registry().collections().flattenNames(c, List.of(wanted.collection()));
    Map<String, CollectionRecord> all = context.registry().collections().all(c);
    Long[] calibrations = ids(leaves, all, Set.of(CollectionType.CALIBRATION));
    Long[] runs = ids(leaves, all, Set.of(CollectionType.RUN));
    Long[] tagged = ids(leaves, all, Set.of(CollectionType.TAGGED));
    // The calibration's data ID is the exposure's reduced to the type's dimensions: x is a calibration dataset.
    StringBuilder match = new StringBuilder();
    for (String dimension : type.dimensions().required()) {
      match.append(" AND x.\"").append(dimension).append("\" = s.").append(dimension).append("_v");
    }
    String select = ", d.instrument AS instrument_v, d.detector AS detector_v, d.exposure AS exposure_v,"
        + " e.physical_filter AS physical_filter_v, pf.band AS band_v, e.day_obs AS day_obs_v,"
        + " e.\"group\" AS group_v";
    String sql = "WITH s AS (SELECT DISTINCT e.timespan" + select
        + " FROM (" + members.sql() + ") AS m(id, rank, collection_id) JOIN dataset d ON d.id = m.id"
        + " JOIN exposure e ON e.instrument = d.instrument AND e.id = d.exposure"
        + " JOIN physical_filter pf ON pf.instrument = e.instrument AND pf.name = e.physical_filter"
        + " WHERE e.observation_type = 'science')"
        + " SELECT s.exposure_v, s.detector_v, s.physical_filter_v, count(*) OVER (), "
        + " (SELECT count(DISTINCT exposure_v) FROM s),"
        + " NOT EXISTS (SELECT 1 FROM dataset_calibs k JOIN dataset x ON x.id = k.dataset_id"
        + "   WHERE k.collection_id = ANY (?) AND k.dataset_type_id = ?" + match + " AND k.timespan @> s.timespan)"
        + " AND NOT EXISTS (SELECT 1 FROM dataset x WHERE x.run_id = ANY (?) AND x.dataset_type_id = ?" + match + ")"
        + " AND NOT EXISTS (SELECT 1 FROM dataset_tags g JOIN dataset x ON x.id = g.dataset_id"
        + "   WHERE g.collection_id = ANY (?) AND g.dataset_type_id = ?" + match + ")"
        + " FROM s ORDER BY s.exposure_v, s.detector_v";
    long pairs = 0;
    long exposures = 0;
    long gaps = 0;
    if (!members.sql().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int next = members.bind(c, ps, 1);
        for (Long[] collections : List.of(calibrations, runs, tagged)) {
          ps.setArray(next++, c.createArrayOf("bigint", collections));
          ps.setLong(next++, type.id());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            pairs = rs.getLong(4);
            exposures = rs.getLong(5);
            if (rs.getBoolean(6)) {
              gaps++;
              report.item(Severity.ERROR, item("kind", "gap", "exposure", rs.getLong(1), "detector", rs.getLong(2),
                  "dataset_type", type.name(), "physical_filter", rs.getString(3)));
            }
          }
        }
      }
    }
    report.count("exposures", exposures).count("exposure_detectors", pairs).count("gaps", gaps);
    if (gaps > 0) {
      report.problem(gaps + " exposure-detectors without a valid " + type.name());
    }
  }

  private static Long[] ids(List<String> leaves, Map<String, CollectionRecord> all, Set<CollectionType> types) {
    return leaves.stream().map(all::get).filter(r -> r != null && types.contains(r.type()))
        .map(CollectionRecord::id).toArray(Long[]::new);
  }
}
