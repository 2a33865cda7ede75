package io.autobutler.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.CliException;
import io.autobutler.cli.ProjectHome;
import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.core.campaign.CampaignGenerator;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestReader;

/** The demo's manifest: RTN-103's with local roots and the campaign's counts, everything else unchanged. */
class DemoCommandTest {

  private static final Path SOURCE = ProjectHome.locate(Map.of()).resolve(DemoManifest.SOURCE);
  private static final String SIMULATOR = "http://127.0.0.1:28085";

  @TempDir
  Path campaign;

  /** The files the generator writes under the names the manifest uses (their content does not matter here). */
  private void campaignFiles() throws Exception {
    for (String ticket : CampaignGenerator.tickets()) {
      Path export = campaign.resolve(CampaignGenerator.ticketExportFile(ticket));
      Files.createDirectories(export.getParent());
      Files.writeString(export, "");
    }
    for (String name : List.of(CampaignGenerator.MODELS_EXPORT_FILE, CampaignGenerator.FGCM_EXPORT_FILE,
        CampaignGenerator.SSO_EXPORT_FILE, CampaignGenerator.REFCAT_2024_TABLE, CampaignGenerator.REFCAT_2025_TABLE)) {
      Files.writeString(campaign.resolve(name), "");
    }
  }

  private static CampaignGenerator.Summary summary(int raws, int science) {
    return new CampaignGenerator.Summary(CampaignGenerator.VERSION, "small", CampaignGenerator.SEED, raws, science,
        raws / 9, raws + 100, Map.of(), Map.of());
  }

  @Test
  void theDemoManifestIsRtn103sWithLocalRootsAndTheCampaignsCounts() throws Exception {
    campaignFiles();
    Path written = DemoManifest.write(SOURCE, campaign, new DemoManifest.Roots("file:///state/datastore/ccms1/",
        "postgresql://127.0.0.1:5432/autobutler_demo_small", SIMULATOR), summary(4651, 600));
    assertThat(written).isEqualTo(campaign.resolve("manifest.yaml"));
    CampaignManifest demo = ManifestReader.read(written);
    CampaignManifest rtn103 = ManifestReader.read(SOURCE);

    assertThat(demo.name()).isEqualTo(rtn103.name() + "-demo-small");
    assertThat(demo.repository().name()).isEqualTo("ccms1");
    assertThat(demo.repository().seed()).isEqualTo(Map.of(
        "datastore", Map.of("name", "ccms1", "root", "file:///state/datastore/ccms1/"),
        "registry", Map.of("db", "postgresql://127.0.0.1:5432/autobutler_demo_small", "namespace", "ccms1")));
    assertThat(demo.rucio()).isEqualTo(rtn103.rucio());
    assertThat(demo.chains()).isEqualTo(rtn103.chains());
    assertThat(demo.tagged()).isEqualTo(rtn103.tagged());
    assertThat(demo.setup().curatedCalibrations()).isEqualTo(rtn103.setup().curatedCalibrations());
    assertThat(demo.setup().datasetTypes()).isEqualTo(rtn103.setup().datasetTypes());
    assertThat(demo.setup().skymaps()).singleElement().satisfies(s ->
        assertThat(Path.of(s.configFile())).isAbsolute().isRegularFile()
            .isEqualTo(SOURCE.getParent().resolve("lsst_cells_v1.skymap.config").toAbsolutePath()));
    assertThat(demo.expectations().detectorsPerExposure()).isEqualTo(rtn103.expectations().detectorsPerExposure());
    assertThat(demo.expectations().counts()).extracting(CampaignManifest.ExpectedCount::count)
        .containsExactly(4651L, 600L);
    assertThat(rtn103.expectations().counts()).extracting(CampaignManifest.ExpectedCount::count)
        .containsExactly(148_845L, 19_201L);

    assertThat(demo.rules()).hasSameSizeAs(rtn103.rules());
    for (int i = 0; i < demo.rules().size(); i++) {
      CampaignManifest.Rule mine = demo.rules().get(i);
      CampaignManifest.Rule theirs = rtn103.rules().get(i);
      assertThat(mine.match()).isEqualTo(theirs.match());
      assertThat(mine.action()).isEqualTo(theirs.action());
      assertThat(mine.run()).isEqualTo(theirs.run());
      assertThat(mine.exportFile()).isEqualTo(theirs.exportFile());
      assertThat(mine.table()).isEqualTo(theirs.table());
      if (theirs.directory() != null) {
        assertThat(mine.directory()).isEqualTo(theirs.directory().replace("davs://ccdavrubinint.in2p3.fr:2880",
            SIMULATOR)).startsWith(SIMULATOR + "/pnfs/in2p3.fr/lsst/instrument/");
      }
      if (theirs.prefix() != null) {
        assertThat(mine.prefix()).isEqualTo(theirs.prefix().replace("davs://ccdavrubinint.in2p3.fr:2880",
            SIMULATOR));
      }
    }
  }

  @Test
  void eachScaleHasADatabaseOfItsOwnWhateverARunningDemoRecorded() {
    JdbcUrl configured = JdbcUrl.parse("jdbc:postgresql://127.0.0.1:5432/autobutler");
    assertThat(DemoCommand.demoDatabase(configured, CampaignGenerator.Scale.SMALL).database())
        .isEqualTo("autobutler_demo_small");
    assertThat(DemoCommand.demoDatabase(configured.withDatabase("autobutler_demo_small"),
        CampaignGenerator.Scale.FULL).database()).isEqualTo("autobutler_demo_full");
    assertThat(DemoCommand.demoDatabase(configured.withDatabase("autobutler_demo_full"),
        CampaignGenerator.Scale.FULL).database()).isEqualTo("autobutler_demo_full");
  }

  @Test
  void filesTheCampaignLacksAreTheSourcesAndCountsTheDemoCannotKnowAreRefused() throws Exception {
    // no generated files at all: every file the manifest names is the source's own
    Path written = DemoManifest.write(SOURCE, campaign, new DemoManifest.Roots("file:///d/", "postgresql://h/db",
        SIMULATOR), summary(9, 1));
    CampaignManifest demo = ManifestReader.read(written);
    assertThat(demo.rules()).filteredOn(r -> r.exportFile() != null)
        .allSatisfy(r -> assertThat(r.exportFile()).startsWith(SOURCE.getParent().toAbsolutePath() + "/"));

    Path odd = Files.writeString(campaign.resolve("odd.yaml"), Files.readString(SOURCE).replace(
        "where: \"exposure.observation_type='science'\"", "where: \"exposure.observation_type='bias'\""));
    assertThatThrownBy(() -> DemoManifest.write(odd, campaign, new DemoManifest.Roots("file:///d/",
        "postgresql://h/db", SIMULATOR), summary(9, 1)))
        .isInstanceOf(CliException.class).hasMessageContaining("count 'science raws'");
  }
}
