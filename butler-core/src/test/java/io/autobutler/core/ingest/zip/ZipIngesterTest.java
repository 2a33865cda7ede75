package io.autobutler.core.ingest.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.zip.ZipIngester.Options;
import io.autobutler.core.ingest.zip.ZipIngester.Rejection;
import io.autobutler.core.ingest.zip.ZipIngester.Result;
import io.autobutler.core.ingest.zip.ZipIngester.ZipSource;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.RegistryRows;
import io.autobutler.testsupport.ButlerZips.RangeServer;
import io.autobutler.testsupport.ButlerZips;

/** Butler zips into a real registry, as daf_butler's {@code Butler.ingest_zip} puts them in. */
class ZipIngesterTest {

  private static final String RAW_INDEX = ButlerZips.index(ButlerZips.LSSTCAM_RAWS);
  private static final String HSC_INDEX = ButlerZips.index("zip_index_with_records.json");
  private static final String R22_S11 = "af4edb44-d73f-5cde-9bad-9cf7d72795db";
  private static final String R22_S12 = "c1c0dbd9-937b-5b76-8527-f67f2e0966be";
  private static DataSource dataSource;
  private static int namespaces;

  private final ZipIngester ingester = new ZipIngester();
  private Registry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void database() {
    dataSource = io.autobutler.testsupport.PostgresServer.preferred().createDatabase("ingestzip").dataSource();
  }

  @BeforeEach
  void emptyRepository() {
    String namespace = "ingestzip_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
  }

  private static ZipSource source(Path zip) {
    return new ZipSource(zip.toString(), null, null);
  }

  private Path rawZip() throws Exception {
    return ButlerZips.write(dir.resolve("raw/LSSTCam/20250614/MC_O_20250614_000123.zip"), RAW_INDEX);
  }

  private static String uri(Path zip) {
    return DatastoreFiles.text(zip.toUri());
  }

  @Test
  void anLsstCamRawZipGoesInWithItsRecordsAndItsMembersRecordedInsideTheZip() throws Exception {
    Path zip = rawZip();
    Result result = ingester.ingest(registry, List.of(source(zip)), Options.defaults());

    // instrument, physical_filter, day_obs, group, two detectors and the exposure
    assertThat(result).isEqualTo(new Result(2, 0, 7, List.of(), result.contents()));
    assertThat(strings("SELECT d.id || ' ' || r.name || ' ' || t.name || ' ' || d.detector || ' ' || d.exposure"
        + " FROM dataset d JOIN collection r ON r.collection_id = d.run_id JOIN dataset_type t"
        + " ON t.id = d.dataset_type_id ORDER BY d.detector")).containsExactly(
        R22_S11 + " LSSTCam/raw/all raw 94 2025061400123", R22_S12 + " LSSTCam/raw/all raw 95 2025061400123");
    // daf_butler's file datastore: "<zip URI>#zip-path=<member>", with the member's record from the index
    assertThat(strings("SELECT f.path || ' ' || f.component || ' ' || f.formatter || ' ' || f.storage_class || ' '"
        + " || f.file_size FROM file_datastore_records f JOIN dataset d ON d.id = f.dataset_id ORDER BY d.detector"))
        .containsExactly(
            uri(zip) + "#zip-path=MC_O_20250614_000123_R22_S11.fits __NULL_STRING__"
                + " lsst.obs.lsst.rawFormatter.LsstCamRawFormatter Exposure 18247774",
            uri(zip) + "#zip-path=MC_O_20250614_000123_R22_S12.fits __NULL_STRING__"
                + " lsst.obs.lsst.rawFormatter.LsstCamRawFormatter Exposure 18247775");
    assertThat(uri(zip)).startsWith("file:///");
    assertThat(strings("SELECT obs_id || ' ' || physical_filter || ' ' || day_obs || ' ' || \"group\" || ' '"
        + " || lower(timespan) || ' ' || upper(timespan) || ' ' || can_see_sky FROM exposure")).containsExactly(
        "MC_O_20250614_000123 r_57 20250614 2025-06-14T23:10:05.123 1749942642123000000 1749942672523000000 true");
    assertThat(strings("SELECT full_name FROM detector ORDER BY id")).containsExactly("R22_S11", "R22_S12");
    assertThat(strings("SELECT name || ' ' || type FROM collection")).containsExactly("LSSTCam/raw/all 1");
    assertThat(strings("SELECT name || ' ' || storage_class || ' ' || array_to_string(required, ',')"
        + " FROM dataset_type")).containsExactly("raw Exposure instrument,detector,exposure");
  }

  @Test
  void ingestingTheSameZipAgainChangesNothing() throws Exception {
    Path zip = rawZip();
    ingester.ingest(registry, List.of(source(zip)), Options.defaults());
    List<String> before = everything();

    // skip existing (what the ingest pipeline does): the zip is counted unchanged
    Result skipped = ingester.ingest(registry, List.of(source(zip)), Options.defaults().withSkipExisting(true));
    assertThat(skipped).isEqualTo(new Result(0, 2, 0, List.of(), skipped.contents()));
    assertThat(skipped.contents()).extracting(ZipIngester.ZipDatasets::datasetType).containsOnly("raw");
    assertThat(skipped.contents()).flatExtracting(ZipIngester.ZipDatasets::dataIds).hasSize(2);
    // the butler's default: the zip is refused, as daf_butler refuses it
    Result again = ingester.ingest(registry, List.of(source(zip)), Options.defaults());
    assertThat(again.datasets()).isZero();
    assertThat(again.rejections()).containsExactly(new Rejection(zip.toString(),
        RegistryException.class.getName() + ".CONFLICTING_DEFINITION", uri(zip) + ": Datastore already contains 2"
        + " of the given datasets. Example: " + R22_S11));
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void dafButlersIndexWithRecordsBringsVisitsWithTheirRegionsAndTwoRuns() throws Exception {
    Path zip = ButlerZips.write(dir.resolve("calexps.zip"), HSC_INDEX);
    Result result = ingester.ingest(registry, List.of(source(zip)), Options.defaults());

    // instrument, day_obs, detector, physical_filter, visit, visit_detector_region (band has no table)
    assertThat(result).isEqualTo(new Result(2, 0, 6, List.of(), result.contents()));
    assertThat(strings("SELECT r.name FROM dataset d JOIN collection r ON r.collection_id = d.run_id ORDER BY 1"))
        .containsExactly("HSC/runs/ci_hsc/20250429T001504Z", "HSC/runs/ci_hsc_injection/20250429T004245Z");
    assertThat(strings("SELECT region FROM visit_detector_region WHERE detector = 16 AND visit = 903988"))
        .containsExactly(Base64.getEncoder().encodeToString(HexFormat.of().parseHex("70df986845fbe6e83f15be986a5d18e4"
            + "bf918efe23718f7fbf6d76f1325be7e83f6e9c70ee1218e4bf6730f6f5a07377bfe1e5dad5a4d4e83f914617922c2fe4bfd9d23"
            + "62150bd77bf778e1e6d62d4e83f75c4a4e0502fe4bfe6235a7f78f67fbf")));
    assertThat(strings("SELECT name || ' ' || physical_filter || ' ' || lower(timespan) FROM visit"))
        .containsExactly("HSCA90398800 HSC-I 1383369626658000000");
    assertThat(strings("SELECT count(*)::text FROM file_datastore_records WHERE file_size = 58870080"
        + " AND path LIKE '" + uri(zip) + "#zip-path=HSC/runs/%'")).containsExactly("2");
  }

  @Test
  void aBadZipIsRejectedWithItsReasonAndTheOthersGoIn() throws Exception {
    Path corrupt = Files.write(dir.resolve("corrupt.zip"), new byte[] {'P', 'K', 3, 4, 0, 0, 9, 9, 9});
    Path missing = dir.resolve("missing.zip");
    Path malformed = ButlerZips.write(dir.resolve("malformed.zip"),
        ButlerZips.with(RAW_INDEX, "\"V7\"", "index_version"));
    Path good = rawZip();
    Path components = ButlerZips.write(dir.resolve("components.zip"), ButlerZips.index("zip_index.json"));
    Path wrongSize = ButlerZips.write(dir.resolve("calexps.zip"), HSC_INDEX);

    Result result = ingester.ingest(registry, List.of(source(corrupt), source(missing), source(malformed),
        source(good), source(components), new ZipSource(uri(wrongSize), 12L, "0badcafe")), Options.defaults());

    assertThat(result.datasets()).isEqualTo(2);
    assertThat(result.rejections()).extracting(Rejection::uri).containsExactly(corrupt.toString(),
        missing.toString(), malformed.toString(), components.toString(), uri(wrongSize));
    assertThat(result.rejections()).extracting(Rejection::cause).containsExactly(
        ZipIndexException.class.getName(), java.io.FileNotFoundException.class.getName(),
        ZipIndexException.class.getName(), ZipIndexException.class.getName(), ZipIndexException.class.getName());
    assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(
        uri(corrupt) + " is not a zip file: it has no end of central directory record",
        "no file at " + uri(missing),
        uri(malformed) + ": _butler_zip_index.json is malformed: index_version is 'V7'; only V1 is known",
        uri(components) + ": 'demo_collection/calexp.apCorrMap/20130617/r/HSC-R/903342/calexp_apCorrMap_HSC_r_HSC-R_"
            + "903342_1_36_demo_collection.fits' is component 'apCorrMap' of a disassembled composite, which"
            + " autobutler does not ingest",
        uri(wrongSize) + " has " + Files.size(wrongSize) + " bytes, not the 12 the replica should have: an incomplete"
            + " or different copy");
    assertThat(strings("SELECT DISTINCT exposure::text FROM dataset")).containsExactly("2025061400123");
  }

  @Test
  void conflictsRejectOnlyTheirZip() throws Exception {
    // the registry's calexp is not the index's
    registry.transaction(c -> registry.datasetTypes().register(c, "calexp", "Exposure",
        List.of("instrument", "detector", "visit"), false));
    Path calexps = ButlerZips.write(dir.resolve("calexps.zip"), HSC_INDEX);
    // another UUID for a raw of the same data ID and run, in the same call
    Path otherIds = ButlerZips.write(dir.resolve("other-ids.zip"),
        RAW_INDEX.replace(R22_S11, "00000000-0000-4000-8000-000000000001")
            .replace(R22_S12, "00000000-0000-4000-8000-000000000002"));
    Path raws = rawZip();

    Result result = ingester.ingest(registry, List.of(source(calexps), source(raws), source(otherIds)),
        Options.defaults());

    assertThat(result.datasets()).isEqualTo(2);
    assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(
        uri(calexps) + ": Given dataset type calexp(instrument, detector, visit) ExposureF is inconsistent with"
            + " database definition calexp(instrument, detector, visit) Exposure.",
        uri(otherIds) + ": Conflicting definition for dataset 00000000-0000-4000-8000-000000000001"
            + " (raw@{instrument=LSSTCam,detector=94,exposure=2025061400123} in run LSSTCam/raw/all): dataset "
            + R22_S11 + " already has that dataset type, data ID and run.");
    assertThat(strings("SELECT id::text FROM dataset ORDER BY detector")).containsExactly(R22_S11, R22_S12);

    // a zip that holds one of the two raws only, then the whole exposure: daf_butler refuses overlapping zips
    emptyRepository();
    String oneRaw = ButlerZips.with(RAW_INDEX, "{\"MC_O_20250614_000123_R22_S11.fits\": {\"info\": {\"formatter\":"
        + " \"lsst.obs.lsst.rawFormatter.LsstCamRawFormatter\", \"path\": \"MC_O_20250614_000123_R22_S11.fits\","
        + " \"storage_class\": \"Exposure\", \"component\": null, \"checksum\": null, \"file_size\": 1},"
        + " \"ids\": [\"" + R22_S11 + "\"]}}", "artifact_map");
    Path detector94 = ButlerZips.write(dir.resolve("detector94.zip"), oneRaw);
    assertThat(ingester.ingest(registry, List.of(source(detector94)), Options.defaults()).datasets()).isEqualTo(1);
    Result overlapping = ingester.ingest(registry, List.of(source(raws)), Options.defaults().withSkipExisting(true));
    assertThat(overlapping.rejections()).extracting(Rejection::reason).containsExactly(uri(raws) + ": The given zip"
        + " file from " + uri(raws) + " contains 1 datasets not known to this butler but also contains 1 datasets"
        + " already known to this butler. Currently butler can not ingest zip files with overlapping content.");
    assertThat(strings("SELECT id::text FROM dataset")).containsExactly(R22_S11);
  }

  @Test
  void whatOnlyTheDatabaseCanSeeRejectsItsZipAfterTheBulkTransactionIsRolledBack() throws Exception {
    // records without their instrument: the bulk insert fails on a foreign key, then each zip goes in alone
    Path noInstrument = ButlerZips.write(dir.resolve("no-instrument.zip"), ButlerZips.with(RAW_INDEX, "[]",
        "refs", "dimension_records", "instrument"));
    Path calexps = ButlerZips.write(dir.resolve("calexps.zip"), HSC_INDEX);

    Result result = ingester.ingest(registry, List.of(source(noInstrument), source(calexps)), Options.defaults());

    assertThat(result.datasets()).isEqualTo(2);
    assertThat(result.dimensionRecords()).isEqualTo(6);
    assertThat(result.rejections()).singleElement().satisfies(rejection -> {
      assertThat(rejection.uri()).isEqualTo(noInstrument.toString());
      assertThat(rejection.cause()).isEqualTo("org.postgresql.util.PSQLException");
      assertThat(rejection.reason()).startsWith(uri(noInstrument) + ": a data ID or dimension record names a"
          + " dimension record that is neither in the registry nor in the zip's index (").contains("LSSTCam");
    });
    assertThat(strings("SELECT name FROM instrument")).containsExactly("HSC");
    assertThat(strings("SELECT count(*)::text FROM exposure")).containsExactly("0");
  }

  @Test
  void aZipOverHttpIsReadWithRangeRequestsAndRecordedByItsUri() throws Exception {
    byte[] exposure = new byte[4 * 1024 * 1024];
    new Random(7).nextBytes(exposure);
    Path zip = ButlerZips.write(dir.resolve("raw/LSSTCam/20250614/MC_O_20250614_000123.zip"), RAW_INDEX,
        Map.of("MC_O_20250614_000123_R22_S22.fits", exposure));
    try (RangeServer server = new RangeServer(dir)) {
      String davs = server.uri("dav", "raw/LSSTCam/20250614/MC_O_20250614_000123.zip").toString();
      Result result = ingester.ingest(registry, List.of(new ZipSource(davs, Files.size(zip), "8b1bdc93")),
          Options.defaults());
      assertThat(result).isEqualTo(new Result(2, 0, 7, List.of(), result.contents()));
      assertThat(strings("SELECT path FROM file_datastore_records ORDER BY path")).containsExactly(
          davs + "#zip-path=MC_O_20250614_000123_R22_S11.fits", davs + "#zip-path=MC_O_20250614_000123_R22_S12.fits");
      assertThat(server.requests()).allSatisfy(request -> assertThat(request).contains(" bytes="));
      assertThat(server.bytesSent()).isLessThan(Files.size(zip) / 10);
    }
  }

  @Test
  void onlyTransferDirectAndAbsoluteLocations() throws Exception {
    assertThatThrownBy(() -> ingester.ingest(registry, List.of(source(rawZip())), new Options("copy", false)))
        .isInstanceOf(RegistryException.class).hasMessageContaining("transfer mode 'copy' is not supported");
    Result relative = ingester.ingest(registry, List.of(new ZipSource("raw/x.zip", null, null)), Options.defaults());
    assertThat(relative.rejections()).extracting(Rejection::reason).containsExactly("'raw/x.zip' is a relative path:"
        + " a zip is named by its absolute path or URI");
  }

  /** Every row the ingest writes, to compare before and after. */
  private List<String> everything() throws Exception {
    List<String> rows = new ArrayList<>();
    for (String table : List.of("dataset", "file_datastore_records", "collection", "dataset_type", "instrument",
        "detector", "exposure", "day_obs", "\"group\"", "physical_filter")) {
      strings("SELECT t::text FROM " + table + " t ORDER BY 1").forEach(row -> rows.add(table + " " + row));
    }
    return rows;
  }

  private List<String> strings(String sql) {
    return RegistryRows.strings(registry, sql);
  }
}
