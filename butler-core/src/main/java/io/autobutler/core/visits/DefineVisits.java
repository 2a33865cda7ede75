package io.autobutler.core.visits;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.autobutler.core.instrument.CameraGeometry;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.transfer.Region;
import io.autobutler.core.visits.ExposureSelection.SequenceQuery;
import io.autobutler.core.visits.VisitTables.DetectorRegion;

/**
 * {@code butler define-visits} as lsst/obs_base w.2025.20 does it ({@code script/defineVisits.py},
 * {@code DefineVisitsTask.run}) with its default configuration: exposure grouping {@code one-to-one-and-by-counter}
 * (visit systems 0 and 2), regions {@code single-raw-wcs} with a padding of 250 pixels, non-sky exposures ignored.
 *
 * <p>Steps: the instrument's exposures that {@code --where} selects, less those that cannot see the sky; the
 * visit_system records synced; with {@code --incremental}, the missing exposures of partly selected sequences
 * added; the exposures grouped into visits; each visit's record (see {@link VisitRecord}) and regions (see
 * {@link VisitRegions}) computed; then each visit synced as upstream syncs it:
 * <ul>
 *   <li>a new visit is inserted with its visit_definition, visit_system_membership and visit_detector_region
 *       rows;</li>
 *   <li>an identical stored visit is left unchanged (with {@code --update-records}, its detector regions are
 *       rewritten);</li>
 *   <li>a differing stored visit is a conflict unless {@code --update-records} or {@code --incremental} (the visit
 *       record is updated; its detector regions too when asked to update or when its region changed; with
 *       {@code --incremental} the missing visit_definition rows of a multi-exposure visit are added) or
 *       {@code --skip-conflicting} (left as it is; an option of obs_base v30.0.2, not of w.2025.20).</li>
 * </ul>
 * Unlike upstream, which commits visit by visit and stops at the first conflict, the whole run is one transaction
 * whose conflicts are all found before anything is written: a refused run writes nothing and names the visits.
 * Writes are set-based ({@link VisitTables}). Runs on one repository and instrument are serialized by an advisory
 * lock, so that concurrent runs cannot race on the same visits.
 *
 * <p>Camera geometry is the instrument's nominal camera ({@link CameraGeometry}); upstream prefers a {@code camera}
 * dataset found in {@code --collections}, whose file autobutler does not read. The collections must exist.
 */
public final class DefineVisits {

  /** The logger of {@code DefineVisitsTask} (Task name {@code defineVisits} under {@code lsst}). */
  public static final String LOGGER = "lsst.defineVisits";
  /** The logger of its {@code groupExposures} subtask. */
  public static final String GROUPING_LOGGER = "lsst.defineVisits.groupExposures";
  private static final int CONFLICTS_SHOWN = 5;

  /**
   * What to define.
   *
   * @param instrument      instrument name or class name, e.g. {@code LSSTComCam} or {@code lsst.obs.lsst.LsstComCam}
   * @param collections     collections to search for camera geometry (they must exist; the nominal camera is used)
   * @param where           the {@code --where} expression over the exposure dimensions, or null
   * @param updateRecords   {@code --update-records}
   * @param incremental     {@code --incremental}
   * @param skipConflicting {@code --skip-conflicting}
   */
  public record Request(String instrument, List<String> collections, String where, boolean updateRecords,
                        boolean incremental, boolean skipConflicting) {
  }

  /** A log line as the butler's command line prints it: {@code <logger> <level>: <message>}. */
  public record LogLine(String logger, String level, String message) {
    @Override
    public String toString() {
      return logger + " " + level + ": " + message;
    }
  }

  /**
   * What a run did: exposures considered (after filtering, with incremental additions), visits computed and what
   * became of them (upstream's final log line), and the log lines.
   */
  public record Result(int exposures, int visits, int unchanged, int created, int updatedWithRegions,
                       int updatedWithoutRegions, List<LogLine> log) {
  }

  private enum Outcome { UNCHANGED, NEW, UPDATED_WITH_REGIONS, UPDATED_WITHOUT_REGIONS }

  /** A computed visit: its record, its regions and what the registry makes of it. */
  private record Planned(VisitDefinition definition, VisitRecord record, Map<Integer, String> detectorRegions,
                         List<String> differences) {
  }

  public Result run(Registry registry, Request request) {
    InstrumentDefinition instrument = Instruments.lookup(request.instrument()).orElseThrow(() ->
        new RegistryException(INVALID_ARGUMENT, "Unknown instrument '" + request.instrument() + "'; known: "
            + Instruments.all().stream().map(i -> i.className() + " (" + i.name() + ")").toList()));
    CameraGeometry camera = CameraGeometry.of(instrument.name()).orElseThrow(() -> new RegistryException(
        INVALID_ARGUMENT, "No camera geometry is known for " + instrument.name()));
    List<LogLine> log = new ArrayList<>();
    Result result = registry.transaction(c -> {
      lock(c, registry.namespace(), instrument.name());
      requireRegistered(c, instrument.name(), camera);
      for (String collection : request.collections() == null ? List.<String>of() : request.collections()) {
        registry.collections().get(c, collection);
      }
      return define(c, registry, instrument.name(), new VisitRegions(camera), request, log);
    });
    if (result.created() >= Registry.STALE_ROWS) {
      registry.analyze(List.of("visit", "visit_definition", "visit_system_membership", "visit_detector_region"));
    }
    return result;
  }

  private Result define(Connection c, Registry registry, String instrument, VisitRegions regions, Request request,
                        List<LogLine> log) throws SQLException {
    info(log, "Preprocessing data IDs.");
    List<ExposureRecord> selected = ExposureSelection.select(c, instrument, request.where());
    if (selected.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "No exposures given. (No " + instrument + " exposure "
          + (blank(request.where()) ? "is in the repository" : "matches --where '" + request.where() + "'") + ".)");
    }
    List<ExposureRecord> exposures = new ArrayList<>(selected.stream().filter(ExposureRecord::seesTheSky).toList());
    if (exposures.isEmpty()) {
      info(log, "No on-sky exposures found after filtering.");
      return new Result(0, 0, 0, 0, 0, 0, log);
    }
    for (VisitSystem system : OneToOneAndByCounter.visitSystems()) {
      info(log, "Registering visit_system " + system.id() + ": " + system.recordName() + ".");
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("instrument", instrument);
      record.put("id", system.id());
      record.put("name", system.recordName());
      registry.dimensions().insert(c, "visit_system", List.of(record), Mode.SYNC);
    }
    if (request.incremental()) {
      exposures.addAll(findMissing(c, instrument, exposures));
    }
    info(log, "Grouping " + exposures.size() + " exposure(s) into visits.");
    List<VisitDefinition> definitions = OneToOneAndByCounter.group(exposures,
        warning -> log.add(new LogLine(GROUPING_LOGGER, "WARNING", warning)));
    info(log, "Computing regions and other metadata for " + definitions.size() + " visit(s).");
    List<Planned> planned = plan(c, instrument, regions, definitions);
    int[] counts = write(c, instrument, planned, request);
    info(log, "Finished writing database records for " + definitions.size() + " visit(s): " + counts[0]
        + " left unchanged, " + counts[1] + " new, " + counts[2] + " updated with new detector regions, " + counts[3]
        + " updated without new detector regions.");
    return new Result(exposures.size(), definitions.size(), counts[0], counts[1], counts[2], counts[3], log);
  }

  /**
   * The other exposures of the sequences whose multi-exposure visit lacks some (obs_base {@code find_missing}),
   * those that see the sky.
   */
  private static List<ExposureRecord> findMissing(Connection c, String instrument, List<ExposureRecord> exposures)
      throws SQLException {
    List<SequenceQuery> wanted = new ArrayList<>();
    for (Map.Entry<OneToOneAndByCounter.GroupKey, List<ExposureRecord>> group
        : OneToOneAndByCounter.groups(exposures).entrySet()) {
      Set<Long> missing = OneToOneAndByCounter.missingSeqNums(group.getValue());
      if (!missing.isEmpty()) {
        wanted.add(new SequenceQuery(group.getKey().dayObs(), group.getKey().seqStart(), group.getKey().seqEnd(),
            missing));
      }
    }
    return ExposureSelection.sequenceMembers(c, instrument, wanted).stream().filter(ExposureRecord::seesTheSky)
        .toList();
  }

  /** Each visit's record and regions, compared with what the registry holds. */
  private static List<Planned> plan(Connection c, String instrument, VisitRegions regions,
                                    List<VisitDefinition> definitions) throws SQLException {
    Map<Long, VisitRegions.Regions> byExposure = new HashMap<>();
    List<Planned> planned = new ArrayList<>(definitions.size());
    List<Long> ids = new ArrayList<>();
    for (VisitDefinition definition : definitions) {
      ExposureRecord first = definition.exposures().get(0);
      // A multi-exposure visit and its first exposure's one-to-one visit share the same regions.
      VisitRegions.Regions computed = byExposure.computeIfAbsent(first.id(), id -> regions.compute(first));
      Map<Integer, String> detectorRegions = new LinkedHashMap<>();
      computed.detectors().forEach((detector, polygon) -> detectorRegions.put(detector,
          Region.of(polygon).base64()));
      String visitRegion = Region.of(computed.visit()).base64();
      planned.add(new Planned(definition, VisitRecord.of(definition, visitRegion), detectorRegions, null));
      ids.add(definition.id());
    }
    Map<Long, VisitRecord> stored = VisitTables.visitsById(c, instrument, ids);
    List<Planned> compared = new ArrayList<>(planned.size());
    for (Planned visit : planned) {
      VisitRecord existing = stored.get(visit.record().id());
      compared.add(new Planned(visit.definition(), visit.record(), visit.detectorRegions(),
          existing == null ? null : visit.record().differencesFrom(existing)));
    }
    return compared;
  }

  /** Writes what must be written; returns {unchanged, new, updated with regions, updated without}. */
  private static int[] write(Connection c, String instrument, List<Planned> planned, Request request)
      throws SQLException {
    boolean update = request.updateRecords() || request.incremental();
    Map<String, Long> nameOwners = VisitTables.visitIdsByName(c, instrument,
        planned.stream().map(p -> p.record().name()).toList());
    List<String> conflicts = new ArrayList<>();
    List<VisitRecord> inserts = new ArrayList<>();
    List<VisitRecord> updates = new ArrayList<>();
    List<long[]> definitions = new ArrayList<>();
    List<long[]> addedDefinitions = new ArrayList<>();
    List<long[]> memberships = new ArrayList<>();
    List<DetectorRegion> newRegions = new ArrayList<>();
    List<DetectorRegion> replacedRegions = new ArrayList<>();
    int[] counts = new int[Outcome.values().length];
    for (Planned visit : planned) {
      VisitRecord record = visit.record();
      Long owner = nameOwners.get(record.name());
      if (owner != null && owner != record.id()) {
        // Another visit has this name: nothing to update, the definitions clash.
        if (!request.skipConflicting()) {
          conflicts.add("visit " + record.id() + ": its name '" + record.name() + "' is that of visit " + owner);
        }
        counts[Outcome.UNCHANGED.ordinal()]++;
        continue;
      }
      Outcome outcome;
      if (visit.differences() == null) {
        outcome = Outcome.NEW;
        inserts.add(record);
        for (ExposureRecord exposure : visit.definition().exposures()) {
          definitions.add(new long[] {exposure.id(), record.id()});
        }
        for (VisitSystem system : OneToOneAndByCounter.visitSystems()) {
          if (visit.definition().systems().contains(system)) {
            memberships.add(new long[] {system.id(), record.id()});
          }
        }
        visit.detectorRegions().forEach((d, region) -> newRegions.add(new DetectorRegion(d, record.id(), region)));
      } else if (visit.differences().isEmpty()) {
        outcome = request.updateRecords() ? Outcome.UPDATED_WITH_REGIONS : Outcome.UNCHANGED;
      } else if (update) {
        updates.add(record);
        if (request.incremental() && visit.definition().exposures().size() > 1) {
          for (ExposureRecord exposure : visit.definition().exposures()) {
            addedDefinitions.add(new long[] {exposure.id(), record.id()});
          }
        }
        boolean regionChanged = visit.differences().stream().anyMatch(d -> d.startsWith("region:"));
        outcome = request.updateRecords() || regionChanged ? Outcome.UPDATED_WITH_REGIONS
            : Outcome.UPDATED_WITHOUT_REGIONS;
      } else {
        if (!request.skipConflicting()) {
          conflicts.add("visit " + record.id() + " (" + record.name() + "): " + String.join("; ",
              visit.differences()));
        }
        outcome = Outcome.UNCHANGED;
      }
      if (outcome == Outcome.UPDATED_WITH_REGIONS) {
        visit.detectorRegions().forEach((d, region) -> replacedRegions.add(new DetectorRegion(d, record.id(),
            region)));
      }
      counts[outcome.ordinal()]++;
    }
    if (!conflicts.isEmpty()) {
      throw new RegistryException(CONFLICTING_DEFINITION, conflicts.size() + " visit(s) of " + instrument
          + " are already defined differently; nothing was written. " + String.join(". ",
          conflicts.subList(0, Math.min(CONFLICTS_SHOWN, conflicts.size())))
          + (conflicts.size() > CONFLICTS_SHOWN ? ". (" + (conflicts.size() - CONFLICTS_SHOWN) + " more)" : "")
          + ". Use --update-records to redefine them, --incremental if their exposures arrive in parts, or"
          + " --skip-conflicting to keep them as they are.");
    }
    VisitTables.insertVisits(c, instrument, inserts);
    VisitTables.updateVisits(c, instrument, updates);
    VisitTables.insertDefinitions(c, instrument, definitions, false);
    VisitTables.insertDefinitions(c, instrument, addedDefinitions, true);
    VisitTables.insertMemberships(c, instrument, memberships);
    VisitTables.writeDetectorRegions(c, instrument, newRegions, false);
    VisitTables.writeDetectorRegions(c, instrument, replacedRegions, true);
    return counts;
  }

  /** The instrument and every detector of its camera must have records: regions are written for all of them. */
  private static void requireRegistered(Connection c, String instrument, CameraGeometry camera) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM instrument WHERE name = ?")) {
      ps.setString(1, instrument);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new RegistryException(INVALID_ARGUMENT, "Instrument " + instrument + " is not registered in this"
              + " repository (register-instrument first)");
        }
      }
    }
    Set<Long> missing = new TreeSet<>();
    camera.detectors().forEach(d -> missing.add((long) d.id()));
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM detector WHERE instrument = ?")) {
      ps.setString(1, instrument);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          missing.remove(rs.getLong(1));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "Detectors " + missing + " of the " + instrument + " camera have"
          + " no detector records in this repository (register-instrument writes them)");
    }
  }

  /** Serializes define-visits runs on one repository and instrument until the transaction ends. */
  private static void lock(Connection c, String namespace, String instrument) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      ps.setString(1, "define-visits " + namespace + " " + instrument);
      ps.execute();
    }
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static void info(List<LogLine> log, String message) {
    log.add(new LogLine(LOGGER, "INFO", message));
  }
}
