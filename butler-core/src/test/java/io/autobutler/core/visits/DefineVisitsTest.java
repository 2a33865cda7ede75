package io.autobutler.core.visits;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.transfer.DimensionBlock;
import io.autobutler.core.transfer.DimensionRecordData;
import io.autobutler.core.transfer.ExportBlock;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.Region;
import io.autobutler.core.transfer.RepositoryImporter;
import io.autobutler.testsupport.PostgresServer;

/** define-visits on a real registry: exposures inserted as ingest-raws would, visits as obs_base w.2025.20 makes. */
class DefineVisitsTest {

  private static final long DAY = VisitFixtures.DAY;
  private static final String GROUP = "2022-04-06T02:56:00.000";
  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("visits").dataSource();
  }

  @BeforeEach
  void comCam() {
    String namespace = "visits_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    register(Instruments.LSST_COM_CAM);
    registry.transaction(c -> registry.dimensions().insert(c, "day_obs", List.of(Map.of("instrument", "LSSTComCam",
        "id", DAY, "datetime_begin", VisitFixtures.NIGHT_NS - 3 * 3600_000_000_000L,
        "datetime_end", VisitFixtures.NIGHT_NS + 21 * 3600_000_000_000L)), Mode.SYNC)
        + registry.dimensions().insert(c, "group", List.of(Map.of("instrument", "LSSTComCam", "name", GROUP)),
        Mode.SYNC));
  }

  private void register(InstrumentDefinition instrument) {
    registry.transaction(c -> registry.dimensions().insert(c, "instrument", List.of(instrument.instrumentRecord()),
        Mode.SYNC) + registry.dimensions().insert(c, "detector", instrument.detectorRecords(), Mode.SYNC)
        + registry.dimensions().insert(c, "physical_filter", instrument.physicalFilterRecords(), Mode.SYNC));
  }

  /** A science exposure of ComCam like {@link VisitFixtures#exposure}, with some fields overridden. */
  private static Map<String, Object> exposure(long seqNum, long seqStart, long seqEnd, Object... overrides) {
    ExposureRecord e = VisitFixtures.exposure(seqNum, seqStart, seqEnd);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", "LSSTComCam");
    record.put("id", e.id());
    record.put("physical_filter", e.physicalFilter());
    record.put("group", GROUP);
    record.put("day_obs", DAY);
    record.put("obs_id", e.obsId());
    record.put("exposure_time", e.exposureTime());
    record.put("dark_time", 15.9);
    record.put("observation_type", "science");
    record.put("observation_reason", e.observationReason());
    record.put("seq_num", seqNum);
    record.put("seq_start", seqStart);
    record.put("seq_end", seqEnd);
    record.put("target_name", e.targetName());
    record.put("science_program", e.scienceProgram());
    record.put("tracking_ra", e.trackingRa());
    record.put("tracking_dec", e.trackingDec());
    record.put("sky_angle", e.skyAngle());
    record.put("azimuth", e.azimuth());
    record.put("zenith_angle", e.zenithAngle());
    record.put("has_simulated", false);
    record.put("can_see_sky", true);
    record.put("datetime_begin", e.begin());
    record.put("datetime_end", e.end());
    for (int i = 0; i < overrides.length; i += 2) {
      record.put((String) overrides[i], overrides[i + 1]);
    }
    return record;
  }

  @SafeVarargs
  private void ingest(Map<String, Object>... exposures) {
    registry.transaction(c -> registry.dimensions().insert(c, "exposure", List.of(exposures), Mode.SYNC));
  }

  private DefineVisits.Result define(String where, boolean update, boolean incremental, boolean skip) {
    return new DefineVisits().run(registry, new DefineVisits.Request("lsst.obs.lsst.LsstComCam",
        List.of(), where, update, incremental, skip));
  }

  private DefineVisits.Result define() {
    return define(null, false, false, false);
  }

  private List<List<Object>> rows(String sql) {
    return registry.transaction(c -> {
      List<List<Object>> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    });
  }

  /** visit id -> its exposures, from visit_definition. */
  private Map<Long, Set<Long>> definitions() {
    Map<Long, Set<Long>> definitions = new TreeMap<>();
    for (List<Object> row : rows("SELECT visit, exposure FROM visit_definition")) {
      definitions.computeIfAbsent((Long) row.get(0), k -> new TreeSet<>()).add((Long) row.get(1));
    }
    return definitions;
  }

  /** visit id -> its visit systems. */
  private Map<Long, Set<Long>> memberships() {
    Map<Long, Set<Long>> systems = new TreeMap<>();
    for (List<Object> row : rows("SELECT visit, visit_system FROM visit_system_membership")) {
      systems.computeIfAbsent((Long) row.get(0), k -> new TreeSet<>()).add((Long) row.get(1));
    }
    return systems;
  }

  private static final long E347 = 2022040500347L;
  private static final long E348 = 2022040500348L;
  private static final long E349 = 2022040500349L;
  private static final long FIRST_348 = 92022040500348L;

  @Test
  void singleExposuresBecomeVisitsOfBothSystemsAndNonSkyExposuresAreSkipped() {
    ingest(exposure(347, 347, 347), exposure(350, 350, 350, "observation_type", "bias", "can_see_sky", false),
        exposure(351, 351, 351, "tracking_ra", null), exposure(352, 352, 352, "sky_angle", null));

    DefineVisits.Result result = define();

    assertThat(result.log()).extracting(DefineVisits.LogLine::toString).containsExactly(
        "lsst.defineVisits INFO: Preprocessing data IDs.",
        "lsst.defineVisits INFO: Registering visit_system 0: one-to-one.",
        "lsst.defineVisits INFO: Registering visit_system 2: by-seq-start-end.",
        "lsst.defineVisits INFO: Grouping 1 exposure(s) into visits.",
        "lsst.defineVisits INFO: Computing regions and other metadata for 1 visit(s).",
        "lsst.defineVisits INFO: Finished writing database records for 1 visit(s): 0 left unchanged, 1 new, 0 updated"
            + " with new detector regions, 0 updated without new detector regions.");
    assertThat(rows("SELECT id, name FROM visit_system ORDER BY id")).containsExactly(List.of(0L, "one-to-one"),
        List.of(2L, "by-seq-start-end"));
    assertThat(rows("SELECT id, name, physical_filter, day_obs, seq_num, exposure_time, target_name,"
        + " observation_reason, science_program, azimuth, zenith_angle, lower(timespan), upper(timespan) FROM visit"))
        .containsExactly(List.of(E347, "CC_O_20220405_000347", "r_03", DAY, 347L, 15.0, "field", "science",
            "BLOCK-1", 180.0, 20.0, VisitFixtures.NIGHT_NS + 347 * 40_000_000_000L,
            VisitFixtures.NIGHT_NS + 347 * 40_000_000_000L + 15_000_000_000L));
    assertThat(definitions()).isEqualTo(Map.of(E347, Set.of(E347)));
    assertThat(memberships()).isEqualTo(Map.of(E347, Set.of(0L, 2L)));
    assertThat(rows("SELECT detector FROM visit_detector_region ORDER BY detector")).hasSize(9);
  }

  @Test
  void snapsMakeAMultiExposureVisitAndTheFirstSnapsOneToOneVisitStepsAside() {
    ingest(exposure(347, 347, 347), exposure(348, 348, 349, "azimuth", 350.0, "zenith_angle", 20.0),
        exposure(349, 348, 349, "azimuth", 10.0, "zenith_angle", 30.0, "observation_reason", "survey"));

    DefineVisits.Result result = define();

    assertThat(result.visits()).isEqualTo(4);
    assertThat(result.created()).isEqualTo(4);
    // obs_base's tests/test_defineVisits.py expects exactly these visits and definitions.
    assertThat(definitions()).isEqualTo(Map.of(FIRST_348, Set.of(E348), E347, Set.of(E347),
        E348, Set.of(E348, E349), E349, Set.of(E349)));
    assertThat(memberships()).isEqualTo(Map.of(FIRST_348, Set.of(0L), E347, Set.of(0L, 2L), E348, Set.of(2L),
        E349, Set.of(0L)));
    assertThat(rows("SELECT name FROM visit WHERE id = " + FIRST_348)).containsExactly(
        List.of("CC_O_20220405_000348_first"));
    List<Object> multi = rows("SELECT name, exposure_time, seq_num, observation_reason, azimuth, zenith_angle,"
        + " lower(timespan), upper(timespan) FROM visit WHERE id = " + E348).get(0);
    assertThat(multi.subList(0, 4)).containsExactly("CC_O_20220405_000348", 30.0, 348L, "various");
    assertThat((Double) multi.get(4)).isCloseTo(0.0, within(1e-9));
    assertThat(multi.subList(5, 8)).containsExactly(25.0, VisitFixtures.NIGHT_NS + 348 * 40_000_000_000L,
        VisitFixtures.NIGHT_NS + 349 * 40_000_000_000L + 15_000_000_000L);
    // The multi-exposure visit has the regions of its first snap.
    assertThat(rows("SELECT region FROM visit WHERE id = " + E348))
        .isEqualTo(rows("SELECT region FROM visit WHERE id = " + FIRST_348));
    assertThat(rows("SELECT count(*) FROM visit_detector_region")).containsExactly(List.of(36L));
  }

  @Test
  void aMissingFirstSnapWarnsAndIncrementalRunsCompleteTheVisitInEitherOrder() {
    // Reverse order: the second snap arrives first.
    ingest(exposure(349, 348, 349));
    DefineVisits.Result first = define();
    assertThat(first.log()).extracting(DefineVisits.LogLine::toString).contains("lsst.defineVisits.groupExposures"
        + " WARNING: First exposure for visit (20220405, 348, 349) is not present. Skipping the multi-snap"
        + " definition.");
    assertThat(memberships()).isEqualTo(Map.of(E349, Set.of(0L)));

    ingest(exposure(348, 348, 349));
    DefineVisits.Result second = define("exposure = " + E348, false, true, false);
    assertThat(second.exposures()).isEqualTo(2);
    assertThat(second.log()).extracting(DefineVisits.LogLine::toString).contains(
        "lsst.defineVisits INFO: Grouping 2 exposure(s) into visits.",
        "lsst.defineVisits INFO: Finished writing database records for 3 visit(s): 1 left unchanged, 2 new, 0 updated"
            + " with new detector regions, 0 updated without new detector regions.");
    assertThat(definitions()).isEqualTo(Map.of(FIRST_348, Set.of(E348), E348, Set.of(E348, E349),
        E349, Set.of(E349)));
    assertThat(memberships()).isEqualTo(Map.of(FIRST_348, Set.of(0L), E348, Set.of(2L), E349, Set.of(0L)));
  }

  @Test
  void incrementalRunsAddTheLaterSnapsToTheVisit() {
    ingest(exposure(348, 348, 349));
    assertThat(define(null, false, true, false).created()).isEqualTo(2);
    assertThat(definitions()).isEqualTo(Map.of(FIRST_348, Set.of(E348), E348, Set.of(E348)));

    ingest(exposure(349, 348, 349));
    // Without --incremental, redefining the sequence from all its exposures is a conflict, and nothing is written.
    assertThatThrownBy(this::define)
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(CONFLICTING_DEFINITION))
        .hasMessageContaining("visit " + E348 + " (CC_O_20220405_000348): exposure_time: 15.0 != 30.0");
    assertThat(definitions()).isEqualTo(Map.of(FIRST_348, Set.of(E348), E348, Set.of(E348)));

    DefineVisits.Result grown = define("exposure = " + E349, false, true, false);
    // 349's one-to-one visit is new, the multi-exposure visit updated; its region (from the first snap) is the same.
    assertThat(List.of(grown.unchanged(), grown.created(), grown.updatedWithRegions(), grown.updatedWithoutRegions()))
        .containsExactly(1, 1, 0, 1);
    assertThat(definitions()).isEqualTo(Map.of(FIRST_348, Set.of(E348), E348, Set.of(E348, E349),
        E349, Set.of(E349)));
    assertThat(rows("SELECT exposure_time FROM visit WHERE id = " + E348)).containsExactly(List.of(30.0));
  }

  @Test
  void runningAgainChangesNothing() {
    ingest(exposure(347, 347, 347), exposure(348, 348, 349), exposure(349, 348, 349));
    define();
    List<List<Object>> visits = rows("SELECT * FROM visit ORDER BY id");
    List<List<Object>> regions = rows("SELECT * FROM visit_detector_region ORDER BY visit, detector");

    DefineVisits.Result again = define();

    assertThat(List.of(again.unchanged(), again.created(), again.updatedWithRegions(), again.updatedWithoutRegions()))
        .containsExactly(4, 0, 0, 0);
    assertThat(rows("SELECT * FROM visit ORDER BY id")).isEqualTo(visits);
    assertThat(rows("SELECT * FROM visit_detector_region ORDER BY visit, detector")).isEqualTo(regions);
    assertThat(rows("SELECT count(*) FROM visit_definition")).containsExactly(List.of(5L));
    assertThat(rows("SELECT count(*) FROM visit_system_membership")).containsExactly(List.of(5L));
  }

  @Test
  void changedExposuresConflictUnlessTheRunSkipsOrUpdates() {
    ingest(exposure(347, 347, 347), exposure(360, 360, 360));
    define();
    registry.transaction(c -> c.createStatement().executeUpdate("UPDATE exposure SET target_name = 'moved',"
        + " tracking_ra = 150.5 WHERE id = " + E347));

    assertThatThrownBy(this::define).isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(CONFLICTING_DEFINITION))
        .hasMessageContaining("1 visit(s) of LSSTComCam are already defined differently; nothing was written.")
        .hasMessageContaining("visit " + E347 + " (CC_O_20220405_000347): target_name: field != moved; region:")
        .hasMessageContaining("--skip-conflicting");
    assertThat(rows("SELECT target_name FROM visit WHERE id = " + E347)).containsExactly(List.of("field"));

    DefineVisits.Result skipped = define(null, false, false, true);
    assertThat(List.of(skipped.unchanged(), skipped.created())).containsExactly(2, 0);
    assertThat(rows("SELECT target_name FROM visit WHERE id = " + E347)).containsExactly(List.of("field"));

    List<List<Object>> oldRegions = rows("SELECT region FROM visit_detector_region WHERE visit = " + E347
        + " ORDER BY detector");
    DefineVisits.Result updated = define(null, true, false, false);
    // --update-records rewrites every visit's detector regions, changed or not.
    assertThat(List.of(updated.unchanged(), updated.created(), updated.updatedWithRegions())).containsExactly(0, 0, 2);
    assertThat(rows("SELECT target_name FROM visit WHERE id = " + E347)).containsExactly(List.of("moved"));
    assertThat(rows("SELECT region FROM visit_detector_region WHERE visit = " + E347 + " ORDER BY detector"))
        .hasSize(9).doesNotContainAnyElementsOf(oldRegions);

    registry.transaction(c -> c.createStatement().executeUpdate("UPDATE exposure SET science_program = 'BLOCK-2'"
        + " WHERE id = " + E347));
    DefineVisits.Result incremental = define(null, false, true, false);
    // The region did not change: the detector regions stay.
    assertThat(List.of(incremental.unchanged(), incremental.updatedWithoutRegions())).containsExactly(1, 1);
    assertThat(rows("SELECT science_program FROM visit WHERE id = " + E347)).containsExactly(List.of("BLOCK-2"));
  }

  @Test
  void whereSelectsExposuresWithTheQueryLanguage() {
    ingest(exposure(347, 347, 347), exposure(360, 360, 360, "observation_reason", "survey", "physical_filter",
        "g_01"));
    assertThat(define("exposure.observation_reason = 'survey'", false, false, false).visits()).isEqualTo(1);
    assertThat(rows("SELECT id FROM visit")).containsExactly(List.of(2022040500360L));
    assertThat(define("band = 'r' AND day_obs = 20220405", false, false, false).created()).isEqualTo(1);
    assertThat(rows("SELECT count(*) FROM visit")).containsExactly(List.of(2L));

    assertThatThrownBy(() -> define("exposure.observation_reason = ", false, false, false))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> define("visit = 1", false, false, false)).isInstanceOf(ExpressionException.class)
        .hasMessageContaining("not part of this query");
    assertThatThrownBy(() -> define("exposure.seq_num > 1000", false, false, false))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(INVALID_ARGUMENT))
        .hasMessage("No exposures given. (No LSSTComCam exposure matches --where 'exposure.seq_num > 1000'.)");
  }

  @Test
  void noExposuresOrNoneOnTheSkyAndUnknownInstrumentsOrCollections() {
    assertThatThrownBy(this::define).hasMessage("No exposures given. (No LSSTComCam exposure is in the repository.)");
    ingest(exposure(350, 350, 350, "can_see_sky", false));
    DefineVisits.Result result = define();
    assertThat(result.log()).extracting(DefineVisits.LogLine::message).containsExactly("Preprocessing data IDs.",
        "No on-sky exposures found after filtering.");
    assertThat(rows("SELECT count(*) FROM visit_system")).containsExactly(List.of(0L));

    assertThatThrownBy(() -> new DefineVisits().run(registry, new DefineVisits.Request("lsst.obs.subaru.HyperSuprimeCam",
        List.of(), null, false, false, false))).hasMessageContaining("Unknown instrument");
    assertThatThrownBy(() -> new DefineVisits().run(registry, new DefineVisits.Request("LSSTCam", List.of(), null,
        false, false, false))).hasMessageContaining("Instrument LSSTCam is not registered");
    assertThatThrownBy(() -> new DefineVisits().run(registry, new DefineVisits.Request("LSSTComCam",
        List.of("LSSTComCam/calib"), null, false, false, false)))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MISSING_COLLECTION));
  }

  /**
   * daf_butler's lsstcam-subset.yaml holds two LSSTCam exposures and the visits obs_base's define-visits made of
   * them: the same exposures give the same records, and visit and detector regions with the same vertices in the
   * same order, equal to rounding.
   */
  @Test
  void reproducesTheButlersLsstCamVisits() throws Exception {
    register(Instruments.LSST_CAM);
    ExportFile subset = VisitRegionsTest.readSubset();
    List<ExportBlock> inputs = new ArrayList<>();
    for (String element : List.of("day_obs", "group", "physical_filter", "exposure")) {
      inputs.add(new DimensionBlock(element, VisitRegionsTest.records(subset, element)));
    }
    new RepositoryImporter().importFile(registry, ExportFile.of(inputs), "file:///", Set.of());

    DefineVisits.Result result = new DefineVisits().run(registry, new DefineVisits.Request("lsst.obs.lsst.LsstCam",
        List.of(), "exposure.observation_type = 'science'", false, false, false));

    assertThat(result.created()).isEqualTo(2);
    for (DimensionRecordData butlers : VisitRegionsTest.records(subset, "visit")) {
      List<Object> ours = rows("SELECT day_obs, physical_filter, name, seq_num, exposure_time, target_name,"
          + " observation_reason, science_program, azimuth, zenith_angle, region FROM visit WHERE id = "
          + butlers.get("id")).get(0);
      assertThat(ours.subList(0, 10)).containsExactly(butlers.get("day_obs"), butlers.get("physical_filter"),
          butlers.get("name"), butlers.get("seq_num"), butlers.get("exposure_time"), butlers.get("target_name"),
          butlers.get("observation_reason"), butlers.get("science_program"), butlers.get("azimuth"),
          butlers.get("zenith_angle"));
      ConvexPolygon visitRegion = ConvexPolygon.decode(Region.fromBase64((String) ours.get(10)).encoded());
      assertThat(visitRegion.vertices()).hasSize(71);
      assertThat(visitRegion.sameWithin(ConvexPolygon.decode(((Region) butlers.get("region")).encoded()),
          VisitRegionsTest.SAME_VERTEX)).isTrue();
    }
    for (DimensionRecordData butlers : VisitRegionsTest.records(subset, "visit_detector_region")) {
      String ours = (String) rows("SELECT region FROM visit_detector_region WHERE visit = " + butlers.get("visit")
          + " AND detector = " + butlers.get("detector")).get(0).get(0);
      assertThat(ConvexPolygon.decode(Region.fromBase64(ours).encoded())
          .sameWithin(ConvexPolygon.decode(((Region) butlers.get("region")).encoded()), VisitRegionsTest.SAME_VERTEX))
          .isTrue();
    }
    Set<List<Object>> butlersMemberships = new HashSet<>();
    VisitRegionsTest.records(subset, "visit_system_membership")
        .forEach(r -> butlersMemberships.add(List.of(r.get("visit"), r.get("visit_system"))));
    assertThat(new HashSet<>(rows("SELECT visit, visit_system FROM visit_system_membership")))
        .isEqualTo(butlersMemberships);
    assertThat(rows("SELECT count(*) FROM visit_detector_region")).containsExactly(List.of(2L * 205));
  }

  /**
   * Visits the butler itself defined (lsstcam-subset.yaml's, imported with their regions) are the ones define-visits
   * computes: its visit regions differ from the butler's only in the last bits, vertex for vertex from the same first
   * vertex, so the run finds nothing to change.
   */
  @Test
  void theButlersOwnVisitsAreSeenUnchanged() throws Exception {
    register(Instruments.LSST_CAM);
    ExportFile subset = VisitRegionsTest.readSubset();
    List<ExportBlock> blocks = new ArrayList<>();
    for (String element : List.of("day_obs", "group", "physical_filter", "visit_system", "exposure", "visit",
        "visit_definition", "visit_system_membership")) {
      blocks.add(new DimensionBlock(element, VisitRegionsTest.records(subset, element)));
    }
    new RepositoryImporter().importFile(registry, ExportFile.of(blocks), "file:///", Set.of());
    List<List<Object>> butlersVisits = rows("SELECT * FROM visit ORDER BY id");

    DefineVisits.Result result = new DefineVisits().run(registry, new DefineVisits.Request("LSSTCam", List.of(),
        "exposure.observation_type = 'science'", false, false, false));

    assertThat(List.of(result.unchanged(), result.created(), result.updatedWithRegions(),
        result.updatedWithoutRegions())).containsExactly(2, 0, 0, 0);
    assertThat(rows("SELECT * FROM visit ORDER BY id")).isEqualTo(butlersVisits);
  }

  /** A campaign's worth of exposures is written set-wise and read back whole on the next run. */
  @Test
  void thousandsOfExposures() {
    List<Map<String, Object>> exposures = new ArrayList<>();
    for (int seq = 1; seq <= 3000; seq++) {
      // Every fourth exposure starts a two-snap sequence.
      long start = seq % 4 == 1 || seq % 4 == 2 ? seq - (seq % 4 == 2 ? 1 : 0) : seq;
      long end = seq % 4 == 1 ? seq + 1 : seq % 4 == 2 ? seq : seq;
      exposures.add(exposure(seq, start, end, "tracking_ra", (seq * 0.1) % 360));
    }
    registry.transaction(c -> registry.dimensions().insert(c, "exposure", exposures, Mode.SKIP_EXISTING));

    DefineVisits.Result result = define();

    // 3000 one-to-one visits and one multi-exposure visit per two-snap sequence (750).
    assertThat(result.created()).isEqualTo(3750);
    assertThat(rows("SELECT count(*) FROM visit_detector_region")).containsExactly(List.of(3750L * 9));
    assertThat(rows("SELECT count(*) FROM visit_definition")).containsExactly(List.of(3000L + 1500));
    assertThat(define().unchanged()).isEqualTo(3750);
  }
}
