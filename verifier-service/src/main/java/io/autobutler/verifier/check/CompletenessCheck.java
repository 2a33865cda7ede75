package io.autobutler.verifier.check;

import static io.autobutler.verifier.check.CheckContext.item;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.index.IndexEntry;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.ExpectedCount;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;

/**
 * Completeness, one report per night ({@code night:INSTRUMENT/DAY_OBS}: its exposures, visits and raws, and the
 * exposures that lack raws of some of their instrument's detectors) and one per expected count of the manifest
 * ({@code count:NAME}). The detectors an exposure needs are the manifest's {@code detectors-per-exposure} (else every
 * detector the registry knows for the instrument); those its {@code _index.json} does not list were never made (a
 * camera reads out what it can), so an exposure short of those only is counted, not reported. Four statements in
 * all, whatever the size of the repository, and the index of each short exposure.
 */
@ApplicationScoped
public class CompletenessCheck implements Check {

  private final DatasetQuery query = new DatasetQuery();

  @Override
  public String name() {
    return Checks.COMPLETENESS;
  }

  private record Night(String instrument, long dayObs) implements Comparable<Night> {
    @Override
    public int compareTo(Night o) {
      int c = instrument.compareTo(o.instrument);
      return c != 0 ? c : Long.compare(dayObs, o.dayObs);
    }
  }

  @Override
  public List<VerificationReport> run(CheckContext context) {
    Map<String, Integer> declared = context.manifest().map(m -> m.expectations().detectorsPerExposure())
        .orElse(Map.of());
    return context.registry().transaction(c -> {
      Map<String, List<Long>> detectors = detectors(c);
      Map<Night, long[]> visits = visitsPerNight(c);
      Map<Night, ReportBuilder> nights = new TreeMap<>();
      List<ShortExposure> shortExposures = new ArrayList<>();
      // Grouped on the dataset table alone (its (instrument, exposure) index gives the order), then joined to the
      // 16,588 exposures for their night: no sort of 150,000 joined rows. A detector in two runs shows twice in
      // the array; the set below counts it once.
      try (PreparedStatement ps = c.prepareStatement("SELECT a.instrument, e.day_obs, a.exposure, a.detectors,"
          + " a.raws FROM (SELECT d.instrument, d.exposure, array_agg(d.detector) AS detectors, count(*) AS raws"
          + " FROM dataset d WHERE d.dataset_type_id = (SELECT id FROM dataset_type WHERE name = 'raw')"
          + " GROUP BY d.instrument, d.exposure) a JOIN exposure e ON e.instrument = a.instrument AND e.id = a.exposure"
          + " ORDER BY a.instrument, e.day_obs, a.exposure")) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String instrument = rs.getString(1);
            Night night = new Night(instrument, rs.getLong(2));
            long exposure = rs.getLong(3);
            Array array = rs.getArray(4);
            TreeSet<Long> present = new TreeSet<>();
            for (Object d : (Object[]) array.getArray()) {
              present.add(((Number) d).longValue());
            }
            ReportBuilder report = nights.computeIfAbsent(night, n -> nightReport(context, n));
            report.add("exposures", 1).add("raws", rs.getLong(5));
            List<Long> known = detectors.getOrDefault(instrument, List.of());
            int needed = declared.getOrDefault(instrument, known.size());
            if (present.size() < needed) {
              List<Long> missing = known.size() == needed ? known.stream().filter(d -> !present.contains(d)).toList()
                  : List.of();
              shortExposures.add(new ShortExposure(night, instrument, exposure, present.size(), needed, missing));
            }
          }
        }
      }
      // An exposure short of detectors is a fault only if its raws were made: those its _index.json (written where
      // the files were, over the files there) does not list never existed, and the repository cannot have them.
      Map<Long, Set<Long>> listed = indexedDetectors(context, c, shortExposures);
      for (ShortExposure exposure : shortExposures) {
        ReportBuilder report = nights.get(exposure.night());
        Set<Long> inIndex = listed.get(exposure.exposure());
        List<Long> lacking = inIndex == null || exposure.missing().isEmpty() ? exposure.missing()
            : exposure.missing().stream().filter(inIndex::contains).toList();
        if (inIndex != null && !exposure.missing().isEmpty() && lacking.isEmpty()) {
          report.add("short_at_source", 1);
          continue;
        }
        report.add("incomplete_exposures", 1);
        report.item(Severity.ERROR, item("kind", "missing-detectors", "instrument", exposure.instrument(),
            "exposure", exposure.exposure(), "detectors", exposure.present(), "expected", exposure.needed(),
            "missing", lacking.isEmpty() ? null : lacking));
      }
      List<VerificationReport> reports = new ArrayList<>();
      visits.forEach((night, count) -> nights.computeIfAbsent(night, n -> nightReport(context, n)));
      nights.forEach((night, report) -> {
        report.count("visits", visits.getOrDefault(night, new long[1])[0]);
        long incomplete = report.count("incomplete_exposures");
        if (incomplete > 0) {
          report.problem(incomplete + " of " + report.count("exposures") + " exposures lack detectors");
        }
        long atSource = report.count("short_at_source");
        reports.add(report.build(context.now(), report.count("exposures") + " exposures, " + report.count("visits")
            + " visits, " + report.count("raws") + " raws" + (atSource == 0 ? ""
            : ", " + atSource + " short of detectors at the source (their _index.json lists no more)")));
      });
      if (context.manifest().isPresent()) {
        reports.addAll(counts(context, c, context.manifest().get()));
      }
      return reports;
    });
  }

  /** A night's report, its counts all present from the start. */
  private ReportBuilder nightReport(CheckContext context, Night night) {
    return context.report(name(), "night:" + night.instrument() + "/" + night.dayObs())
        .count("exposures", 0).count("visits", 0).count("raws", 0).count("incomplete_exposures", 0)
        .count("short_at_source", 0);
  }

  /** An exposure with fewer raws than its instrument's detectors. */
  private record ShortExposure(Night night, String instrument, long exposure, int present, int needed, List<Long> missing) {
  }

  /**
   * The detectors that the {@code _index.json} of each short exposure's folder lists for it, by exposure: the
   * folder of one of its raws (one statement for all of them), its index read from storage. An exposure whose
   * index cannot be read (none, another layout, storage down) has no entry: its missing detectors count as missing.
   */
  private static Map<Long, Set<Long>> indexedDetectors(CheckContext context, Connection c,
                                                     List<ShortExposure> shortExposures) throws SQLException {
    Map<Long, Set<Long>> listed = new HashMap<>();
    if (shortExposures.isEmpty()) {
      return listed;
    }
    Map<Long, String> folders = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT d.exposure, min(f.path) FROM dataset d"
        + " JOIN file_datastore_records f ON f.dataset_id = d.id"
        + " WHERE d.dataset_type_id = (SELECT id FROM dataset_type WHERE name = 'raw') AND d.exposure = ANY (?)"
        + " GROUP BY d.exposure")) {
      ps.setArray(1, c.createArrayOf("bigint", shortExposures.stream().map(ShortExposure::exposure).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String path = rs.getString(2);
          folders.put(rs.getLong(1), path.substring(0, path.lastIndexOf('/') + 1));
        }
      }
    }
    DatastoreFiles storage = new DatastoreFiles(context.config().storage().bearerToken());
    Map<String, IndexFile> indexes = new HashMap<>();
    folders.forEach((exposure, folder) -> {
      IndexFile index = indexes.computeIfAbsent(folder, f -> readIndex(storage, f));
      if (index != null) {
        Set<Long> detectors = new TreeSet<>();
        for (IndexEntry entry : index.entries()) {
          if (exposure.equals(entry.info().exposureId()) && entry.info().detectorNum() != null) {
            detectors.add(entry.info().detectorNum());
          }
        }
        listed.put(exposure, detectors);
      }
    });
    return listed;
  }

  private static IndexFile readIndex(DatastoreFiles storage, String folder) {
    try {
      URI location = URI.create(folder + IndexFile.NAME);
      return storage.readIfExists(location).map(b -> IndexFile.parse(location, new String(b, StandardCharsets.UTF_8)))
          .orElse(null);
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: the exposure's missing detectors stay missing
    }
  }

  /** The detector ids of each instrument, in order. */
  private static Map<String, List<Long>> detectors(Connection c) throws SQLException {
    Map<String, List<Long>> detectors = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT instrument, id FROM detector ORDER BY instrument, id");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        detectors.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
      }
    }
    return detectors;
  }

  private static Map<Night, long[]> visitsPerNight(Connection c) throws SQLException {
    Map<Night, long[]> visits = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT instrument, day_obs, count(*) FROM visit"
        + " GROUP BY instrument, day_obs"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        visits.put(new Night(rs.getString(1), rs.getLong(2)), new long[] {rs.getLong(3)});
      }
    }
    return visits;
  }

  /** One report per expected count: query-datasets counted in the collections that exist. */
  private List<VerificationReport> counts(CheckContext context, Connection c, CampaignManifest manifest)
      throws SQLException {
    List<VerificationReport> reports = new ArrayList<>();
    for (ExpectedCount expected : manifest.expectations().counts()) {
      String label = expected.name() == null ? expected.datasetType() : expected.name();
      ReportBuilder report = context.report(name(), "count:" + label);
      List<String> collections = expected.collections() == null || expected.collections().isEmpty()
          ? List.of("*") : DeclaredCollections.searchPath(context.registry(), c, expected.collections());
      long actual = collections.isEmpty() ? 0 : query.count(c, new DatasetQuery.Request(
          List.of(expected.datasetType()), collections, expected.where(), Map.of(), false, 0, false));
      report.count("expected", expected.count()).count("actual", actual);
      if (actual != expected.count()) {
        long difference = actual - expected.count();
        report.item(Severity.ERROR, item("kind", "count", "dataset_type", expected.datasetType(),
            "collections", expected.collections(), "where", expected.where(), "expected", expected.count(),
            "actual", actual));
        report.problem(difference < 0 ? (-difference) + " " + expected.datasetType() + " missing"
            : difference + " " + expected.datasetType() + " more than expected");
      }
      reports.add(report.build(context.now(), actual + " of " + expected.count()));
    }
    return reports;
  }
}
