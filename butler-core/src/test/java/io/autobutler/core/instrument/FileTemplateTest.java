package io.autobutler.core.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FileTemplateTest {

  @Test
  void instrumentOnlyDatasetMatchesRtn103Export() {
    // RTN-103 DM-48089 export: fgcmLookUpTable, dimensions (instrument).
    String path = FileTemplate.DEFAULT.format("fgcmLookUpTable", "LSSTComCam/calib/fgcmcal/DM-48089",
        Map.of("instrument", "LSSTComCam"), Map.of());
    assertThat(path + ".fits").isEqualTo("LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/"
        + "fgcmLookUpTable_LSSTComCam_LSSTComCam_calib_fgcmcal_DM-48089.fits");
  }

  @Test
  void skymapDatasetMatchesDafButlerTestExport() {
    // daf_butler tests/data/registry/ci_hsc-subset-skymap.yaml.
    String path = FileTemplate.DEFAULT.format("skyMap", "skymaps", Map.of("skymap", "discrete/ci_hsc"), Map.of());
    assertThat(path).isEqualTo("skymaps/skyMap/skyMap_discrete_ci_hsc_skymaps");
  }

  @Test
  void rawTemplateForLsstCam() {
    Map<String, Object> dataId = new LinkedHashMap<>();
    dataId.put("instrument", "LSSTCam");
    dataId.put("detector", 94);
    dataId.put("exposure", 2025041500052L);
    dataId.put("band", "i");
    dataId.put("day_obs", 20250415);
    dataId.put("group", "2025-04-16T03:00:00.000");
    dataId.put("physical_filter", "i_39");
    Map<String, Map<String, ?>> records = Map.of(
        "exposure", Map.of("obs_id", "MC_O_20250415_000052", "day_obs", 20250415),
        "detector", Map.of("full_name", "R22_S11"));
    assertThat(FileTemplate.RAW.format("raw", "LSSTCam/raw/all", dataId, records))
        .isEqualTo("LSSTCam/raw/all/raw/20250415/MC_O_20250415_000052/"
            + "raw_LSSTCam_i_39_MC_O_20250415_000052_R22_S11_LSSTCam_raw_all");
  }

  @Test
  void defaultTemplateWithDetectorAndFilter() {
    Map<String, Object> dataId = new LinkedHashMap<>();
    dataId.put("instrument", "LSSTComCam");
    dataId.put("detector", 3);
    dataId.put("physical_filter", "r_03");
    dataId.put("band", "r");
    String path = FileTemplate.DEFAULT.format("flat", "LSSTComCam/calib/x", dataId,
        Map.of("detector", Map.of("full_name", "R22_S10")));
    assertThat(path).isEqualTo("LSSTComCam/calib/x/flat/r/r_03/flat_LSSTComCam_r_r_03_R22_S10_LSSTComCam_calib_x");
  }

  @Test
  void componentsDotsAndHashes() {
    FileTemplate template = new FileTemplate("{run:/}/{datasetType}.{component:?}/{datasetType}_{component:?}_{run}");
    assertThat(template.format("calexp", "wcs", "a/b", null, Map.of(), Map.of()))
        .isEqualTo("a/b/calexp.wcs/calexp_wcs_a_b");
    assertThat(template.format("calexp", null, "v1.2#3", null, Map.of(), Map.of()))
        .isEqualTo("v1.2#3/calexp/calexp_v1_2HASH3");
    FileTemplate noComponent = new FileTemplate("{run}/{datasetType}");
    assertThatThrownBy(() -> noComponent.format("calexp", "wcs", "r", null, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not use it");
  }

  @Test
  void requiredFieldsAndRecords() {
    assertThatThrownBy(() -> FileTemplate.RAW.format("raw", "run", Map.of("instrument", "X"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not defined and not optional");
    assertThatThrownBy(() -> FileTemplate.DEFAULT.format("bias", "run", Map.of("instrument", "X", "detector", 1),
        null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("No metadata records");
    assertThatThrownBy(() -> new FileTemplate("{datasetType}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FileTemplate("{run:>10}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FileTemplate("{run!r}")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new FileTemplate("{{x}}/{run}").format("t", "r", Map.of(), Map.of())).isEqualTo("{x}/r");
  }

  @Test
  void skypixAlias() {
    String path = FileTemplate.DEFAULT.format("the_monster_20240904", "refcats/DM-46370/the_monster_20240904",
        Map.of("htm7", 231819), Map.of());
    assertThat(path).isEqualTo("refcats/DM-46370/the_monster_20240904/the_monster_20240904/"
        + "the_monster_20240904_231819_refcats_DM-46370_the_monster_20240904");
  }

  @Test
  void normpath() {
    assertThat(FileTemplate.normpath("a//b/./c/")).isEqualTo("a/b/c");
    assertThat(FileTemplate.normpath("a/../../b")).isEqualTo("../b");
    assertThat(FileTemplate.normpath("/../a")).isEqualTo("/a");
    assertThat(FileTemplate.normpath("//a")).isEqualTo("//a");
    assertThat(FileTemplate.normpath("///a")).isEqualTo("/a");
    assertThat(FileTemplate.normpath("")).isEqualTo(".");
  }
}
