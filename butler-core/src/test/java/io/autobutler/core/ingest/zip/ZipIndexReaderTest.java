package io.autobutler.core.ingest.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.zip.ZipIndex.Artifact;
import io.autobutler.core.ingest.zip.ZipIndexReader.ZipContents;
import io.autobutler.testsupport.ButlerZips;
import io.autobutler.testsupport.ButlerZips.RangeServer;

/** Reading a butler zip's index: only its end, its central directory and the index member are read. */
class ZipIndexReaderTest {

  private static final String WITH_RECORDS = ButlerZips.index("zip_index_with_records.json");
  private final ZipIndexReader reader = new ZipIndexReader(new DatastoreFiles());

  @TempDir
  Path dir;

  @Test
  void dafButlersIndexWithRecordsIsReadWithItsRefsArtifactsAndRecords() throws Exception {
    Path zip = ButlerZips.write(dir.resolve("calexps.zip"), WITH_RECORDS);
    ZipContents contents = reader.read(zip.toUri());

    assertThat(contents.size()).isEqualTo(Files.size(zip));
    assertThat(contents.members()).containsKey(ZipIndex.INDEX_NAME).hasSize(3);
    ZipIndex index = contents.index();
    assertThat(index.universeVersion()).isEqualTo(7);
    assertThat(index.universeNamespace()).isEqualTo("daf_butler");
    assertThat(index.datasetTypes().get("calexp")).isEqualTo(new ZipIndex.IndexedDatasetType("calexp", "ExposureF",
        List.of("instrument", "detector", "visit"), false, null));
    ZipIndex.IndexedRef ref = index.refs().get(UUID.fromString("11bb2876-2c68-4cc0-9fc2-dc81ea7a3cf2"));
    assertThat(ref.run()).isEqualTo("HSC/runs/ci_hsc/20250429T001504Z");
    assertThat(ref.dataId()).containsEntry("instrument", "HSC").containsEntry("detector", 16L)
        .containsEntry("visit", 903988L).containsEntry("physical_filter", "HSC-I");
    assertThat(index.datasetCount()).isEqualTo(2);
    Artifact first = index.artifacts().get(0);
    assertThat(first.formatter()).isEqualTo("lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter");
    assertThat(first.storageClass()).isEqualTo("ExposureF");
    assertThat(first.component()).isNull();
    assertThat(first.fileSize()).isEqualTo(58870080L);
    assertThat(first.ids()).containsExactly(UUID.fromString("11bb2876-2c68-4cc0-9fc2-dc81ea7a3cf2"));

    // records in universe order, keyed as the registry takes them; band (no table) left out
    assertThat(index.dimensionRecords().keySet()).containsExactly("instrument", "day_obs", "detector",
        "physical_filter", "visit", "visit_detector_region");
    assertThat(index.dimensionRecords().get("instrument")).containsExactly(Map.of("name", "HSC", "visit_max",
        21474800L, "visit_system", 0L, "exposure_max", 21474800L, "detector_max", 200L, "class_name",
        "lsst.obs.subaru.HyperSuprimeCam"));
    assertThat(index.dimensionRecords().get("day_obs").get(0)).containsEntry("instrument", "HSC")
        .containsEntry("id", 20131102L).containsEntry("datetime_begin", 1383350400000000000L)
        .containsEntry("datetime_end", 1383436800000000000L);
    Map<String, Object> visit = index.dimensionRecords().get("visit").get(0);
    assertThat(visit).containsEntry("id", 903988L).containsEntry("day_obs", 20131102L)
        .containsEntry("physical_filter", "HSC-I").containsEntry("name", "HSCA90398800")
        .containsEntry("exposure_time", 30.0).containsEntry("science_program", "o13015")
        .containsEntry("datetime_begin", 1383369626658000000L);
    assertThat(Base64.getDecoder().decode((String) visit.get("region"))).startsWith(0x70);
    Map<String, Object> region = index.dimensionRecords().get("visit_detector_region").get(0);
    assertThat(region).containsEntry("detector", 16L).containsEntry("visit", 903988L).containsEntry("region",
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex("70df986845fbe6e83f15be986a5d18e4bf918efe23718f7f"
            + "bf6d76f1325be7e83f6e9c70ee1218e4bf6730f6f5a07377bfe1e5dad5a4d4e83f914617922c2fe4bfd9d2362150bd77bf778e1e"
            + "6d62d4e83f75c4a4e0502fe4bfe6235a7f78f67fbf")));
  }

  @Test
  void overHttpOnlyTheEndTheDirectoryAndTheIndexTravelWithRangeRequests() throws Exception {
    byte[] exposure = new byte[6 * 1024 * 1024];
    new Random(42).nextBytes(exposure);
    Path zip = ButlerZips.write(dir.resolve("raw/LSSTCam/20250614/MC_O_20250614_000123.zip"),
        ButlerZips.index(ButlerZips.LSSTCAM_RAWS), Map.of("MC_O_20250614_000123_R22_S22.fits", exposure));
    try (RangeServer server = new RangeServer(dir)) {
      for (String scheme : List.of("http", "dav")) {
        ZipContents contents = reader.read(server.uri(scheme, "raw/LSSTCam/20250614/MC_O_20250614_000123.zip"));
        assertThat(contents.size()).isEqualTo(Files.size(zip));
        assertThat(contents.index().datasetCount()).isEqualTo(2);
        assertThat(contents.index().dimensionRecords().get("exposure").get(0))
            .containsEntry("obs_id", "MC_O_20250614_000123").containsEntry("group", "2025-06-14T23:10:05.123")
            .containsEntry("can_see_sky", true);
      }
      assertThat(server.requests()).hasSizeBetween(4, 8)
          .allSatisfy(request -> assertThat(request).matches("GET /raw/LSSTCam/20250614/MC_O_20250614_000123.zip"
              + " bytes=\\d*-\\d*"));
      // the tail (128 KiB at most) and the index: far less than the zip
      assertThat(server.bytesSent()).isLessThan(2 * (128 * 1024 + 4096)).isLessThan(Files.size(zip) / 10);
    }
  }

  @Test
  void rangedReadsOfTheDatastoreReadOnlyWhatIsAsked() throws Exception {
    byte[] content = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    Files.write(dir.resolve("f.bin"), content);
    DatastoreFiles files = new DatastoreFiles();
    try (RangeServer server = new RangeServer(dir)) {
      for (var uri : List.of(dir.resolve("f.bin").toUri(), server.uri("http", "f.bin"))) {
        assertThat(new String(files.readRange(uri, 3, 4), StandardCharsets.US_ASCII)).isEqualTo("3456");
        assertThat(new String(files.readRange(uri, 14, 10), StandardCharsets.US_ASCII)).isEqualTo("ef");
        assertThat(files.readRange(uri, 20, 4)).isEmpty();
        DatastoreFiles.Tail tail = files.readTail(uri, 5);
        assertThat(tail.size()).isEqualTo(16);
        assertThat(new String(tail.bytes(), StandardCharsets.US_ASCII)).isEqualTo("bcdef");
        assertThat(files.readTail(uri, 100).bytes()).isEqualTo(content);
      }
      assertThatThrownBy(() -> files.readTail(server.uri("http", "missing.zip"), 10))
          .isInstanceOf(FileNotFoundException.class).hasMessageContaining("missing.zip");
    }
  }

  @Test
  void zip64ZipsAndCentralDirectoriesBeyondTheTailAreRead() throws Exception {
    // More than 65,535 members: the end record points to ZIP64 records, the directory is larger than the tail.
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i < 70_000; i++) {
      many.put("m" + i, new byte[0]);
    }
    Path zip = ButlerZips.write(dir.resolve("many.zip"), WITH_RECORDS, many);
    ZipContents contents = reader.read(zip.toUri());
    assertThat(contents.members()).hasSize(70_003);
    assertThat(contents.index().datasetCount()).isEqualTo(2);
  }

  @Test
  void whatIsNotAButlerZipIsNamedWithWhatIsWrong() throws Exception {
    Path notZip = Files.writeString(dir.resolve("notes.zip"), "just some text, not a zip");
    assertThatThrownBy(() -> reader.read(notZip.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessage(DatastoreFiles.text(notZip.toUri()) + " is not a zip file: it has no end of central directory"
            + " record");

    Path plain = dir.resolve("plain.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(plain))) {
      out.putNextEntry(new java.util.zip.ZipEntry("a.fits"));
      out.write(1);
      out.closeEntry();
    }
    assertThatThrownBy(() -> reader.read(plain.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessage(DatastoreFiles.text(plain.toUri()) + " is not a butler zip: it has no _butler_zip_index.json"
            + " member");

    Path truncated = dir.resolve("truncated.zip");
    byte[] whole = Files.readAllBytes(ButlerZips.write(dir.resolve("whole.zip"), WITH_RECORDS));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 30));
    assertThatThrownBy(() -> reader.read(truncated.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessageContaining("truncated.zip is not a zip file");

    Path badJson = ButlerZips.write(dir.resolve("bad-json.zip"), "{\"index_version\": \"V1\", \"refs\": ");
    assertThatThrownBy(() -> reader.read(badJson.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessageStartingWith(DatastoreFiles.text(badJson.toUri()) + ": _butler_zip_index.json is not valid JSON");

    Path unknownRef = ButlerZips.write(dir.resolve("unknown-ref.zip"), ButlerZips.with(WITH_RECORDS,
        "[\"00000000-0000-0000-0000-000000000001\"]", "artifact_map",
        ButlerZips.members(WITH_RECORDS).get(0), "ids"));
    assertThatThrownBy(() -> reader.read(unknownRef.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessageContaining("unknown-ref.zip: _butler_zip_index.json is malformed: artifact_map['HSC/runs/ci_hsc/")
        .hasMessageEndingWith("holds dataset 00000000-0000-0000-0000-000000000001, which refs.compact_refs does not"
            + " define");

    Path shortRecord = ButlerZips.write(dir.resolve("short-record.zip"), ButlerZips.with(WITH_RECORDS,
        "[[\"HSC\", 16, \"0_30\"]]", "refs", "dimension_records", "detector"));
    assertThatThrownBy(() -> reader.read(shortRecord.toUri())).isInstanceOf(ZipIndexException.class)
        .hasMessageEndingWith("is malformed: refs.dimension_records.detector record [\"HSC\",16,\"0_30\"] has 3"
            + " values; universe 7 has 6 [instrument, id, full_name, name_in_raft, raft, purpose]");

    assertThatThrownBy(() -> reader.read(dir.resolve("absent.zip").toUri()))
        .isInstanceOf(FileNotFoundException.class).hasMessageContaining("absent.zip");
  }
}
