package io.autobutler.core.ingest;

import static io.autobutler.core.ingest.IngestFixtures.BIAS_FOLDER;
import static io.autobutler.core.ingest.IngestFixtures.SCIENCE_FOLDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.datastore.WebDavTestServer;
import io.autobutler.core.ingest.RawIngester.Options;
import io.autobutler.core.ingest.RawIngester.RawFile;
import io.autobutler.core.ingest.RawIngester.Rejection;
import io.autobutler.core.ingest.RawIngester.Result;
import io.autobutler.core.ingest.RawIngester.Stage;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.time.TaiTime;
import io.autobutler.testsupport.PostgresServer;

/** ingest-raws from _index.json folders into a real registry, as obs_base w_2025_20 registers raws. */
class RawIngesterTest {

  private static final String RUN = "LSSTComCam/raw/all";
  private static final String FORMATTER = "lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter";
  private static DataSource dataSource;
  private static int namespaces;

  @TempDir
  Path root;
  private Registry registry;
  private final RawBackfill backfill = new RawBackfill(new DatastoreFiles());
  private final RawIngester ingester = new RawIngester();

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("ingest").dataSource();
  }

  /** A repository with LSSTComCam registered as register-instrument registers it. */
  @BeforeEach
  void registryWithComCam() {
    String namespace = "ingest_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    Instruments.LSST_COM_CAM.register(registry);
  }

  private Result ingest(Path location, Options options) {
    return backfill.ingest(registry, List.of(location.toUri().toString()), null, options);
  }

  private static String uri(Path file) {
    return DatastoreFiles.text(file.toUri());
  }

  private static long tai(String iso) {
    return TaiTime.parse(iso).nanos();
  }

  @Test
  void twoComCamExposureFoldersGoInAsObsBaseRegistersThem() throws Exception {
    Path comCam = IngestFixtures.comCam(root);
    Result result = ingest(comCam, Options.defaults());
    assertThat(result.rejections()).isEmpty();
    assertThat(result).extracting(Result::exposures, Result::exposureFailures, Result::ingestFailures,
        Result::datasets, Result::newDatasets, Result::newExposures).containsExactly(2, 0, 0, 17, 17, 2);
    assertThat(result.runs()).containsExactly(RUN);

    Map<String, Object> science = row("SELECT instrument, id, physical_filter, \"group\", day_obs, obs_id,"
        + " exposure_time, dark_time, observation_type, observation_reason, seq_num, seq_start, seq_end, target_name,"
        + " science_program, tracking_ra, tracking_dec, sky_angle, azimuth, zenith_angle, has_simulated, can_see_sky,"
        + " lower(timespan) AS datetime_begin, upper(timespan) AS datetime_end FROM exposure WHERE id = 2024112600111");
    assertThat(science).containsExactly(
        entry("instrument", "LSSTComCam"), entry("id", 2024112600111L), entry("physical_filter", "r_03"),
        entry("group", "2024-11-27T05:12:33.123"), entry("day_obs", 20241126L), entry("obs_id", "CC_O_20241126_000111"),
        entry("exposure_time", 29.99854), entry("dark_time", 30.9227), entry("observation_type", "science"),
        entry("observation_reason", "science"), entry("seq_num", 111L), entry("seq_start", 111L),
        entry("seq_end", 111L), entry("target_name", "Rubin_SV_095_-25"), entry("science_program", "BLOCK-T248"),
        entry("tracking_ra", 95.04195), entry("tracking_dec", -25.06314), entry("sky_angle", 2.59),
        entry("azimuth", 238.71), entry("zenith_angle", 90.0 - 59.82), entry("has_simulated", false),
        entry("can_see_sky", true), entry("datetime_begin", tai("2024-11-27 05:13:07.438912345")),
        entry("datetime_end", tai("2024-11-27 05:13:38.361612345")));
    Map<String, Object> bias = row("SELECT observation_type, observation_reason, target_name, sky_angle, tracking_ra,"
        + " azimuth, exposure_time, can_see_sky, upper(timespan) - lower(timespan) AS length FROM exposure"
        + " WHERE id = 2024112600112");
    assertThat(bias).containsExactly(entry("observation_type", "bias"), entry("observation_reason", null),
        entry("target_name", null), entry("sky_angle", null), entry("tracking_ra", 95.1),
        entry("azimuth", -121.29 + 360.0), entry("exposure_time", 0.0), entry("can_see_sky", false),
        entry("length", 1L));
    // day_obs: observing_day_offset 43200 s, so [noon TAI, next noon TAI)
    assertThat(row("SELECT id, lower(timespan) AS begin, upper(timespan) AS end FROM day_obs")).containsExactly(
        entry("id", 20241126L), entry("begin", tai("2024-11-26 12:00:00")), entry("end", tai("2024-11-27 12:00:00")));
    assertThat(column("SELECT name FROM \"group\" ORDER BY name"))
        .containsExactly("2024-11-27T05:12:33.123", "2024-11-27T05:14:01.402");

    assertThat(row("SELECT name, storage_class, dimensions::text AS dimensions FROM dataset_type")).containsExactly(
        entry("name", "raw"), entry("storage_class", "Exposure"),
        entry("dimensions", "{band,instrument,day_obs,detector,group,physical_filter,exposure}"));
    // butler-semantics.md 3.4's test vector: detector 4 of exposure 2024112600111
    Path file = comCam.resolve("20241126/CC_O_20241126_000111/CC_O_20241126_000111_R22_S11.fits");
    assertThat(row("SELECT d.data_id_key, c.name AS run, f.path, f.formatter, f.storage_class, f.checksum,"
        + " f.file_size FROM dataset d JOIN collection c ON c.collection_id = d.run_id JOIN file_datastore_records f"
        + " ON f.dataset_id = d.id WHERE d.id = '9499cce5-98e8-51e5-973b-be274ad36141'")).containsExactly(
        entry("data_id_key", "instrument=LSSTComCam,detector=4,exposure=2024112600111"), entry("run", RUN),
        entry("path", uri(file)), entry("formatter", FORMATTER), entry("storage_class", "Exposure"),
        entry("checksum", null), entry("file_size", 5L));
    assertThat(column("SELECT detector FROM dataset WHERE exposure = 2024112600112 ORDER BY detector"))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 8L);
    assertThat(column("SELECT count(*) FROM dataset d WHERE d.id = ANY (ARRAY[" + idsOfAll() + "])"))
        .containsExactly(17L);

    // Again: nothing changes.
    String before = snapshot();
    Result again = ingest(comCam, Options.defaults());
    assertThat(again.rejections()).isEmpty();
    assertThat(again).extracting(Result::exposures, Result::datasets, Result::newDatasets, Result::newExposures)
        .containsExactly(2, 17, 0, 0);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aWebDavFolderIsWalkedWithPropfindAndItsIndexFilesRead() {
    IngestFixtures.comCam(root);
    try (WebDavTestServer dav = new WebDavTestServer(root)) {
      Result result = backfill.ingest(registry, List.of(dav.uri("comcam").toString()), null, Options.defaults());
      assertThat(result.rejections()).isEmpty();
      assertThat(result.newDatasets()).isEqualTo(17);
      assertThat(row("SELECT f.path, f.file_size FROM file_datastore_records f WHERE f.dataset_id ="
          + " '9499cce5-98e8-51e5-973b-be274ad36141'")).containsExactly(
          entry("path", dav.uri("comcam/20241126/CC_O_20241126_000111/CC_O_20241126_000111_R22_S11.fits").toString()),
          entry("file_size", 5L));
      assertThat(dav.requests()).contains("PROPFIND /comcam 0", "PROPFIND /comcam/ 1",
          "PROPFIND /comcam/20241126/ 1", "GET /comcam/20241126/CC_O_20241126_000112/_index.json");
    }
  }

  @Test
  void anExplicitIndexIngestsAllItsEntriesWhereverTheyPoint() throws Exception {
    // The science folder's index moved into a sub-folder, its keys now "../<file>".
    Path folder = IngestFixtures.exposureFolder(root, SCIENCE_FOLDER, null);
    String moved = IngestFixtures.resource(SCIENCE_FOLDER + "/_index.json").replace("\"CC_O_", "\"../CC_O_")
        .replace("\"../CC_O_20241126_000111\",", "\"CC_O_20241126_000111\",");
    Files.delete(folder.resolve("_index.json"));
    Path index = Files.createDirectories(folder.resolve("meta")).resolve("_index.json");
    Files.writeString(index, moved);
    // Walking the folder finds the raws but no index next to them.
    Result walked = ingest(folder, Options.defaults());
    assertThat(walked.rejections()).hasSize(9).allSatisfy(r -> {
      assertThat(r.stage()).isEqualTo(Stage.METADATA);
      assertThat(r.reason()).startsWith("no entry for this file in an _index.json of its folder");
    });
    Result explicit = backfill.ingest(registry, List.of(uri(index)), null, Options.defaults());
    assertThat(explicit.rejections()).isEmpty();
    assertThat(explicit.datasets()).isEqualTo(9);
    assertThat(column("SELECT f.path FROM file_datastore_records f ORDER BY f.path")).first()
        .isEqualTo(uri(folder.resolve("CC_O_20241126_000111_R22_S00.fits")));
  }

  @Test
  void aDifferingExposureRecordRejectsThatExposuresFilesUnlessRecordsAreUpdated() {
    Path comCam = IngestFixtures.comCam(root);
    assertThat(ingest(comCam, Options.defaults()).newDatasets()).isEqualTo(17);
    IngestFixtures.exposureFolder(root, SCIENCE_FOLDER, IngestFixtures.resource(SCIENCE_FOLDER + "/_index.json")
        .replace("\"exposure_time\": 29.99854", "\"exposure_time\": 15.0"));

    Result conflict = ingest(comCam, Options.defaults());
    assertThat(conflict).extracting(Result::exposures, Result::exposureFailures, Result::ingestFailures)
        .containsExactly(1, 1, 0);
    assertThat(conflict.rejections()).hasSize(9).allSatisfy(r -> {
      assertThat(r.stage()).isEqualTo(Stage.EXPOSURE_REGISTRATION);
      assertThat(r.exposure()).isEqualTo("LSSTComCam:CC_O_20241126_000111");
      assertThat(r.reason()).isEqualTo("Existing exposure record with key [instrument=LSSTComCam,"
          + " id=2024112600111] differs: exposure_time: 29.99854 != 15.0.");
    });
    assertThat(column("SELECT exposure_time FROM exposure WHERE id = 2024112600111")).containsExactly(29.99854);

    Result updated = ingest(comCam, Options.defaults().withUpdateRecords(true));
    assertThat(updated.rejections()).isEmpty();
    assertThat(updated.exposures()).isEqualTo(2);
    assertThat(column("SELECT exposure_time FROM exposure WHERE id = 2024112600111")).containsExactly(15.0);
  }

  @Test
  void filesThatCannotBeRawsAreRejectedOneByOneWhileTheOthersGoIn() throws Exception {
    IngestFixtures.exposureFolder(root, SCIENCE_FOLDER, null);
    String bias = IngestFixtures.resource(BIAS_FOLDER + "/_index.json");
    // In the bias folder: detector 8 is not a ComCam detector, and one raw has no index entry.
    IngestFixtures.exposureFolder(root, BIAS_FOLDER, bias.replace("\"detector_num\": 8", "\"detector_num\": 42"));
    Files.write(root.resolve(BIAS_FOLDER).resolve("CC_O_20241126_000112_R22_S21.fits"), new byte[3]);
    // A third exposure with a filter LSSTComCam does not have, a fourth with a malformed entry.
    String third = IngestFixtures.resource(SCIENCE_FOLDER + "/_index.json").replace("000111", "000113")
        .replace("2024112600111", "2024112600113").replace("\"r_03\"", "\"x_99\"");
    IngestFixtures.exposureFolder(root, "comcam/20241126/CC_O_20241126_000113", third);
    String fourth = IngestFixtures.resource(SCIENCE_FOLDER + "/_index.json").replace("000111", "000114")
        .replace("2024112600111", "2024112600114").replace("\"detector_num\": 3,", "\"detector_num\": \"3\",");
    IngestFixtures.exposureFolder(root, "comcam/20241126/CC_O_20241126_000114", fourth);
    // obs_base's DummyCam example: an instrument this registry does not have.
    Path dummy = Files.createDirectories(root.resolve("comcam/dummy"));
    Files.writeString(dummy.resolve("_index.json"), IngestFixtures.resource("indexed_data/_index.json"));
    Files.writeString(dummy.resolve("dataset_1.fits"), "x");

    Result result = ingest(root.resolve("comcam"), Options.defaults());

    Map<String, Rejection> byFile = new LinkedHashMap<>();
    result.rejections().forEach(r -> byFile.put(r.uri().substring(r.uri().lastIndexOf('/') + 1), r));
    assertThat(byFile.get("CC_O_20241126_000112_R22_S22.fits")).isEqualTo(new Rejection(
        uri(root.resolve(BIAS_FOLDER + "/CC_O_20241126_000112_R22_S22.fits")), Stage.FILE_INGEST,
        "LSSTComCam:CC_O_20241126_000112", "detector 42 of instrument LSSTComCam is not registered"));
    assertThat(byFile.get("CC_O_20241126_000112_R22_S21.fits").reason()).startsWith("no entry for this file in "
        + uri(root.resolve(BIAS_FOLDER + "/_index.json")));
    assertThat(result.rejections()).filteredOn(r -> r.uri().contains("000113")).hasSize(9).allSatisfy(r ->
        assertThat(r.reason()).isEqualTo("physical_filter 'x_99' of instrument LSSTComCam is not registered"
            + " (register-instrument writes the instrument's filters)"));
    Path fourthIndex = root.resolve("comcam/20241126/CC_O_20241126_000114/_index.json");
    assertThat(byFile.get("_index.json").uri()).isEqualTo(uri(fourthIndex));
    assertThat(byFile.get("_index.json").reason()).isEqualTo("Problem reading index file from inferred location:"
        + " index file " + uri(fourthIndex) + ", entry"
        + " 'CC_O_20241126_000114_R22_S10.fits', property 'detector_num': detector_num \"3\": must be an integer");
    assertThat(result.rejections()).filteredOn(r -> r.uri().contains("000114_R22")).hasSize(9);
    assertThat(byFile.get("dataset_1.fits").reason()).isEqualTo("no entry for this file in "
        + uri(dummy.resolve("_index.json")) + " (autobutler reads raw metadata from _index.json files only, not from"
        + " FITS headers)");

    // Only the good ones went in: 9 science raws and 7 of the bias.
    assertThat(result).extracting(Result::exposures, Result::exposureFailures, Result::ingestFailures,
        Result::newDatasets).containsExactly(1, 1, 1, 16);
    assertThat(column("SELECT id FROM exposure ORDER BY id")).containsExactly(2024112600111L, 2024112600112L);
  }

  @Test
  void aLocationThatDoesNotExistIsSaidSo() {
    Path missing = root.resolve("20241126/CC_O_20241126_000111_R22_S00.fits");
    Result result = ingest(missing, Options.defaults());
    assertThat(result.rejections()).containsExactly(new Rejection(uri(missing), Stage.METADATA, null,
        "no such file"));
  }

  @Test
  void anUnknownInstrumentIsAMetadataFailure() throws Exception {
    Path folder = Files.createDirectories(root.resolve("dummy"));
    Files.writeString(folder.resolve("_index.json"), IngestFixtures.resource("indexed_data/_index.json"));
    Files.writeString(folder.resolve("dataset_1.yaml"), "x");
    Files.writeString(folder.resolve("dataset_2.yaml"), "x");
    Result result = backfill.ingest(registry, List.of(uri(folder)), "\\.yaml$", Options.defaults());
    assertThat(result.rejections()).extracting(Rejection::stage, Rejection::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Stage.METADATA, "Instrument DummyCam for file "
            + uri(folder.resolve("dataset_1.yaml")) + " not known to registry"),
        org.assertj.core.groups.Tuple.tuple(Stage.METADATA, "Instrument DummyCam for file "
            + uri(folder.resolve("dataset_2.yaml")) + " not known to registry"));
    assertThat(result.exposures()).isZero();
  }

  @Test
  void failFastStopsAtTheFirstProblemAndWritesNothingOfItsBatch() {
    IngestFixtures.exposureFolder(root, SCIENCE_FOLDER, null);
    IngestFixtures.exposureFolder(root, BIAS_FOLDER, IngestFixtures.resource(BIAS_FOLDER + "/_index.json")
        .replace("\"r_03\"", "\"x_99\""));
    assertThatThrownBy(() -> ingest(root.resolve("comcam"), Options.defaults().withFailFast(true)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind())
            .isEqualTo(RegistryException.Kind.CONFLICTING_DEFINITION))
        .hasMessage("Exposure LSSTComCam:CC_O_20241126_000112 could not be registered: physical_filter 'x_99' of"
            + " instrument LSSTComCam is not registered (register-instrument writes the instrument's filters)");
    assertThat(column("SELECT count(*) FROM exposure")).containsExactly(0L);
    assertThat(column("SELECT count(*) FROM dataset")).containsExactly(0L);

    IngestFixtures.exposureFolder(root, BIAS_FOLDER, IngestFixtures.resource(BIAS_FOLDER + "/_index.json")
        .replace("\"observation_type\": \"bias\", ", ""));
    assertThatThrownBy(() -> ingest(root.resolve("comcam"), Options.defaults().withFailFast(true)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind())
            .isEqualTo(RegistryException.Kind.INVALID_ARGUMENT))
        .hasMessageStartingWith("Problem extracting metadata for file " + uri(root.resolve(BIAS_FOLDER
            + "/CC_O_20241126_000112_R22_S00.fits")) + ": required properties are missing: [observation_type]");
    assertThat(column("SELECT count(*) FROM dataset")).containsExactly(0L);
  }

  @Test
  void aRawTheRunHoldsUnderAnotherIdIsRejectedAlone() {
    Path comCam = IngestFixtures.comCam(root);
    Map<String, Object> dataId = Map.of("instrument", "LSSTComCam", "detector", 0L, "exposure", 2024112600112L);
    UUID imported = UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22");
    // The exposure's records first (as an import would bring them), then a raw with an export's UUID.
    Result first = ingest(comCam.resolve("20241126/CC_O_20241126_000111"), Options.defaults());
    assertThat(first.newDatasets()).isEqualTo(9);
    registry.transaction(c -> {
      IndexFile index = IndexFile.parse(comCam.resolve("20241126/CC_O_20241126_000112/_index.json").toUri(),
          IngestFixtures.resource(BIAS_FOLDER + "/_index.json"));
      var records = RawTranslation.translate(index.entries().get(0).info());
      registry.dimensions().insert(c, "day_obs", List.of(records.dayObs()), Mode.SYNC);
      registry.dimensions().insert(c, "group", List.of(records.group()), Mode.SYNC);
      registry.dimensions().insert(c, "exposure", List.of(records.exposure()), Mode.SYNC);
      registry.datasets().insert(c, registry.datasetTypes().get(c, "raw"), registry.collections().get(c, RUN),
          List.of(new NewDataset(imported, dataId, new FileRecord("davs://elsewhere/raw.fits", FORMATTER, "Exposure",
              null, null))));
      return null;
    });
    Result result = ingest(comCam, Options.defaults());
    assertThat(result.rejections()).singleElement().satisfies(r -> {
      assertThat(r.stage()).isEqualTo(Stage.FILE_INGEST);
      assertThat(r.reason()).isEqualTo("raw {instrument=LSSTComCam, detector=0, exposure=2024112600112} is already"
          + " in run LSSTComCam/raw/all as dataset " + imported + " (ingest computes "
          + DatasetIds.forRun("raw", RUN, dataId) + ")");
    });
    assertThat(result).extracting(Result::exposures, Result::ingestFailures, Result::newDatasets)
        .containsExactly(1, 1, 7);
  }

  @Test
  void outputRunChecksumsAndTheDatastoreRootWhenOneIsRequired() {
    IndexFile index = IndexFile.parse(java.net.URI.create("davs://host:2880/pnfs/butler/raw/x/_index.json"),
        IngestFixtures.resource(SCIENCE_FOLDER + "/_index.json"));
    List<RawFile> files = new ArrayList<>();
    index.entries().forEach(e -> files.add(new RawFile(e.file().toString(), 1000L + e.info().detectorNum(), "a1b2c3",
        e.info())));
    files.add(new RawFile("davs://host:2880/pnfs/other/x.fits", null, null, index.entries().get(0).info()));
    Options options = Options.defaults().withOutputRun("u/someone/raws").withBatchSize(2)
        .withRequiredRoot("davs://host:2880/pnfs/butler");
    Result result = ingester.ingest(registry, files, options);
    assertThat(result.rejections()).containsExactly(new Rejection("davs://host:2880/pnfs/other/x.fits",
        Stage.METADATA, null, "file davs://host:2880/pnfs/other/x.fits is outside the datastore root"
            + " davs://host:2880/pnfs/butler/ (only transfer 'direct' records files where they are)"));
    assertThat(result.runs()).containsExactly("u/someone/raws");
    assertThat(result.newDatasets()).isEqualTo(9);
    Map<String, Object> dataId = Map.of("instrument", "LSSTComCam", "detector", 4L, "exposure", 2024112600111L);
    assertThat(row("SELECT f.path, f.checksum, f.file_size FROM file_datastore_records f WHERE f.dataset_id = '"
        + DatasetIds.forRun("raw", "u/someone/raws", dataId) + "'")).containsExactly(
        entry("path", "davs://host:2880/pnfs/butler/raw/x/CC_O_20241126_000111_R22_S11.fits"),
        entry("checksum", "adler32:00a1b2c3"), entry("file_size", 1004L));
    CollectionType type = registry.transaction(c -> registry.collections().get(c, "u/someone/raws").type());
    assertThat(type).isEqualTo(CollectionType.RUN);
  }

  private String idsOfAll() {
    List<String> ids = new ArrayList<>();
    for (long exposure : List.of(2024112600111L, 2024112600112L)) {
      for (long detector = 0; detector < 9; detector++) {
        if (exposure == 2024112600112L && detector == 7) {
          continue;
        }
        ids.add("'" + DatasetIds.forRun("raw", RUN, Map.of("instrument", "LSSTComCam", "detector", detector,
            "exposure", exposure)) + "'::uuid");
      }
    }
    return String.join(",", ids);
  }

  /** Every row the ingest writes, as text, to compare before and after. */
  private String snapshot() {
    StringBuilder text = new StringBuilder();
    for (String sql : List.of("SELECT * FROM exposure ORDER BY id", "SELECT * FROM day_obs ORDER BY id",
        "SELECT * FROM \"group\" ORDER BY name", "SELECT id, run_id, data_id_key, ingest_date FROM dataset ORDER BY id",
        "SELECT * FROM file_datastore_records ORDER BY dataset_id", "SELECT * FROM collection ORDER BY name",
        "SELECT * FROM dataset_type ORDER BY name")) {
      column("SELECT string_agg(t::text, E'\\n') FROM (" + sql + ") t").forEach(v -> text.append(v).append('\n'));
    }
    return text.toString();
  }

  private Map<String, Object> row(String sql) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a row for " + sql).isTrue();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        return row;
      }
    });
  }

  private List<Object> column(String sql) {
    return registry.transaction(c -> {
      List<Object> values = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getObject(1));
        }
      }
      return values;
    });
  }
}
