package io.autobutler.core.registry.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.SyncConflict;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.SyncResult;
import io.autobutler.testsupport.PostgresServer;

/** syncDimensionData for many records in a few statements: inserted, kept, refused or updated. */
class DimensionRecordSyncTest {

  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("dimsync").dataSource();
  }

  @BeforeEach
  void registryWithAnInstrument() {
    String namespace = "dimsync_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    registry.transaction(c -> registry.dimensions().insert(c, "instrument", List.of(Map.of("name", "LSSTComCam")),
        Mode.SYNC) + registry.dimensions().insert(c, "physical_filter", List.of(Map.of("instrument", "LSSTComCam",
        "name", "r_03", "band", "r")), Mode.SYNC));
  }

  private static Map<String, Object> dayObs(long id, Long begin, Long end) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", "LSSTComCam");
    record.put("id", id);
    record.put("datetime_begin", begin);
    record.put("datetime_end", end);
    return record;
  }

  private static Map<String, Object> exposure(long id, String obsId, double exposureTime) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", "LSSTComCam");
    record.put("id", id);
    record.put("physical_filter", "r_03");
    record.put("group", "g");
    record.put("day_obs", 20241126);
    record.put("obs_id", obsId);
    record.put("exposure_time", exposureTime);
    record.put("can_see_sky", true);
    record.put("datetime_begin", 10L);
    record.put("datetime_end", 20L);
    return record;
  }

  private SyncResult sync(String element, List<Map<String, Object>> records, boolean update) {
    return registry.transaction(c -> registry.dimensions().sync(c, element, records, update));
  }

  @Test
  void insertsWhatIsMissingKeepsWhatIsIdenticalAndReportsWhatDiffers() {
    assertThat(sync("day_obs", List.of(dayObs(20241126, 100L, 200L), dayObs(20241127, null, null)), false))
        .isEqualTo(new SyncResult(2, 0, 0, List.of()));
    SyncResult again = sync("day_obs", List.of(dayObs(20241126, 100L, 200L), dayObs(20241127, null, null),
        dayObs(20241128, 300L, 400L)), false);
    assertThat(again).isEqualTo(new SyncResult(1, 0, 2, List.of()));

    SyncResult differing = sync("day_obs", List.of(dayObs(20241126, 100L, 250L), dayObs(20241127, 5L, 6L)), false);
    assertThat(differing.conflicts()).extracting(SyncConflict::message).containsExactly(
        "Existing day_obs record with key [instrument=LSSTComCam, id=20241126] differs: datetime_end: 200 != 250.",
        "Existing day_obs record with key [instrument=LSSTComCam, id=20241127] differs: datetime_begin: null != 5;"
            + " datetime_end: null != 6.");
    assertThat(differing.inserted() + differing.updated() + differing.unchanged()).isZero();

    assertThat(sync("day_obs", List.of(dayObs(20241126, 100L, 250L)), true))
        .isEqualTo(new SyncResult(0, 1, 0, List.of()));
    List<Map<String, Object>> days = registry.transaction(c -> registry.dimensions().read(c, "day_obs"));
    assertThat(days.get(0)).containsEntry("datetime_end", 250L);
  }

  @Test
  void aKeyGivenTwiceKeepsItsFirstVersionAndAUniqueFieldCollisionIsAConflict() {
    registry.transaction(c -> registry.dimensions().insert(c, "group", List.of(Map.of("instrument", "LSSTComCam",
        "name", "g")), Mode.SYNC) + registry.dimensions().insert(c, "day_obs", List.of(dayObs(20241126, null, null)),
        Mode.SYNC));
    SyncResult result = sync("exposure", List.of(exposure(1, "CC_O_1", 30.0), exposure(1, "CC_O_1", 30.0),
        exposure(1, "CC_O_1", 15.0), exposure(2, "CC_O_2", 30.0)), false);
    assertThat(result.inserted()).isEqualTo(2);
    assertThat(result.conflicts()).extracting(SyncConflict::message).containsExactly("exposure record with key"
        + " [LSSTComCam, 1] is given twice, differently: exposure_time: 30.0 != 15.0.");
    assertThat(result.conflicts().get(0).record()).containsEntry("exposure_time", 15.0);

    // another id with an obs_id that exposure 1 has: the unique (instrument, obs_id) refuses it
    SyncResult collision = sync("exposure", List.of(exposure(3, "CC_O_1", 30.0)), false);
    assertThat(collision.conflicts()).singleElement().extracting(SyncConflict::message).asString()
        .endsWith("conflicts with an existing record on a unique field");
    List<Map<String, Object>> exposures = registry.transaction(c -> registry.dimensions().read(c, "exposure"));
    assertThat(exposures).hasSize(2);
  }
}
