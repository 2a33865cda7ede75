package io.autobutler.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.ingest.RawTranslation;
import io.autobutler.core.ingest.files.IngestTable;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.sidecar.SidecarRef;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.transfer.CalibrationAssociationsBlock;
import io.autobutler.core.transfer.DatasetBlock;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportFileWriter;
import io.autobutler.core.transfer.FileDatasetData;
import io.autobutler.core.transfer.RepositoryImporter;
import io.autobutler.core.transfer.ValidityRange;
import io.autobutler.testsupport.PostgresServer;

/** The campaign generator at the small scale (written once for the class) and the full scale's counts. */
class CampaignGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FRDF = Path.of("../deploy/campaigns/frdf-comcam");

  @TempDir
  static Path folder;
  static CampaignGenerator.Summary summary;
  static List<JsonNode> catalogue;

  @BeforeAll
  static void generate() throws IOException {
    summary = CampaignGenerator.write(CampaignGenerator.Scale.SMALL, folder);
    catalogue = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve(CampaignGenerator.CATALOGUE))) {
      catalogue.add(JSON.readTree(line));
    }
  }

  @Test
  void theFullScaleHasRtn103sCountsAndTheSmallOneAThirtySecondOfThem() {
    SyntheticRaws.IndexedCampaign full = SyntheticRaws.indexed(CampaignGenerator.Scale.FULL.raws(),
        CampaignGenerator.SEED, "LSSTComCam");
    assertThat(full.raws()).isEqualTo(148_845);
    assertThat(full.scienceRaws()).isEqualTo(19_201);
    assertThat(full.exposures()).as("RTN-103: about 16,000 exposures of 9 detectors").isBetween(16_500, 16_700);
    assertThat(CampaignGenerator.Scale.FULL.scienceRaws()).isEqualTo(19_201);

    assertThat(summary.raws()).isEqualTo(4_651).isEqualTo(CampaignGenerator.Scale.SMALL.raws());
    assertThat(summary.scienceRaws()).isEqualTo(600).isEqualTo(CampaignGenerator.Scale.SMALL.scienceRaws());
    assertThat(CampaignGenerator.read(folder)).contains(summary);
    assertThatThrownBy(() -> CampaignGenerator.Scale.parse("huge")).hasMessageContaining("small, full");
  }

  @Test
  void theCatalogueNamesRtn103sRucioDatasetsAndEveryFileIsWritten() throws IOException {
    assertThat(catalogue).hasSize(summary.files());
    Map<String, Integer> datasets = new LinkedHashMap<>();
    for (JsonNode line : catalogue) {
      datasets.merge(line.get("scope").asText() + ":" + line.get("dataset").asText(), 1, Integer::sum);
      Path file = folder.resolve(line.get("file").asText());
      assertThat(file).isRegularFile();
      assertThat(line.get("file").asText()).isEqualTo(CampaignGenerator.RSE + "/" + line.get("scope").asText() + "/"
          + line.get("name").asText());
    }
    assertThat(datasets).isEqualTo(summary.rucioDatasets());
    List<String> names = new ArrayList<>(datasets.keySet());
    assertThat(names.subList(0, 10)).containsExactlyElementsOf(CampaignGenerator.tickets().stream()
        .map(t -> "ancillary:Dataset/LSSTComCam/dstyps/" + t).toList());
    assertThat(names).contains("ancillary:Dataset/LSSTComCam/dstyps/pretrained-models",
        "ancillary:Dataset/LSSTComCam/dstyps/fgcmLookUpTable", "ancillary:Dataset/LSSTComCam/dstyps/DM-49977",
        "raw:Dataset/refcats/the_monster_20240904", "raw:Dataset/refcats/the_monster_20240219_1",
        "raw:Dataset/refcats/the_monster_20240219_14", "raw:Dataset/LSSTComCam/raw/20241024");
    assertThat(names.stream().filter(n -> n.startsWith("raw:Dataset/refcats/the_monster_20240219_"))).hasSize(14);
    assertThat(names.stream().filter(n -> n.startsWith("raw:Dataset/LSSTComCam/raw/"))).hasSize(48)
        .allMatch(n -> n.matches("raw:Dataset/LSSTComCam/raw/2024(10|11|12)\\d\\d"));
    // the raws land last, night after night
    assertThat(names.get(names.size() - 1)).isEqualTo("raw:Dataset/LSSTComCam/raw/20241210");
  }

  @Test
  void rawsCarryTheirDatasetRefAndEachExposureFolderItsIndex() throws IOException {
    int raws = 0;
    int science = 0;
    Map<String, Integer> indexes = new HashMap<>();
    for (JsonNode line : catalogue) {
      String name = line.get("name").asText();
      if (!line.get("scope").asText().equals("raw") || name.startsWith("refcats/")) {
        continue;
      }
      assertThat(name).matches("LSSTComCam/2024\\d{4}/CC_O_2024\\d{4}_\\d{6}/.*");
      String folderName = name.substring(0, name.lastIndexOf('/') + 1);
      if (name.endsWith(IndexFile.NAME)) {
        assertThat(line.has("meta")).as("an index file has no Rubin metadata").isFalse();
        indexes.merge(folderName, 1, Integer::sum);
        continue;
      }
      raws++;
      assertThat(line.at("/meta/rubin_butler").asText()).isEqualTo("raw_file");
      SidecarRef ref = SidecarRef.parse(line.at("/meta/rubin_sidecar").asText());
      IndexFile index = IndexFile.parse(folder.resolve(CampaignGenerator.RSE + "/raw/" + folderName).toUri(),
          Files.readString(folder.resolve(CampaignGenerator.RSE + "/raw/" + folderName + IndexFile.NAME)));
      ObservationInfo info = index.entries().stream().filter(e -> e.file().toString().endsWith(
          name.substring(name.lastIndexOf('/')))).findFirst().orElseThrow().info();
      Map<String, Object> dataId = RawTranslation.dataId(info);
      assertThat(ref.id()).isEqualTo(DatasetIds.forRun("raw", SyntheticRaws.RUN, dataId));
      assertThat(ref.dataId()).containsAllEntriesOf(dataId).containsEntry("physical_filter", info.physicalFilter())
          .containsKeys("band", "day_obs", "group");
      assertThat(ref.run()).isEqualTo("LSSTComCam/raw/all");
      science += "science".equals(info.observationType()) ? 1 : 0;
    }
    assertThat(raws).isEqualTo(summary.raws());
    assertThat(science).isEqualTo(summary.scienceRaws());
    assertThat(indexes).hasSize(summary.exposures()).allSatisfy((f, n) -> assertThat(n).isOne());
  }

  /**
   * The contract with the verifier: every science exposure's detectors find a bias, a dark and a flat of the
   * exposure's filter certified in the LSSTComCam/calib tickets over a range containing the exposure's timespan.
   */
  @Test
  void theCalibrationTicketsCoverEveryScienceExposure() throws IOException {
    record Certified(String type, Map<String, Object> dataId, ValidityRange range) {
    }
    List<Certified> certified = new ArrayList<>();
    for (String ticket : CampaignGenerator.tickets()) {
      ExportFile export = new ExportFileReader().read(folder.resolve(CampaignGenerator.ticketExportFile(ticket)));
      Map<UUID, String> typeOf = new HashMap<>();
      Map<UUID, Map<String, Object>> dataIdOf = new HashMap<>();
      for (DatasetBlock block : export.blocks(DatasetBlock.class)) {
        for (FileDatasetData file : block.records()) {
          file.refs().forEach(ref -> {
            typeOf.put(ref.id(), block.datasetType());
            dataIdOf.put(ref.id(), ref.dataId());
          });
        }
      }
      for (CalibrationAssociationsBlock block : export.blocks(CalibrationAssociationsBlock.class)) {
        assertThat(block.collection()).startsWith("LSSTComCam/calib/" + ticket + "/");
        for (ValidityRange range : block.validityRanges()) {
          range.datasetIds().forEach(id -> certified.add(new Certified(typeOf.get(id), dataIdOf.get(id), range)));
        }
      }
    }
    SyntheticRaws.IndexedCampaign raws = SyntheticRaws.indexed(summary.raws(), CampaignGenerator.SEED, "x");
    int checked = 0;
    for (SyntheticRaws.ExposureFolder exposure : raws.folders()) {
      for (ObservationInfo info : exposure.raws().values()) {
        if (!"science".equals(info.observationType())) {
          continue;
        }
        for (String type : List.of("bias", "dark", "flat")) {
          Map<String, Object> wanted = new TreeMap<>(Map.of("instrument", "LSSTComCam", "detector",
              info.detectorNum()));
          if (type.equals("flat")) {
            wanted.put("physical_filter", info.physicalFilter());
          }
          assertThat(certified.stream().anyMatch(c -> c.type().equals(type)
              && new TreeMap<>(c.dataId()).equals(wanted) && contains(c.range(), info.datetimeBegin())
              && contains(c.range(), info.datetimeEnd())))
              .as("a %s of %s certified over exposure %d", type, wanted, info.exposureId()).isTrue();
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(3 * summary.scienceRaws());
  }

  private static boolean contains(ValidityRange range, TaiTime time) {
    return range.timespan().contains(time);
  }

  @Test
  void theModelsAndFgcmExportFilesAreRtn103sOwn() throws IOException {
    for (String name : List.of(CampaignGenerator.MODELS_EXPORT_FILE, CampaignGenerator.FGCM_EXPORT_FILE)) {
      ExportFileWriter writer = new ExportFileWriter();
      assertThat(writer.write(new ExportFileReader().read(folder.resolve(name))))
          .as(name).isEqualTo(writer.write(new ExportFileReader().read(FRDF.resolve(name))));
    }
  }

  @Test
  void refcatTablesNameEveryShardOfTheirRucioDatasets() throws IOException {
    for (String version : List.of("20240904", "20250219")) {
      IngestTable table = IngestTable.parse(Files.readString(folder.resolve("the_monster_" + version + ".ecsv")),
          IngestTable.Format.ECSV);
      assertThat(table.columns()).containsExactly("filename", "htm7");
      List<String> shards = catalogue.stream().map(l -> l.get("name").asText())
          .filter(n -> n.startsWith("refcats/the_monster_" + version + "/"))
          .map(n -> n.substring(n.lastIndexOf('/') + 1)).toList();
      assertThat(table.rows()).extracting(r -> r.values().get(0)).containsExactlyElementsOf(shards);
      assertThat(shards).hasSize(2 * 14);
    }
  }

  @Test
  void everyExportImportsIntoARegistryWithTheCountsOfTheSummary() throws IOException {
    Registry registry = new Registry(PostgresServer.preferred().createDatabase("campaign_generator").dataSource(),
        "campaign");
    RegistryMigrations.migrateRegistry(registry.dataSource(), "campaign");
    Instruments.LSST_COM_CAM.register(registry);
    List<String> exports = new ArrayList<>(CampaignGenerator.tickets().stream()
        .map(CampaignGenerator::ticketExportFile).toList());
    exports.addAll(List.of(CampaignGenerator.MODELS_EXPORT_FILE, CampaignGenerator.FGCM_EXPORT_FILE,
        CampaignGenerator.SSO_EXPORT_FILE));
    for (String export : exports) {
      RepositoryImporter.Result result = new RepositoryImporter().importFile(registry,
          new ExportFileReader().read(folder.resolve(export)), "https://rse.example/ancillary/", Set.of());
      assertThat(result.datasets()).as(export).isPositive();
      assertThat(result.dimensionRecords()).as("%s: the instrument's records are register-instrument's", export)
          .isEqualTo(export.equals(CampaignGenerator.SSO_EXPORT_FILE) ? 2 : 0);
    }
    Map<String, Integer> counts = registry.transaction(c -> {
      Map<String, Integer> byRun = new TreeMap<>();
      try (var ps = c.prepareStatement("SELECT r.name, count(*) FROM dataset d JOIN collection r"
          + " ON r.collection_id = d.run_id GROUP BY r.name"); var rs = ps.executeQuery()) {
        while (rs.next()) {
          byRun.put(rs.getString(1), rs.getInt(2));
        }
      }
      return byRun;
    });
    Map<String, Integer> expected = new TreeMap<>(summary.datasetsByRun());
    expected.keySet().removeIf(run -> run.startsWith("refcats/") || run.equals(SyntheticRaws.RUN));
    assertThat(counts).isEqualTo(expected);
  }

  @Test
  void theSameScaleGivesTheSameFiles(@TempDir Path again) throws Exception {
    CampaignGenerator.write(CampaignGenerator.Scale.SMALL, again);
    assertThat(digest(again)).isEqualTo(digest(folder));
    assertThatThrownBy(() -> CampaignGenerator.write(CampaignGenerator.Scale.SMALL, again))
        .hasMessageContaining("is not empty");
  }

  /** One digest of every file's relative name and content. */
  private static String digest(Path root) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        md5.update(root.relativize(file).toString().getBytes());
        md5.update(Files.readAllBytes(file));
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }
}
