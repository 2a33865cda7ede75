package io.autobutler.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.manifest.CampaignManifest.ReplicaFacts;
import io.autobutler.core.manifest.CampaignManifest.Rule;

class ManifestReaderTest {

  private static final Path FRDF = Path.of("../deploy/campaigns/frdf-comcam/manifest.yaml");

  private static final String MINIMAL = """
      manifest-version: 1
      name: small
      repository:
        name: small
        seed: {registry: {db: "postgresql://127.0.0.1:5432/autobutler", namespace: small}}
      rucio: {rse: IN2P3_RAW_DISK}
      rules:
        - name: raws
          match: {scope: raw, dataset: Dataset/LSSTComCam/raw/*}
          action: ingest-raws
          instrument: LSSTComCam
      """;

  @Test
  void theFrdfManifestDeclaresRtn103sRepository() {
    CampaignManifest manifest = ManifestReader.read(FRDF);
    assertThat(manifest.repository().name()).isEqualTo("ccms1");
    assertThat(manifest.rucio().rse()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(manifest.setup().curatedCalibrations()).singleElement()
        .satisfies(c -> assertThat(c.label()).isEqualTo("DM-48650"));
    assertThat(manifest.chains()).extracting(CampaignManifest.Chain::name).containsExactly("LSSTComCam/calib",
        "refcats", "pretrained_models", "LSSTComCam/calib/fgcmcal", "LSSTComCam/DP1/defaults");
    assertThat(manifest.chains().get(0).children()).hasSize(12).endsWith("LSSTComCam/calib/DM-48650/unbounded");
    assertThat(manifest.expectations().detectorsPerExposure()).containsEntry("LSSTComCam", 9);
    assertThat(manifest.expectations().counts()).extracting(CampaignManifest.ExpectedCount::count)
        .containsExactly(148845L, 19201L);
    assertThat(manifest.expectations().calibrations()).isEqualTo(new CampaignManifest.CalibrationCoverage(
        "LSSTComCam/raw/DP1-RC3/DM-49594", "LSSTComCam/calib", java.util.List.of("bias", "dark", "flat")));

    Rule raws = rule(manifest, "raw", "Dataset/LSSTComCam/raw/20241108", "CC_O_20241108_000123_R22_S11.fits", null);
    assertThat(raws.action()).isEqualTo(Action.INGEST_RAWS);
    assertThat(raws.run()).isEqualTo("LSSTComCam/raw/all");
    assertThat(raws.defineVisits()).isTrue();
    Rule ticket = rule(manifest, "ancillary", "Dataset/LSSTComCam/dstyps/DM-48520", "flat.fits", "data_product");
    assertThat(ticket.action()).isEqualTo(Action.IMPORT);
    assertThat(ticket.exportFileFor("Dataset/LSSTComCam/dstyps/DM-48520"))
        .isEqualTo("calibration-exports/DM-48520/export.yaml");
    assertThat(Path.of("../deploy/campaigns/frdf-comcam").resolve(ticket.exportFileFor("x/DM-48520"))).isRegularFile();
    Rule shard = rule(manifest, "raw", "Dataset/refcats/the_monster_20240219_7", "1234.fits", null);
    assertThat(shard.datasetType()).isEqualTo("the_monster_20250219");
    assertThat(rule(manifest, "raw", "Dataset/LSSTCam/raw/Obs/20250614/x", "x.zip", "zip_file").action())
        .isEqualTo(Action.INGEST_ZIP);
    assertThat(manifest.ruleFor(new ReplicaFacts("raw", "Dataset/other/thing", "x.fits", null))).isEmpty();
  }

  private static Rule rule(CampaignManifest manifest, String scope, String dataset, String file, String rubinButler) {
    return manifest.ruleFor(new ReplicaFacts(scope, dataset, file, rubinButler)).orElseThrow();
  }

  @Test
  void defaultsAreFilledIn() {
    CampaignManifest manifest = ManifestReader.parse(MINIMAL, "small.yaml");
    assertThat(manifest.rules().get(0).run()).isEqualTo("LSSTComCam/raw/all");
    assertThat(manifest.chains()).isEmpty();
    assertThat(manifest.setup().instruments()).isEmpty();
    assertThat(manifest.expectations().counts()).isEmpty();
    assertThat(manifest.expectations().calibrations()).isNull();
  }

  @Test
  void calibrationCoverageNeedsItsDatasetTypes() {
    String withCoverage = MINIMAL + "expectations:\n  calibrations: {selection: s, collection: LSSTComCam/calib}\n";
    assertThatThrownBy(() -> ManifestReader.parse(withCoverage, "small.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessage("small.yaml: expectations.calibrations.dataset-types is missing: the calibration dataset types"
            + " each exposure needs (bias, dark, flat, ...)");
  }

  @Test
  void mistakesAreReportedWithTheirPlace() {
    assertError(MINIMAL.replace("rucio: {rse", "rucio: {rze"),
        "small.yaml: unknown key 'rze' at rucio (line 6); allowed: rse, scopes");
    assertError(MINIMAL.replace("action: ingest-raws", "action: ingest-raw"), "unknown action 'ingest-raw'; known"
        + " actions: ingest-raws, import, ingest-files, sidecar, ingest-zip, import-dimensions");
    assertError(MINIMAL.replace("    instrument: LSSTComCam\n", ""), "small.yaml: rules[0] (raws).instrument is missing");
    assertError(MINIMAL.replace("manifest-version: 1", "manifest-version: 2"),
        "small.yaml: manifest-version is 2; this autobutler reads version 1");
    assertError(MINIMAL.replace("namespace: small", "namespace: Small-1"), "small.yaml: repository.seed"
        + " registry.namespace: 'Small-1' is not a valid namespace");
    assertError(MINIMAL.replace("match: {scope: raw, dataset: Dataset/LSSTComCam/raw/*}", "match: {}"),
        "rules[0] (raws) needs a match with at least one of scope, dataset, file, rubin-butler");
    assertError(MINIMAL + "  - name: raws\n    match: {scope: x}\n    action: sidecar\n",
        "rules[1] (raws) has the same name as an earlier rule");
    assertError(MINIMAL + "    define-visits: [oops]\n", "rules[0].define-visits");
    assertError(MINIMAL.replace("name: small\n", "name: small\n  - oops\n"), "small.yaml: not valid YAML (line 5): while parsing a block mapping; expected <block end>, but found '-'");
    assertError(MINIMAL + "chains:\n  - {name: a, children: [b]}\n  - {name: b, children: [c, a]}\n",
        "small.yaml: chains have a cycle: a -> b -> a");
    assertError(MINIMAL + "tagged:\n  - {name: t, dataset-type: raw, collections: [r], where: x, exposures: [1]}\n",
        "tagged[0] (t) needs exactly one of 'where' (a query) and 'exposures' (a list of exposure ids)");
    assertError(MINIMAL + "chains:\n  - {name: t, children: [r]}\ntagged:\n"
        + "  - {name: t, dataset-type: raw, collections: [r], exposures: [1]}\n", "tagged[0] (t) is declared twice");
    assertError("", "small.yaml: the manifest is empty");
  }

  @Test
  void localFilesTheManifestNamesMustExist(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("manifest.yaml");
    Files.writeString(file, MINIMAL + """
          - name: models
            match: {dataset: Dataset/LSSTComCam/dstyps/pretrained-models}
            action: import
            export-file: pretrained-models-export.yaml
        """);
    assertThatThrownBy(() -> ManifestReader.read(file)).isInstanceOf(ManifestException.class)
        .hasMessageContaining("pretrained-models-export.yaml is not a file next to the manifest");
    Files.writeString(dir.resolve("pretrained-models-export.yaml"), "data: []\n");
    assertThat(ManifestReader.read(file).rules()).extracting(Rule::name).isEqualTo(List.of("raws", "models"));
  }

  private static void assertError(String yaml, String expected) {
    assertThatThrownBy(() -> ManifestReader.parse(yaml, "small.yaml")).isInstanceOf(ManifestException.class)
        .hasMessageContaining(expected);
  }
}
