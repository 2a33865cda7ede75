package io.autobutler.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

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
}
