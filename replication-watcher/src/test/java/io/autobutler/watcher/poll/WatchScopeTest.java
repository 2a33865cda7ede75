package io.autobutler.watcher.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestReader;

/** The RSE, scopes and dataset globs the watcher takes from the campaign manifest, and the settings that win. */
class WatchScopeTest {

  private static final String HEADER = """
      manifest-version: 1
      name: watch-test
      repository:
        name: watched
        seed:
          datastore: {name: watched, root: 'file:///data/repo'}
          registry: {db: 'postgresql://localhost:5432/autobutler', namespace: watched}
      """;

  private static final CampaignManifest MANIFEST = ManifestReader.parse(HEADER + """
      rucio: {rse: TEST_RAW_DISK, scopes: [raw, ancillary]}
      rules:
        - name: raws
          match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}
          action: sidecar
        - name: tickets
          match: {scope: ancillary, dataset: 'Dataset/LSSTComCam/dstyps/DM-4[6-8]*'}
          action: sidecar
        - name: models
          match: {scope: ancillary, dataset: Dataset/LSSTComCam/dstyps/pretrained-models}
          action: sidecar
      """, "manifest.yaml");

  @Test
  void theManifestNamesTheRseScopesAndDatasetGlobs() {
    WatchScope scope = WatchScope.resolve(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(MANIFEST));

    assertThat(scope.rse()).isEqualTo("TEST_RAW_DISK");
    assertThat(scope.scopes()).containsExactly("raw", "ancillary");
    assertThat(scope.datasetPatterns()).containsExactly("Dataset/LSSTComCam/raw/*",
        "Dataset/LSSTComCam/dstyps/DM-4[6-8]*", "Dataset/LSSTComCam/dstyps/pretrained-models");
    assertThat(scope.watches("ancillary", "Dataset/LSSTComCam/dstyps/DM-47417")).isTrue();
    assertThat(scope.watches("ancillary", "Dataset/LSSTComCam/dstyps/DM-49977")).isFalse();
    assertThat(scope.watches("raw", "Dataset/LSSTComCam/raw/20241110")).isTrue();
    assertThat(scope.watches("other", "Dataset/LSSTComCam/raw/20241110")).isFalse();
    assertThat(scope.watches("raw", "Dataset/refcats/the_monster_20240904")).isFalse();
  }

  @Test
  void explicitSettingsWinOverTheManifest() {
    WatchScope scope = WatchScope.resolve(Optional.of("OTHER_DISK"), Optional.of(List.of("raw")),
        Optional.of(List.of("Dataset/*")), Optional.of(MANIFEST));

    assertThat(scope.rse()).isEqualTo("OTHER_DISK");
    assertThat(scope.scopes()).containsExactly("raw");
    assertThat(scope.datasetPatterns()).containsExactly("Dataset/*");

    WatchScope onlyRse = WatchScope.resolve(Optional.of("OTHER_DISK"), Optional.empty(), Optional.empty(),
        Optional.of(MANIFEST));
    assertThat(onlyRse.scopes()).containsExactly("raw", "ancillary");
  }

  @Test
  void withoutSettingsOrManifestTheDefaultsHold() {
    WatchScope scope = WatchScope.resolve(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(scope.rse()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(scope.scopes()).containsExactly("raw");
    assertThat(scope.datasetPatterns()).containsExactly("*");
  }

  @Test
  void aRuleWithoutDatasetCriterionWatchesEveryDatasetAndScopesComeFromTheRules() {
    CampaignManifest manifest = ManifestReader.parse(HEADER + """
        rucio: {rse: TEST_RAW_DISK}
        rules:
          - {name: raws, match: {scope: raw, dataset: 'Dataset/raw/*'}, action: sidecar}
          - {name: anything, match: {scope: extra}, action: sidecar}
          - {name: globbed, match: {scope: 'any*'}, action: sidecar}
        """, "manifest.yaml");

    WatchScope scope = WatchScope.resolve(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(manifest));

    assertThat(scope.scopes()).containsExactly("raw", "extra");
    assertThat(scope.datasetPatterns()).containsExactly("*");
  }

  @Test
  void aManifestWithoutAnyScopeIsAClearError() {
    CampaignManifest manifest = ManifestReader.parse(HEADER + """
        rucio: {rse: TEST_RAW_DISK}
        rules:
          - {name: all, match: {dataset: 'Dataset/*'}, action: sidecar}
        """, "manifest.yaml");

    assertThatThrownBy(() -> WatchScope.resolve(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(manifest))).hasMessageContaining("names no Rucio scope").hasMessageContaining("rucio.scopes");
  }

  @Test
  void rucioIsSearchedWithItsOnlyWildcardAndTheGlobFiltersWhatItFinds() {
    assertThat(WatchScope.searchPattern("Dataset/LSSTComCam/dstyps/DM-4[6-8]*"))
        .isEqualTo("Dataset/LSSTComCam/dstyps/DM-4*");
    assertThat(WatchScope.searchPattern("Dataset/raw/2024111?")).isEqualTo("Dataset/raw/2024111*");
    assertThat(WatchScope.searchPattern("Dataset/LSSTComCam/raw/*")).isEqualTo("Dataset/LSSTComCam/raw/*");
  }
}
