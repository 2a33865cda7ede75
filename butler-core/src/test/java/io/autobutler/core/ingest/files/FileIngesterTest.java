package io.autobutler.core.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.ingest.files.FileIngester.Request;
import io.autobutler.core.ingest.files.FileIngester.Result;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException.Kind;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.RegistryRows;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.testsupport.PostgresServer;

/** butler ingest-files (daf_butler w_2025_20) into a real registry: RTN-103's reference catalogs and the rest. */
class FileIngesterTest {

  private static final String REFCAT = "the_monster_20240904";
  private static final String RUN = "refcats/DM-46370/the_monster_20240904";
  private static final String PREFIX = "/sps/lsst/data/raw/refcats/the_monster_20240904";
  /** The ECSV layout of RTN-029, with paths relative to the prefix as RTN-103 uses it. */
  private static final String MONSTER_ECSV = """
      # %ECSV 1.0
      # ---
      # datatype:
      # - {name: filename, datatype: string}
      # - {name: htm7, datatype: int64}
      # schema: astropy-2.0
      filename htm7
      146812.fits 146812
      146813.fits 146813
      sub/146814.fits 146814
      """;
  private static DataSource dataSource;
  private static int namespaces;

  private final FileIngester ingester = new FileIngester();
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("ingestfiles").dataSource();
  }

  /** A repository with RTN-103's refcat dataset type and LSSTComCam's instrument and detectors. */
  @BeforeEach
  void repository() {
    String namespace = "ingestfiles_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    var comCam = Instruments.LSST_COM_CAM;
    registry.transaction(c -> {
      registry.datasetTypes().register(c, REFCAT, "SimpleCatalog", List.of("htm7"), false);
      registry.datasetTypes().register(c, "postISRCCD", "Exposure", List.of("instrument", "detector"), false);
      registry.dimensions().insert(c, "instrument", List.of(comCam.instrumentRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "detector", comCam.detectorRecords(), Mode.SYNC);
      return null;
    });
  }

  private static Request monster(String table, String prefix, String mode) {
    return new Request(REFCAT, RUN, table, "the_monster_20240904.ecsv", List.of(), null, mode, prefix, "direct");
  }

  @Test
  void rtn103RefcatTableGoesInWithItsFilesUnderThePrefix() throws Exception {
    Result result = ingester.ingest(registry, monster(MONSTER_ECSV, PREFIX, null));

    assertThat(result).isEqualTo(new Result(RUN, true, 3, 3, 3, 0));
    assertThat(result.logLine()).isEqualTo("Ingesting 3 dataset ref(s) from 3 file(s)");
    assertThat(collectionType(RUN)).isEqualTo(String.valueOf(CollectionType.RUN.code()));
    assertThat(strings("SELECT d.htm7 || ' ' || f.path || ' ' || coalesce(f.formatter, '-') || ' ' || f.storage_class"
        + " FROM dataset d JOIN file_datastore_records f ON f.dataset_id = d.id ORDER BY d.htm7")).containsExactly(
        "146812 file://" + PREFIX + "/146812.fits - SimpleCatalog",
        "146813 file://" + PREFIX + "/146813.fits - SimpleCatalog",
        "146814 file://" + PREFIX + "/sub/146814.fits - SimpleCatalog");
    // UNIQUE, the default at w_2025_20: random UUIDv4s
    assertThat(ids()).allMatch(id -> id.version() == 4);
    // no dimension records are created (htm7 has none; nothing else was touched)
    assertThat(strings("SELECT count(*)::text FROM detector")).containsExactly("9");
  }

  @Test
  void aPrefixIsADirectoryWithOrWithoutItsSlashAndUrisAndAbsolutePathsStayAsTheyAre() throws Exception {
    String table = """
        # %ECSV 1.0
        # ---
        # datatype:
        # - {name: filename, datatype: string}
        # - {name: htm7, datatype: int64}
        filename htm7
        a.fits 1
        ../other/b.fits 2
        /elsewhere/c.fits 3
        davs://door.example.org:2880/pnfs/refcats/d.fits 4
        "with space.fits" 5
        """;
    ingester.ingest(registry, monster(table, "davs://door.example.org:2880/pnfs/refcats/monster", null));
    assertThat(strings("SELECT f.path FROM dataset d JOIN file_datastore_records f ON f.dataset_id = d.id"
        + " ORDER BY d.htm7")).containsExactly(
        "davs://door.example.org:2880/pnfs/refcats/monster/a.fits",
        "davs://door.example.org:2880/pnfs/refcats/other/b.fits",
        "file:///elsewhere/c.fits",
        "davs://door.example.org:2880/pnfs/refcats/d.fits",
        "davs://door.example.org:2880/pnfs/refcats/monster/with%20space.fits");

    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, "other", "f,htm7\nx.fits,9\n", "t.csv",
        List.of(), null, null, null, null)))
        .hasMessage("t.csv: line 2: 'x.fits' is a relative path and no prefix was given to resolve it against");
  }

  @Test
  void csvWithDataIdGivingAndOverridingColumns() throws Exception {
    String csv = "file URI,instrument,detector\n/data/a.fits,LSSTCam,0\n/data/b.fits,LSSTCam,1\n";
    Result result = ingester.ingest(registry, new Request("postISRCCD", "u/isr", csv, "isr.csv",
        List.of("instrument=LSSTComCam"), "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter",
        "DATAID_TYPE_RUN", null, "direct"));
    assertThat(result.inserted()).isEqualTo(2);
    assertThat(strings("SELECT d.instrument || ' ' || d.detector || ' ' || f.path || ' ' || f.formatter"
        + " FROM dataset d JOIN file_datastore_records f ON f.dataset_id = d.id ORDER BY d.detector")).containsExactly(
        "LSSTComCam 0 file:///data/a.fits lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter",
        "LSSTComCam 1 file:///data/b.fits lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter");
    assertThat(ids()).containsExactlyInAnyOrder(
        DatasetIds.forRun("postISRCCD", "u/isr", Map.of("instrument", "LSSTComCam", "detector", 0L)),
        DatasetIds.forRun("postISRCCD", "u/isr", Map.of("instrument", "LSSTComCam", "detector", 1L)));

    // --data-id may also supply a column the table does not have
    ingester.ingest(registry, new Request("postISRCCD", "u/isr2", "file\n/data/c.fits\n", "one.csv",
        List.of("instrument=LSSTComCam", "detector=8"), null, null, null, null));
    assertThat(strings("SELECT d.detector::text FROM dataset d JOIN collection r ON r.collection_id = d.run_id"
        + " WHERE r.name = 'u/isr2'")).containsExactly("8");
  }

  @Test
  void rowsNamingTheSameFileMakeOneFileWithSeveralDatasets() throws Exception {
    String csv = "file,instrument,detector\nshared.fits,LSSTComCam,0\nshared.fits,LSSTComCam,1\nown.fits,LSSTComCam,2\n";
    Result result = ingester.ingest(registry, new Request("postISRCCD", "u/shared", csv, "s.csv", List.of(), null,
        null, "/data", null));
    assertThat(result).extracting(Result::datasets, Result::files, Result::inserted).containsExactly(3, 2, 3);
    // daf_butler's file datastore: one record per dataset, each with the file's path
    assertThat(strings("SELECT f.path || ' ' || count(*) FROM file_datastore_records f GROUP BY f.path"
        + " ORDER BY f.path")).containsExactly("file:///data/own.fits 1", "file:///data/shared.fits 2");
  }

  @Test
  void deterministicModesGiveTheButlersIdsAndARerunChangesNothing() throws Exception {
    Result first = ingester.ingest(registry, monster(MONSTER_ECSV, PREFIX, "dataid_type"));
    assertThat(ids()).containsExactlyInAnyOrder(
        DatasetIds.forDataId(REFCAT, Map.of("htm7", 146812L)),
        DatasetIds.forDataId(REFCAT, Map.of("htm7", 146813L)),
        DatasetIds.forDataId(REFCAT, Map.of("htm7", 146814L)));
    List<String> before = strings("SELECT d.id::text || d.ingest_date::text || f.path FROM dataset d"
        + " JOIN file_datastore_records f ON f.dataset_id = d.id ORDER BY d.id");

    Result again = ingester.ingest(registry, monster(MONSTER_ECSV, PREFIX, "DATAID_TYPE"));
    assertThat(first).extracting(Result::inserted, Result::unchanged, Result::runCreated)
        .containsExactly(3, 0, true);
    assertThat(again).extracting(Result::inserted, Result::unchanged, Result::runCreated)
        .containsExactly(0, 3, false);
    assertThat(strings("SELECT d.id::text || d.ingest_date::text || f.path FROM dataset d"
        + " JOIN file_datastore_records f ON f.dataset_id = d.id ORDER BY d.id")).isEqualTo(before);
  }

  @Test
  void aUniqueRerunConflictsAsTheButlersAndAddsNothing() throws Exception {
    ingester.ingest(registry, monster(MONSTER_ECSV, PREFIX, null));
    List<UUID> before = ids();
    assertThatThrownBy(() -> ingester.ingest(registry, monster(MONSTER_ECSV, PREFIX, "UNIQUE")))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).kind()).isEqualTo(Kind.CONFLICTING_DEFINITION))
        .hasMessageContaining("already has that dataset type, data ID and run");
    assertThat(ids()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void twoRowsWithTheSameDataIdAreTheButlersIngestConflict() throws Exception {
    String csv = "file,htm7\n/data/a.fits,7\n/data/b.fits,7\n";
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, csv, "t.csv", List.of(), null,
        "DATAID_TYPE_RUN", null, null)))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Ingest conflict. Dataset file:///data/b.fits has same DataId as other ingest dataset"
            + " file:///data/a.fits  ({htm7: 7})");
    assertThat(ids()).isEmpty();
    assertThat(collectionType(RUN)).isNull();
  }

  @Test
  void aMissingDatasetTypeIsTheButlersErrorAndCreatesNoRun() throws Exception {
    assertThatThrownBy(() -> ingester.ingest(registry, new Request("the_monster_20250219", RUN, MONSTER_ECSV,
        "m.ecsv", List.of(), null, null, PREFIX, "direct")))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).kind()).isEqualTo(Kind.MISSING_DATASET_TYPE))
        .hasMessage("Dataset type 'the_monster_20250219' does not exist.");
    assertThat(collectionType(RUN)).isNull();
  }

  @Test
  void badInputIsRefusedWithAClearMessageAndChangesNothing() throws Exception {
    assertThatThrownBy(() -> ingester.ingest(registry, monster(MONSTER_ECSV.replace("146813.fits 146813",
        "146813.fits 14681x"), PREFIX, null)))
        .hasMessage("the_monster_20240904.ecsv: line 9: column 'htm7' is declared int64 but has value '14681x'");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, "file,htm7\na.fits,seven\n",
        "t.csv", List.of(), null, null, "/data", null)))
        .hasMessage("t.csv: line 2: htm7 must be an integer, not 'seven'");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, "file,htm7,colour\na.fits,7,red\n",
        "t.csv", List.of(), null, null, "/data", null)))
        .hasMessageStartingWith("t.csv: column 'colour' is not a dimension");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, "file\na.fits\n", "t.csv",
        List.of("colour=red"), null, null, "/data", null)))
        .hasMessage("DataID dimension 'colour' is not known to this universe.");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, "file\na.fits\n", "t.csv",
        List.of(), null, null, "/data", null)))
        .hasMessage("dataset type the_monster_20240904 has dimensions [htm7] but the table's columns and --data-id"
            + " do not give [htm7]");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, MONSTER_ECSV, "m.ecsv", List.of(),
        null, null, PREFIX, "copy"))).hasMessageStartingWith("transfer mode 'copy' is not supported");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, MONSTER_ECSV, "m.ecsv", List.of(),
        "not a class", null, PREFIX, null))).hasMessageContaining("is not a fully-qualified Python class name");
    assertThatThrownBy(() -> ingester.ingest(registry, new Request(REFCAT, RUN, MONSTER_ECSV, "m.ecsv", List.of(),
        null, "RANDOM", PREFIX, null))).hasMessageStartingWith("id generation mode 'RANDOM' is not one of");
    // a data ID naming a detector the registry does not have: ingest-files creates no dimension records
    assertThatThrownBy(() -> ingester.ingest(registry, new Request("postISRCCD", "u/isr", "f,instrument,detector\n"
        + "/d/a.fits,LSSTComCam,0\n/d/b.fits,LSSTComCam,99\n", "t.csv", List.of(), null, null, null, null)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("names a dimension record that is not in the registry")
        .hasMessageContaining("99");
    assertThat(ids()).isEmpty();
    assertThat(collectionType(RUN)).isNull();
    assertThat(collectionType("u/isr")).isNull();
  }

  private List<UUID> ids() throws Exception {
    return strings("SELECT id::text FROM dataset").stream().map(UUID::fromString).toList();
  }

  private String collectionType(String name) throws Exception {
    List<String> types = strings("SELECT type FROM collection WHERE name = '" + name + "'");
    return types.isEmpty() ? null : types.get(0);
  }

  private List<String> strings(String sql) {
    return RegistryRows.strings(registry, sql);
  }
}
