package io.autobutler.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.autobutler.core.ingest.RawIngester;
import io.autobutler.core.ingest.index.IndexEntry;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportFileWriter;
import io.autobutler.core.transfer.RepositoryImporter;
import io.autobutler.testsupport.PostgresServer;

class SyntheticRawsTest {

  @Test
  void generatedRawsImportAndTheScienceQueryFindsExactlyThem() {
    SyntheticRaws.Campaign campaign = SyntheticRaws.generate(2000, 7, "davs://host:2880/raw/LSSTComCam");
    assertThat(campaign.raws()).isEqualTo(2000);
    assertThat(campaign.scienceRaws()).isBetween(100, 500);
    assertThat(campaign.exposures()).isGreaterThanOrEqualTo(2000 / 9);
    // The generated file is a valid export: written and read back unchanged.
    String text = new ExportFileWriter().write(campaign.exportFile());
    assertThat(new ExportFileWriter().write(new ExportFileReader().read(text))).isEqualTo(text);

    Registry registry = new Registry(PostgresServer.preferred().createDatabase("synthetic").dataSource(), "bench");
    RegistryMigrations.migrateRegistry(registry.dataSource(), "bench");
    var comCam = Instruments.require("lsst.obs.lsst.LsstComCam");
    registry.transaction(c -> {
      registry.dimensions().insert(c, "instrument", List.of(comCam.instrumentRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "detector", comCam.detectorRecords(), Mode.SYNC);
      return registry.dimensions().insert(c, "physical_filter", comCam.physicalFilterRecords(), Mode.SYNC);
    });
    RepositoryImporter.Result result = new RepositoryImporter().importFile(registry, campaign.exportFile(),
        "davs://host:2880/raw/LSSTComCam", Set.of());
    assertThat(result.datasets()).isEqualTo(2000);

    DatasetQuery.Result science = registry.transaction(c -> new DatasetQuery().query(c, new DatasetQuery.Request(
        List.of("raw"), List.of(SyntheticRaws.RUN), "exposure.observation_type='science'", Map.of(), false, 0, false)));
    assertThat(science.tables().get(0).rows()).hasSize(campaign.scienceRaws());
  }

  @Test
  void theIndexedCampaignIngestsToTheVeryRecordsOfTheExportFile() {
    String root = "davs://host:2880/raw/LSSTComCam";
    SyntheticRaws.Campaign campaign = SyntheticRaws.generate(300, 11, root);
    SyntheticRaws.IndexedCampaign indexed = SyntheticRaws.indexed(300, 11, root);
    assertThat(indexed.raws()).isEqualTo(campaign.raws());
    assertThat(indexed.exposures()).isEqualTo(campaign.exposures());
    assertThat(indexed.scienceRaws()).isEqualTo(campaign.scienceRaws());

    DataSource dataSource = PostgresServer.preferred().createDatabase("synthetic_indexed").dataSource();
    Registry imported = comCamRegistry(dataSource, "imported");
    new RepositoryImporter().importFile(imported, campaign.exportFile(), root, Set.of());
    Registry ingested = comCamRegistry(dataSource, "ingested");
    List<RawIngester.RawFile> files = new ArrayList<>();
    for (SyntheticRaws.ExposureFolder folder : indexed.folders()) {
      // through the _index.json text, as a backfill reads it
      IndexFile index = IndexFile.parse(URI.create(folder.uri() + IndexFile.NAME), IndexFile.toJson(folder.raws()));
      assertThat(index.entries()).extracting(IndexEntry::info).containsExactlyElementsOf(folder.raws().values());
      index.entries().forEach(e -> files.add(new RawIngester.RawFile(e.file().toString(), null, null, e.info())));
    }
    RawIngester.Result result = new RawIngester().ingest(ingested, files, RawIngester.Options.defaults());
    assertThat(result.rejections()).isEmpty();
    assertThat(result.newDatasets()).isEqualTo(300);

    for (String sql : List.of("SELECT * FROM exposure ORDER BY id", "SELECT * FROM day_obs ORDER BY id",
        "SELECT * FROM \"group\" ORDER BY name", "SELECT id, data_id_key FROM dataset ORDER BY id",
        "SELECT dataset_id, path, formatter, storage_class FROM file_datastore_records ORDER BY dataset_id")) {
      assertThat(rows(ingested, sql)).as(sql).isEqualTo(rows(imported, sql));
    }
  }

  private static Registry comCamRegistry(DataSource dataSource, String namespace) {
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    Registry registry = new Registry(dataSource, namespace);
    var comCam = Instruments.LSST_COM_CAM;
    registry.transaction(c -> {
      registry.dimensions().insert(c, "instrument", List.of(comCam.instrumentRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "detector", comCam.detectorRecords(), Mode.SYNC);
      return registry.dimensions().insert(c, "physical_filter", comCam.physicalFilterRecords(), Mode.SYNC);
    });
    return registry;
  }

  private static List<String> rows(Registry registry, String sql) {
    return registry.transaction(c -> {
      List<String> rows = new ArrayList<>();
      try (var ps = c.prepareStatement("SELECT t::text FROM (" + sql + ") t"); var rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    });
  }
}
