package io.autobutler.core.registry.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.testsupport.PostgresServer;

/** Dimension records, datasets, tags and certifications on a real registry, with daf_butler's conflict rules. */
class DatasetManagerTest {

  private static final String RUN = RegistryFixtures.RAW_RUN;
  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("datasets").dataSource();
  }

  @BeforeEach
  void registryWithExposures() {
    String namespace = "datasets_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    RegistryFixtures.comCamExposures(registry);
    registry.transaction(c -> {
      registry.datasetTypes().register(c, "bias", "ExposureF", List.of("instrument", "detector"), true);
      return null;
    });
  }

  private static Map<String, Object> rawDataId(long exposure, int detector) {
    return Map.of("instrument", "LSSTComCam", "exposure", exposure, "detector", detector);
  }

  private static NewDataset raw(long exposure, int detector) {
    UUID id = DatasetIds.forRun("raw", RUN, rawDataId(exposure, detector));
    return new NewDataset(id, rawDataId(exposure, detector), new FileRecord("davs://host/raw/" + exposure + "_"
        + detector + ".fits", "lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter", null, "adler32:0000abcd", 100L));
  }

  private DatasetManager.InsertResult insertRaws(List<NewDataset> raws) {
    return registry.transaction(c -> registry.datasets().insert(c, registry.datasetTypes().get(c, "raw"),
        registry.collections().get(c, RUN), raws));
  }

  @Test
  void importingTheSameDatasetsTwiceIsANoOp() {
    List<NewDataset> raws = List.of(raw(2024112600111L, 4), raw(2024112600111L, 5), raw(2024112600112L, 4));
    assertThat(insertRaws(raws)).isEqualTo(new DatasetManager.InsertResult(3, 0));
    assertThat(insertRaws(raws)).isEqualTo(new DatasetManager.InsertResult(0, 3));
    assertThat(count("SELECT count(*) FROM dataset")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM file_datastore_records WHERE component = '__NULL_STRING__'")).isEqualTo(3);
    assertThat((String) registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT data_id_key FROM dataset WHERE id = ?")) {
        ps.setObject(1, UUID.fromString("9499cce5-98e8-51e5-973b-be274ad36141"));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    })).isEqualTo("instrument=LSSTComCam,detector=4,exposure=2024112600111");
  }

  @Test
  void aDifferingFileRecordReplacesTheStoredOneForDeterministicIdsOnly() {
    NewDataset raw = raw(2024112600111L, 4);
    insertRaws(List.of(raw, raw(2024112600111L, 5)));
    FileRecord moved = new FileRecord("davs://other/raw.fits", raw.file().formatter(), null, null, 101L);
    // UUIDv5 (raws): the butler writes their file records with REPLACE
    assertThat(insertRaws(List.of(new NewDataset(raw.id(), raw.dataId(), moved), raw(2024112600111L, 5))))
        .isEqualTo(new DatasetManager.InsertResult(0, 2));
    assertThat(count("SELECT count(*) FROM file_datastore_records WHERE path = 'davs://other/raw.fits'"
        + " AND file_size = 101 AND checksum IS NULL")).isEqualTo(1);
    // any other UUID: INSERT, so a different file record is a conflict
    UUID random = UUID.fromString("00000000-0000-4000-8000-000000000002");
    Map<String, Object> dataId = rawDataId(2024112600112L, 4);
    insertRaws(List.of(new NewDataset(random, dataId, raw.file())));
    assertThatThrownBy(() -> insertRaws(List.of(new NewDataset(random, dataId, moved))))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Dataset " + random + " already has a different file record in the datastore.");
  }

  @Test
  void conflictingDefinitionsAreRefusedAndRolledBack() {
    insertRaws(List.of(raw(2024112600111L, 4)));
    UUID otherId = UUID.fromString("00000000-0000-4000-8000-000000000001");
    assertThatThrownBy(() -> insertRaws(List.of(raw(2024112600111L, 6),
        new NewDataset(otherId, rawDataId(2024112600111L, 4), null))))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("Conflicting definition for dataset " + otherId)
        .hasMessageContaining("9499cce5-98e8-51e5-973b-be274ad36141 already has that dataset type, data ID and run");
    UUID sameId = UUID.fromString("9499cce5-98e8-51e5-973b-be274ad36141");
    assertThatThrownBy(() -> insertRaws(List.of(new NewDataset(sameId, rawDataId(2024112600112L, 4), null))))
        .hasMessageContaining("the registry has raw@{instrument=LSSTComCam,detector=4,exposure=2024112600111}");
    assertThatThrownBy(() -> insertRaws(List.of(new NewDataset(otherId, Map.of("instrument", "LSSTComCam",
        "detector", 1), null)))).hasMessageContaining("lacks dimension 'exposure'");
    // Nothing of the refused imports stayed: not even the valid first dataset of the first call.
    assertThat(count("SELECT count(*) FROM dataset")).isEqualTo(1);
  }

  /** Shards of a refcat: enough of them for the bulk (COPY) path, and no dimension records needed. */
  private static List<NewDataset> shards(int first, int count) {
    return java.util.stream.IntStream.range(first, first + count).mapToObj(htm7 -> new NewDataset(
        UUID.nameUUIDFromBytes(("shard " + htm7).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Map.of("htm7", (long) htm7), new FileRecord("davs://host/refcats/" + htm7 + ".fits",
        "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter", null, null, 10L))).toList();
  }

  private DatasetManager.InsertResult insertShards(List<NewDataset> shards) {
    return registry.transaction(c -> {
      registry.datasetTypes().register(c, "the_monster", "SimpleCatalog", List.of("htm7"), false);
      registry.collections().register(c, "refcats/test", CollectionType.RUN, null);
      return registry.datasets().insert(c, registry.datasetTypes().get(c, "the_monster"),
          registry.collections().get(c, "refcats/test"), shards);
    });
  }

  @Test
  void bulkInsertsFollowTheSameRulesAsSmallOnes() {
    assertThat(insertShards(shards(0, 300))).isEqualTo(new DatasetManager.InsertResult(300, 0));
    assertThat(insertShards(shards(0, 300))).isEqualTo(new DatasetManager.InsertResult(0, 300));
    // new and stored together: only the new ones are written, with their file records
    assertThat(insertShards(shards(250, 300))).isEqualTo(new DatasetManager.InsertResult(250, 50));
    assertThat(count("SELECT count(*) FROM file_datastore_records WHERE path LIKE 'davs://host/refcats/%'"))
        .isEqualTo(550);
    // a stored data ID under another UUID, among 299 new datasets: refused with daf_butler's message, nothing kept
    List<NewDataset> clash = new java.util.ArrayList<>(shards(1000, 299));
    UUID otherId = UUID.fromString("00000000-0000-4000-8000-000000000003");
    clash.add(new NewDataset(otherId, Map.of("htm7", 7L), clash.get(0).file()));
    assertThatThrownBy(() -> insertShards(clash))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("Conflicting definition for dataset " + otherId)
        .hasMessageContaining("already has that dataset type, data ID and run");
    assertThat(count("SELECT count(*) FROM dataset WHERE htm7 IS NOT NULL")).isEqualTo(550);
  }

  @Test
  void taggedCollectionsHoldOneDatasetPerTypeAndDataId() {
    insertRaws(List.of(raw(2024112600111L, 4), raw(2024112600111L, 5)));
    registry.transaction(c -> registry.collections().register(c, "other/run", CollectionType.RUN, null));
    UUID otherRun = UUID.fromString("00000000-0000-4000-8000-0000000000aa");
    registry.transaction(c -> registry.datasets().insert(c, registry.datasetTypes().get(c, "raw"),
        registry.collections().get(c, "other/run"), List.of(new NewDataset(otherRun, rawDataId(2024112600111L, 4), null))));
    registry.transaction(c -> registry.collections().register(c, "selection", CollectionType.TAGGED, null));
    List<UUID> ids = List.of(raw(2024112600111L, 4).id(), raw(2024112600111L, 5).id());
    assertThat((int) registry.transaction(c -> registry.datasets().associate(c, tagged(c), ids))).isEqualTo(2);
    assertThat((int) registry.transaction(c -> registry.datasets().associate(c, tagged(c), ids))).isZero();
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().associate(c, tagged(c), List.of(otherRun))))
        .hasMessageContaining("Constraint violation while associating datasets with collection 'selection'");
    assertThat((int) registry.transaction(c -> registry.datasets().disassociate(c, tagged(c), List.of(ids.get(0)))))
        .isEqualTo(1);
    assertThat((int) registry.transaction(c -> registry.datasets().associate(c, tagged(c), List.of(otherRun)))).isEqualTo(1);
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().associate(c,
        registry.collections().get(c, RUN), ids))).hasMessageContaining("it must be TAGGED");
  }

  @Test
  void certificationsMayNotOverlap() {
    registry.transaction(c -> {
      registry.collections().register(c, "LSSTComCam/calib/bias/run", CollectionType.RUN, null);
      registry.collections().register(c, "LSSTComCam/calib/bias/run2", CollectionType.RUN, null);
      registry.collections().register(c, "LSSTComCam/calib", CollectionType.CALIBRATION, null);
      return null;
    });
    UUID first = UUID.fromString("00000000-0000-4000-8000-0000000000b1");
    UUID second = UUID.fromString("00000000-0000-4000-8000-0000000000b2");
    // The same calibration data ID from two runs, as successive versions of a bias.
    registry.transaction(c -> registry.datasets().insert(c, registry.datasetTypes().get(c, "bias"),
        registry.collections().get(c, "LSSTComCam/calib/bias/run"),
        List.of(new NewDataset(first, Map.of("instrument", "LSSTComCam", "detector", 0), null))));
    registry.transaction(c -> registry.datasets().insert(c, registry.datasetTypes().get(c, "bias"),
        registry.collections().get(c, "LSSTComCam/calib/bias/run2"),
        List.of(new NewDataset(second, Map.of("instrument", "LSSTComCam", "detector", 0), null))));
    assertThat((int) registry.transaction(c -> registry.datasets().certify(c, calib(c), List.of(first), 100L, 200L)))
        .isEqualTo(1);
    // Adjacent is fine, overlapping is not, unbounded overlaps everything after.
    assertThat((int) registry.transaction(c -> registry.datasets().certify(c, calib(c), List.of(second), 200L, 300L)))
        .isEqualTo(1);
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().certify(c, calib(c), List.of(second),
        150L, 250L))).isInstanceOf(RegistryException.class).hasMessageContaining("Validity range conflict");
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().certify(c, calib(c), List.of(second),
        250L, null))).hasMessageContaining("Validity range conflict");
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().certify(c, calib(c),
        List.of(raw(2024112600111L, 4).id()), 0L, 1L))).hasMessageContaining("No dataset with id");
    insertRaws(List.of(raw(2024112600111L, 4)));
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().certify(c, calib(c),
        List.of(raw(2024112600111L, 4).id()), 0L, 1L))).hasMessageContaining("not a calibration dataset type");
    assertThat(count("SELECT count(*) FROM dataset_calibs")).isEqualTo(2);
  }

  @Test
  void syncComparesAndSkipExistingDoesNot() {
    Map<String, Object> changed = Map.of("name", "LSSTComCam", "visit_max", 1L, "visit_system", 2,
        "exposure_max", 7050123199999L, "detector_max", 1000, "class_name", "lsst.obs.lsst.LsstComCam");
    assertThat((int) registry.transaction(c -> registry.dimensions().insert(c, "instrument", List.of(changed),
        Mode.SKIP_EXISTING))).isZero();
    assertThatThrownBy(() -> registry.transaction(c -> registry.dimensions().insert(c, "instrument", List.of(changed),
        Mode.SYNC))).hasMessageContaining("Existing instrument record with key [name=LSSTComCam] differs: visit_max:"
        + " 7050123199999 != 1");
    List<Map<String, Object>> exposures = registry.transaction(c -> registry.dimensions().read(c, "exposure"));
    assertThat(exposures).hasSize(2);
    assertThat(exposures.get(0)).containsEntry("observation_type", "science")
        .containsEntry("datetime_begin", 1_732_684_390_000_000_111L);
  }

  private static CollectionRecord tagged(java.sql.Connection c) throws java.sql.SQLException {
    return new io.autobutler.core.registry.collections.CollectionManager().get(c, "selection");
  }

  private static CollectionRecord calib(java.sql.Connection c) throws java.sql.SQLException {
    return new io.autobutler.core.registry.collections.CollectionManager().get(c, "LSSTComCam/calib");
  }

  private long count(String sql) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
