package io.autobutler.core.registry.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.table.TextTable;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import io.autobutler.testsupport.PostgresServer;

/**
 * query-dimension-records on a real registry: the butler's columns, values and row order, --where (widened to
 * other dimensions), --datasets, --order-by, limits and errors; query-data-ids on the same machinery; and
 * query-datasets widened by its --where.
 */
class DimensionRecordQueryTest {

  private static final String RAW_RUN = "LSSTComCam/raw/all";
  private static final long SCIENCE = 2024112600111L;
  private static final long BIAS = 2024112600112L;
  private static final long FLAT = 2024112700005L;
  private static final long DAY_BEGIN = 1_732_622_437_000_000_000L;

  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("records").dataSource();
  }

  /**
   * LSSTComCam with 3 detectors, filters r_03 and g_01, two days (the second without a timespan), a science
   * exposure with its one-to-one visit and 3 raws, a bias, a g-band flat of the next day, and a skymap.
   */
  @BeforeEach
  void comCam() {
    String namespace = "records_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    registry.transaction(c -> {
      DimensionRecordManager dims = registry.dimensions();
      dims.insert(c, "instrument", List.of(Map.of("name", "LSSTComCam", "visit_max", 7050123199999L,
          "visit_system", 2, "exposure_max", 7050123199999L, "detector_max", 1000,
          "class_name", "lsst.obs.lsst.LsstComCam")), Mode.SYNC);
      List<Map<String, Object>> detectors = new ArrayList<>();
      for (int d = 0; d < 3; d++) {
        detectors.add(Map.of("instrument", "LSSTComCam", "id", d, "full_name", "R22_S0" + d, "name_in_raft", "S0" + d,
            "raft", "R22", "purpose", "SCIENCE"));
      }
      dims.insert(c, "detector", detectors, Mode.SYNC);
      dims.insert(c, "physical_filter", List.of(Map.of("instrument", "LSSTComCam", "name", "r_03", "band", "r"),
          Map.of("instrument", "LSSTComCam", "name", "g_01", "band", "g")), Mode.SYNC);
      dims.insert(c, "day_obs", List.of(
          Map.of("instrument", "LSSTComCam", "id", 20241126, "datetime_begin", DAY_BEGIN,
              "datetime_end", DAY_BEGIN + 86_400_000_000_000L),
          Map.of("instrument", "LSSTComCam", "id", 20241127)), Mode.SYNC);
      dims.insert(c, "group", List.of(Map.of("instrument", "LSSTComCam", "name", "2024-11-27T05:12:33.123"),
          Map.of("instrument", "LSSTComCam", "name", "2024-11-28T01:00:00.000")), Mode.SYNC);
      dims.insert(c, "exposure", List.of(
          exposure(SCIENCE, "r_03", 20241126, "2024-11-27T05:12:33.123", "science", 30.0, true),
          exposure(BIAS, "r_03", 20241126, "2024-11-27T05:12:33.123", "bias", 0.0, false),
          exposure(FLAT, "g_01", 20241127, "2024-11-28T01:00:00.000", "flat", 1.5e-05, null)), Mode.SYNC);
      dims.insert(c, "visit_system", List.of(Map.of("instrument", "LSSTComCam", "id", 0, "name", "one-to-one")),
          Mode.SYNC);
      Map<String, Object> visit = new LinkedHashMap<>();
      visit.put("instrument", "LSSTComCam");
      visit.put("id", SCIENCE);
      visit.put("physical_filter", "r_03");
      visit.put("day_obs", 20241126);
      visit.put("name", "CC_O_20241126_000111");
      visit.put("seq_num", 111);
      visit.put("exposure_time", 30.0);
      visit.put("zenith_angle", 12.25);
      visit.put("region", "cMK5Zpe8s+8/");
      visit.put("datetime_begin", DAY_BEGIN + 60_000_000_000L);
      visit.put("datetime_end", DAY_BEGIN + 90_999_999_600L);
      dims.insert(c, "visit", List.of(visit), Mode.SYNC);
      dims.insert(c, "visit_definition", List.of(Map.of("instrument", "LSSTComCam", "exposure", SCIENCE,
          "visit", SCIENCE)), Mode.SYNC);
      dims.insert(c, "visit_system_membership", List.of(Map.of("instrument", "LSSTComCam", "visit_system", 0,
          "visit", SCIENCE)), Mode.SYNC);
      // daf_butler's own test skymap (tests/test_cliCmdQueryDimensionRecords.py).
      dims.insert(c, "skymap", List.of(Map.of("name", "example_skymap", "hash", new byte[] {50, 0, 0, 0, 0, 0, 0, 0})),
          Mode.SYNC);
      registry.datasetTypes().register(c, "raw", "Exposure", List.of("instrument", "detector", "exposure"), false);
      registry.collections().register(c, RAW_RUN, CollectionType.RUN, null);
      List<NewDataset> raws = new ArrayList<>();
      for (int detector = 0; detector < 3; detector++) {
        Map<String, Object> dataId = Map.of("instrument", "LSSTComCam", "exposure", SCIENCE, "detector", detector);
        raws.add(new NewDataset(DatasetIds.forRun("raw", RAW_RUN, dataId), dataId,
            new FileRecord("davs://host/raw/" + detector + ".fits", "f", null, null, 1L)));
      }
      registry.datasets().insert(c, registry.datasetTypes().get(c, "raw"), registry.collections().get(c, RAW_RUN),
          raws);
      return null;
    });
  }

  private static Map<String, Object> exposure(long id, String filter, int dayObs, String group, String type,
                                              double exposureTime, Boolean canSeeSky) {
    Map<String, Object> exposure = new HashMap<>();
    exposure.put("instrument", "LSSTComCam");
    exposure.put("id", id);
    exposure.put("physical_filter", filter);
    exposure.put("group", group);
    exposure.put("day_obs", dayObs);
    exposure.put("obs_id", "CC_O_" + dayObs + "_000" + String.format("%03d", id % 1000));
    exposure.put("observation_type", type);
    exposure.put("exposure_time", exposureTime);
    exposure.put("seq_num", id % 1000);
    exposure.put("can_see_sky", canSeeSky);
    exposure.put("datetime_begin", DAY_BEGIN + id % 1000 * 1_000_000_000L);
    exposure.put("datetime_end", DAY_BEGIN + (id % 1000 + 30) * 1_000_000_000L);
    return exposure;
  }

  private DimensionRecordQuery.Result records(String element, String where) {
    return records(element, where, Map.of(), List.of(), List.of(), List.of(), -20000);
  }

  private DimensionRecordQuery.Result records(String element, String where, Map<String, Object> binds,
                                              List<String> datasets, List<String> collections, List<String> orderBy,
                                              int limit) {
    return registry.transaction(c -> new DimensionRecordQuery().query(c, new DimensionRecordQuery.Request(element,
        datasets, collections, where, binds, orderBy, limit, 0)));
  }

  private static List<String> column(DimensionRecordQuery.Result result, String header) {
    int index = result.table().headers().indexOf(header);
    return result.table().rows().stream().map(r -> r.get(index)).toList();
  }

  // ------------------------------------------------------------------------------------------------ the table

  @Test
  void dayObsTableIsTheButlersWithTimespansInTai() {
    assertThat(records("day_obs", "").table().lines(TextTable.Align.RIGHT)).containsExactly(
        "instrument    id   " + " ".repeat(15) + "timespan (TAI)" + " ".repeat(14),
        "---------- -------- ------------------------------------------",
        "LSSTComCam 20241126 [2024-11-26T12:00:37, 2024-11-27T12:00:37)",
        "LSSTComCam 20241127" + " ".repeat(39) + "None");
  }

  @Test
  void skymapHashIsHexAsInTheButlersOwnTest() {
    assertThat(records("skymap", "").table().lines(TextTable.Align.RIGHT)).containsExactly(
        "     name             hash        tract_max patch_nx_max patch_ny_max",
        "-------------- ------------------ --------- ------------ ------------",
        "example_skymap 0x3200000000000000      None         None         None");
  }

  @Test
  void visitColumnsAreTheButlersWithRegionsElided() {
    DimensionRecordQuery.Result visit = records("visit", "");
    // daf_butler tests/test_cliCmdQueryDimensionRecords.py expectedColumnNames
    assertThat(visit.table().headers()).containsExactly("instrument", "id", "day_obs", "physical_filter", "name",
        "seq_num", "exposure_time", "target_name", "observation_reason", "science_program", "azimuth",
        "zenith_angle", "region", "timespan (TAI)");
    assertThat(visit.table().rows()).containsExactly(List.of("LSSTComCam", "2024112600111", "20241126", "r_03",
        "CC_O_20241126_000111", "111", "30.0", "None", "None", "None", "None", "12.25", "(elided)",
        // the end, 0.9999996 s after a whole second, rounds to the microsecond and so to the next second
        "[2024-11-26T12:01:37, 2024-11-26T12:02:08)"));
  }

  @Test
  void exposureValuesArePrintedAsPythonPrintsThem() {
    DimensionRecordQuery.Result exposures = records("exposure", "");
    assertThat(exposures.table().headers()).containsExactly("instrument", "id", "day_obs", "group",
        "physical_filter", "obs_id", "exposure_time", "dark_time", "observation_type", "observation_reason",
        "seq_num", "seq_start", "seq_end", "target_name", "science_program", "tracking_ra", "tracking_dec",
        "sky_angle", "azimuth", "zenith_angle", "has_simulated", "can_see_sky", "timespan (TAI)");
    // sorted by data ID; floats as Python's repr, booleans and None as Python writes them
    assertThat(column(exposures, "id")).containsExactly("2024112600111", "2024112600112", "2024112700005");
    assertThat(column(exposures, "exposure_time")).containsExactly("30.0", "0.0", "1.5e-05");
    assertThat(column(exposures, "can_see_sky")).containsExactly("True", "False", "None");
    assertThat(column(exposures, "dark_time")).containsOnly("None");
    assertThat(column(exposures, "group")).containsExactly("2024-11-27T05:12:33.123", "2024-11-27T05:12:33.123",
        "2024-11-28T01:00:00.000");
  }

  @Test
  void bandRecordsComeFromThePhysicalFilters() {
    assertThat(records("band", "").table().lines(TextTable.Align.RIGHT)).containsExactly("name", "----", "   g",
        "   r");
    assertThat(records("visit_definition", "").table().rows()).containsExactly(
        List.of("LSSTComCam", "2024112600111", "2024112600111"));
  }

  @Test
  void timespansFormatUnboundedEnds() {
    assertThat(DimensionRecordQuery.timespan(Timespan.of(null, TaiTime.parse("2024-01-01 00:00:00"))))
        .isEqualTo("(-∞, 2024-01-01T00:00:00)");
    assertThat(DimensionRecordQuery.timespan(Timespan.of(TaiTime.parse("2024-01-01 00:00:00.4999994"), null)))
        .isEqualTo("[2024-01-01T00:00:00, ∞)");
    assertThat(DimensionRecordQuery.timespan(Timespan.EMPTY)).isEqualTo("(empty)");
  }

  // ------------------------------------------------------------------------------------------ where, datasets

  @Test
  void whereSelectsRecordsAndWidensToOtherDimensions() {
    assertThat(column(records("exposure", "observation_type = 'science'"), "id")).containsExactly("2024112600111");
    assertThat(column(records("exposure", "band = 'g'"), "id")).containsExactly("2024112700005");
    // visit is not a dimension of exposure: the query goes through visit_definition, as daf_butler's does
    assertThat(column(records("exposure", "visit = 2024112600111"), "id")).containsExactly("2024112600111");
    assertThat(column(records("exposure", "visit.seq_num > 100"), "id")).containsExactly("2024112600111");
    assertThat(column(records("visit", "exposure.observation_type = 'science'"), "id"))
        .containsExactly("2024112600111");
    assertThat(column(records("detector", "raft = 'R22' AND detector > 0"), "id")).containsExactly("1", "2");
    assertThat(records("exposure", "exposure.observation_type = 'dark'").table().rows()).isEmpty();
  }

  @Test
  void datasetsKeepTheRecordsThatHaveOne() {
    assertThat(column(records("exposure", "", Map.of(), List.of("raw"), List.of(RAW_RUN), List.of(), 0), "id"))
        .containsExactly("2024112600111");
    assertThat(column(records("detector", "detector != 1", Map.of(), List.of("ra*"), List.of(), List.of(), 0), "id"))
        .containsExactly("0", "2");
    assertThat(column(records("visit", "", Map.of(), List.of("raw"), List.of(), List.of(), 0), "id"))
        .containsExactly("2024112600111");
    assertThat(column(records("exposure", "raw.run = 'LSSTComCam/raw/all' AND collection = 'LSSTComCam/raw/all'",
        Map.of(), List.of("raw"), List.of(), List.of(), 0), "id")).containsExactly("2024112600111");
    assertThat(records("exposure", "", Map.of(), List.of("calexp"), List.of(), List.of(), 0).table().rows())
        .isEmpty();
  }

  @Test
  void orderByAndLimits() {
    assertThat(column(records("exposure", "", Map.of(), List.of(), List.of(), List.of("-exposure"), 0), "id"))
        .containsExactly("2024112700005", "2024112600112", "2024112600111");
    // as in daf_butler, a bare field name must be unambiguous among the query's elements
    assertThatThrownBy(() -> records("exposure", "", Map.of(), List.of(), List.of(), List.of("-id"), 0))
        .hasMessage("--order-by -id: Ambiguous identifier 'id' matches multiple fields: 'day_obs.id', 'exposure.id'"
            + " (line: 1, pos: 1)");
    assertThat(column(records("exposure", "", Map.of(), List.of(), List.of(), List.of("exposure.exposure_time"), 0),
        "exposure_time")).containsExactly("0.0", "1.5e-05", "30.0");
    DimensionRecordQuery.Result capped = records("detector", "", Map.of(), List.of(), List.of(), List.of(), -2);
    assertThat(column(capped, "id")).containsExactly("0", "1");
    assertThat(capped.warnings()).containsExactly("More data IDs are available than the request limit of 2");
    DimensionRecordQuery.Result exact = records("detector", "", Map.of(), List.of(), List.of(), List.of(), 2);
    assertThat(column(exact, "id")).containsExactly("0", "1");
    assertThat(exact.warnings()).isEmpty();
    assertThat(records("detector", "", Map.of(), List.of(), List.of(), List.of(), -3).warnings()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------- errors

  @Test
  void badRequestsGetClearErrors() {
    assertThatThrownBy(() -> records("galaxy", "")).isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("Unknown dimension element 'galaxy'; the elements of universe daf_butler 7 with"
            + " records are: band, instrument, skymap, day_obs, detector");
    assertThatThrownBy(() -> records("htm7", "")).hasMessageContaining("'htm7' is a skypix dimension");
    assertThatThrownBy(() -> records("exposure", "exposure.observation_type = 'science' AND"))
        .isInstanceOf(ExpressionException.class).hasMessage("End of input reached while expecting further input");
    assertThatThrownBy(() -> records("exposure", "visit.name = 'x' AND galaxy = 1"))
        .isInstanceOf(ExpressionException.class).hasMessage("Unrecognized identifier 'galaxy' (line: 1, pos: 22)");
    assertThatThrownBy(() -> records("visit", "tract = 1")).isInstanceOf(ExpressionException.class)
        .hasMessage("Dimension 'tract' cannot be added to this query: relating observation_regions and"
            + " skymap_regions needs a spatial join (region overlaps), which is not supported (line: 1, pos: 1)");
    assertThatThrownBy(() -> records("visit", "visit.region OVERLAPS POINT(53.1, -28.1)"))
        .hasMessageStartingWith("POINT() is not supported");
    assertThatThrownBy(() -> records("exposure", "", Map.of(), List.of(), List.of(), List.of("-"), 0))
        .hasMessage("--order-by -: Empty dimension name in ORDER BY");
    assertThatThrownBy(() -> records("exposure", "", Map.of(), List.of(), List.of(), List.of("galaxy"), 0))
        .hasMessage("--order-by galaxy: Unrecognized identifier 'galaxy' (line: 1, pos: 1)");
    assertThatThrownBy(() -> registry.transaction(c -> new DimensionRecordQuery().query(c,
        new DimensionRecordQuery.Request("exposure", List.of(), List.of(), "", Map.of(), List.of(), 0, 5))))
        .hasMessage("--offset is no longer supported.  It will be removed after v28.");
  }

  @Test
  void bindValuesNeverBecomeSql() throws Exception {
    String attack = "science'; DROP TABLE exposure; --";
    assertThat(records("exposure", "observation_type = :t OR obs_id = :t", Map.of("t", attack), List.of(),
        List.of(), List.of(), 0).table().rows()).isEmpty();
    assertThat(column(records("exposure", "observation_type = :t", Map.of("t", "science"), List.of(), List.of(),
        List.of(), 0), "id")).containsExactly("2024112600111");
    assertThatThrownBy(() -> records("exposure", "observation_type = 'x'; DROP TABLE exposure; --'"))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> records("exposure\"; DROP TABLE exposure; --", ""))
        .hasMessageStartingWith("Unknown dimension element");
    assertThat(records("exposure", "").table().rows()).hasSize(3);
    try (var c = dataSource.getConnection(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + registry.namespace() + ".exposure")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  // -------------------------------------------------------------------------------------- query-data-ids

  private DataIdQuery.Result dataIds(List<String> dimensions, List<String> datasets, List<String> collections,
                                     String where, int limit) {
    return registry.transaction(c -> new DataIdQuery().query(c, new DataIdQuery.Request(dimensions, datasets,
        collections, where, Map.of(), List.of(), limit, 0)));
  }

  @Test
  void dataIdsAreSortedAsTheButlerSortsThem() {
    DataIdQuery.Result exposures = dataIds(List.of("exposure"), List.of(), List.of(), "", -20000);
    assertThat(exposures.table().headers()).containsExactly("instrument", "exposure", "band", "day_obs", "group",
        "physical_filter");
    assertThat(exposures.table().lines(TextTable.Align.RIGHT)).containsExactly(
        "instrument    exposure   band day_obs           group          physical_filter",
        "---------- ------------- ---- -------- ----------------------- ---------------",
        "LSSTComCam 2024112600111    r 20241126 2024-11-27T05:12:33.123            r_03",
        "LSSTComCam 2024112600112    r 20241126 2024-11-27T05:12:33.123            r_03",
        "LSSTComCam 2024112700005    g 20241127 2024-11-28T01:00:00.000            g_01");
    assertThat(dataIds(List.of("exposure", "detector"), List.of(), List.of(), "visit = 2024112600111 AND"
        + " detector < 2", 0).table().rows()).extracting(r -> r.get(1) + "/" + r.get(2))
        .containsExactly("0/2024112600111", "1/2024112600111");
    DataIdQuery.Result capped = dataIds(List.of("detector"), List.of(), List.of(), "", -1);
    assertThat(capped.table().rows()).hasSize(1);
    assertThat(capped.warnings()).containsExactly("More data IDs are available than the request limit of 1");
  }

  @Test
  void dataIdsOfDatasetsAndTheButlersReasons() {
    DataIdQuery.Result raws = dataIds(List.of(), List.of("raw"), List.of(RAW_RUN), "detector > 0", 0);
    assertThat(raws.table().headers()).containsExactly("instrument", "detector", "exposure", "band", "day_obs",
        "group", "physical_filter");
    assertThat(raws.table().rows()).hasSize(2);
    assertThat(dataIds(List.of("exposure"), List.of("raw"), List.of(), "", 0).table().rows()).hasSize(1);
    assertThat(dataIds(List.of(), List.of(), List.of(), "", 0).reason())
        .isEqualTo("Result has one logical row but no columns because no dimensions were requested.");
    assertThat(dataIds(List.of(), List.of("calexp"), List.of(RAW_RUN), "", 0).reason())
        .isEqualTo("No dimensions in common for specified dataset types ([])");
    assertThat(dataIds(List.of("exposure"), List.of("calexp"), List.of(), "", 0).reason())
        .isEqualTo("No datasets of type 'calexp' existed in the specified collections LSSTComCam/raw/all.");
    DataIdQuery.Result none = dataIds(List.of("exposure"), List.of(), List.of(), "exposure = 1", 0);
    assertThat(none.table()).isNull();
    assertThat(none.reason()).isNull();
    assertThatThrownBy(() -> dataIds(List.of("galaxy"), List.of(), List.of(), "", 0))
        .hasMessage("Unknown dimension 'galaxy'");
  }

  // ------------------------------------------------------------------------------- query-datasets, widened

  @Test
  void queryDatasetsWidensToTheDimensionsTheExpressionNames() {
    assertThat(raws("visit = 2024112600111")).hasSize(3);
    assertThat(raws("visit = 1")).isEmpty();
    assertThat(raws("visit.name = 'CC_O_20241126_000111' AND detector = 2")).hasSize(1);
    assertThat(raws("visit_system = 0")).hasSize(3);
    assertThat(raws("collection = 'LSSTComCam/raw/all'")).hasSize(3);
    assertThat(raws("raw.collection = 'elsewhere'")).isEmpty();
    // the table keeps the dataset type's columns
    DatasetQuery.Result result = registry.transaction(c -> new DatasetQuery().query(c, new DatasetQuery.Request(
        List.of("raw"), List.of(RAW_RUN), "visit = 2024112600111", Map.of(), false, 0, false)));
    assertThat(result.tables().get(0).headers()).containsExactly("type", "run", "id", "instrument", "detector",
        "exposure", "band", "day_obs", "group", "physical_filter");
  }

  private List<List<String>> raws(String where) {
    DatasetQuery.Result result = registry.transaction(c -> new DatasetQuery().query(c, new DatasetQuery.Request(
        List.of("raw"), List.of(RAW_RUN), where, Map.of(), false, 0, false)));
    return result.tables().isEmpty() ? List.of() : result.tables().get(0).rows();
  }
}
