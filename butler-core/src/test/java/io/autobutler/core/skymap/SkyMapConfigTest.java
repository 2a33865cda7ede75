package io.autobutler.core.skymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkyMapConfigTest {

  /** The same settings written the way obs_lsst's makeSkyMap.py does, name given with -c name=... */
  private static final String OBS_LSST_STYLE = String.join("\n",
      "config.skyMap.name = \"rings\"",
      "config.skyMap[\"rings\"].numRings = 120",
      "config.skyMap[\"rings\"].projection = \"TAN\"",
      "config.skyMap[\"rings\"].tractOverlap = 1.0 / 60  # Overlap between tracts (degrees)",
      "config.skyMap[\"rings\"].pixelScale = 0.2",
      "config.skyMap[\"rings\"].tractBuilder.name = \"cells\"",
      "");

  /** lsst/ci_hsc_gen3 configs/skymap.py settings (discrete, legacy tract builder). */
  static final String CI_HSC = String.join("\n",
      "config.skyMap[\"discrete\"].projection = \"TAN\"",
      "config.skyMap[\"discrete\"].raList = [320.36749197602893]",
      "config.skyMap[\"discrete\"].decList = [0.3131554006070023]",
      "config.skyMap[\"discrete\"].radiusList = [1.4388796242707318]",
      "config.skyMap[\"discrete\"].rotation = 0.0",
      "config.skyMap[\"discrete\"].patchBorder = 100",
      "config.skyMap[\"discrete\"].tractOverlap = 0.0",
      "config.skyMap[\"discrete\"].pixelScale = 0.168",
      "config.skyMap[\"discrete\"].patchInnerDimensions = [4000, 4000]",
      "config.skyMap.name = \"discrete\"",
      "config.name = 'discrete/ci_hsc'");

  @Test
  void lsstCellsV1Record() {
    SkyMapConfig config = SkyMapConfig.bundled("lsst_cells_v1");
    assertThat(config.name()).isEqualTo("lsst_cells_v1");
    assertThat(config.skyMapType()).isEqualTo("rings");
    assertThat(config.tractBuilder()).isEqualTo("cells");
    assertThat(config.numRings()).isEqualTo(120);
    assertThat(config.tractOverlap()).isEqualTo(1.0 / 60);
    assertThat(config.pixelScale()).isEqualTo(0.2);
    assertThat(config.projection()).isEqualTo("TAN");
    assertThat(config.rotation()).isZero();
    assertThat(config.raStart()).isZero();
    assertThat(config.tractBuilderSetting("cellInnerDimensions")).isEqualTo(List.of(150L, 150L));
    assertThat(config.tractBuilderSetting("cellBorder")).isEqualTo(50L);
    assertThat(config.patchInnerDimensions()).containsExactly(3000, 3000);
    assertThat(config.patchBorder()).isEqualTo(200);

    Map<String, Object> record = config.skymapRecord();
    assertThat(record.keySet()).containsExactly("name", "hash", "tract_max", "patch_nx_max", "patch_ny_max");
    assertThat(record).containsEntry("name", "lsst_cells_v1")
        .containsEntry("tract_max", 18938)
        .containsEntry("patch_nx_max", 10)
        .containsEntry("patch_ny_max", 10);
    // The value USDF's registry holds for lsst_cells_v1 (base64 of the 20-byte SHA-1).
    assertThat(Base64.getEncoder().encodeToString((byte[]) record.get("hash")))
        .isEqualTo("4nNuQSRN8Au9uTrsrArkstGd2pE=");
    assertThat(config.sha1Hex()).isEqualTo("e2736e41244df00bbdb93aecac0ae4b2d19dda91");
  }

  @Test
  void packedBytes() {
    SkyMapConfig config = SkyMapConfig.bundled("lsst_cells_v1");
    assertThat(config.packedTractBuilderConfig()).hasSize(47); // struct "<iiiiidd3sd"
    assertThat(config.packedSkyMapState()).hasSize(12);        // struct "<id"
    byte[] packed = config.packedTractBuilderConfig();
    assertThat(packed[0]).isEqualTo((byte) 150);
    assertThat(new String(packed, 36, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TAN");
  }

  @Test
  void obsLsstStyleWithNameOverrideGivesTheSameSkymap() {
    SkyMapConfig config = SkyMapConfig.parse(OBS_LSST_STYLE, "makeSkyMap.py", Map.of("name", "lsst_cells_v1"));
    assertThat(config.sha1Hex()).isEqualTo("e2736e41244df00bbdb93aecac0ae4b2d19dda91");
    assertThat(config.skymapRecord()).containsEntry("tract_max", 18938);
    assertThatThrownBy(() -> SkyMapConfig.parse(OBS_LSST_STYLE, "makeSkyMap.py"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("name field must be set");
  }

  @Test
  void discreteCiHscMatchesDafButlerTestRecord() {
    SkyMapConfig config = SkyMapConfig.parse(CI_HSC, "skymap.py");
    assertThat(config.skyMapClassName()).isEqualTo("DiscreteSkyMap");
    assertThat(config.tractBuilder()).isEqualTo("legacy");
    Map<String, Object> record = config.skymapRecord();
    assertThat(Base64.getEncoder().encodeToString((byte[]) record.get("hash")))
        .isEqualTo("Kt7swQ9e5zUif7fo1Onj3ezH+Ts=");
    assertThat(record).containsEntry("tract_max", 1).containsEntry("patch_nx_max", 16)
        .containsEntry("patch_ny_max", 16);
  }

  @Test
  void readsFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lsst_cells_v1.skymap.config");
    Files.writeString(file, "import lsst.skymap\n"
        + "assert type(config) is lsst.pipe.tasks.script.registerSkymap.MakeSkyMapConfig, 'wrong type'\n"
        + "config.name='lsst_cells_v1'\n" + OBS_LSST_STYLE);
    SkyMapConfig config = SkyMapConfig.read(file);
    assertThat(config.sha1Hex()).isEqualTo("e2736e41244df00bbdb93aecac0ae4b2d19dda91");
    assertThat(SkyMapConfig.run()).isEqualTo("skymaps");
  }

  @Test
  void otherSettingsChangeTheHash() {
    String base = "config.name = 'x'\nconfig.skyMap = 'rings'\nconfig.skyMap['rings'].numRings = 120\n"
        + "config.skyMap['rings'].projection = 'TAN'\nconfig.skyMap['rings'].pixelScale = 0.2\n"
        + "config.skyMap['rings'].tractOverlap = 1.0 / 60\nconfig.skyMap['rings'].tractBuilder = 'cells'\n";
    String v1 = SkyMapConfig.parse(base, "a").sha1Hex();
    assertThat(v1).isEqualTo("e2736e41244df00bbdb93aecac0ae4b2d19dda91"); // the name is not hashed
    String v2 = SkyMapConfig.parse(base + "config.skyMap['rings'].tractBuilder['cells'].cellBorder = 0\n", "b")
        .sha1Hex();
    assertThat(v2).isNotEqualTo(v1);
    // A legacy-builder setting does not matter while the cells builder is selected.
    String v3 = SkyMapConfig.parse(base + "config.skyMap['rings'].patchBorder = 7\n", "c").sha1Hex();
    assertThat(v3).isEqualTo(v1);
    // Settings of an unselected skymap type do not matter either.
    String v4 = SkyMapConfig.parse(base + "config.skyMap['discrete'].raList = [1.0, 2]\n", "d").sha1Hex();
    assertThat(v4).isEqualTo(v1);
  }

  @Test
  void defaultsAndIntToFloat() {
    SkyMapConfig config = SkyMapConfig.parse("config.name='d'\nconfig.skyMap='discrete'\n"
        + "config.skyMap['discrete'].raList=[10]\nconfig.skyMap['discrete'].decList=(-5,)\n"
        + "config.skyMap['discrete'].radiusList=[1]\n", "d");
    assertThat(config.raList()).containsExactly(10.0);
    assertThat(config.decList()).containsExactly(-5.0);
    assertThat(config.projection()).isEqualTo("STG");
    assertThat(config.pixelScale()).isEqualTo(0.333);
    assertThat(config.tractOverlap()).isEqualTo(1.0);
    assertThat(config.patchInnerDimensions()).containsExactly(4000, 4000);
    assertThat(config.skymapRecord()).containsEntry("tract_max", 1);
  }

  @Test
  void semanticErrorsNameTheLine() {
    assertError("config.name = 'x'\nconfig.skyMap['rings'].numRigns = 3\n", 2, "has no field 'numRigns'");
    assertError("config.name = 'x'\n\nconfig.skyMap['rings'].numRings = 1.5\n", 3, "must be int, got float 1.5");
    assertError("config.skyMap['rings'].numRings = 0\n", 1, "must be > 0");
    assertError("config.skyMap['rings'].raStart = 360\n", 1, "must be in [0, 360)");
    assertError("config.skyMap['rings'].projection = 3\n", 1, "must be string");
    assertError("config.skyMap = 'cubes'\n", 1, "'cubes' is not a registered config.skyMap");
    assertError("config.skyMap['cubes'].x = 1\n", 1, "'cubes' is not a registered");
    assertError("config.skyMap['rings'].tractBuilder['cells'].cellInnerDimensions = [150]\n", 1,
        "must have 2 items");
    assertError("config.skyMap['rings'].tractBuilder['cells'].cellInnerDimensions = [150, 150.0]\n", 1,
        "must be int");
    assertError("config.skyMap['rings'].numRings = None\n", 1, "cannot be None");
    assertError("config.skyMap['rings'].numRings = True\n", 1, "must be int, got bool True");
    assertError("config.skyMap['rings'] = 'x'\n", 1, "assigning a whole config");
    assertError("config.name.x = 'x'\n", 1, "plain field");
    assertError("config['x'] = 1\n", 1, "not a registry field");
    assertError("assert type(config) is lsst.obs.Other, 'x'\n", 1, "not lsst.obs.Other");
  }

  @Test
  void syntaxErrorsNameTheLine() {
    assertError("config.name = 'x'\nimport os; os.system('true')\n", 2, "unsupported statement");
    assertError("config.name = open('/etc/passwd').read()\n", 1, "unsupported name 'open'");
    assertError("# comment\nconfig.skyMap['rings'].numRings = 2 ** 7\n", 2, "'**' is not supported");
    assertError("config.skyMap['rings'].numRings = 12 # ok\nconfig.name = 'a' 'b'\n", 2,
        "implicit string concatenation");
    assertError("x = 1\n", 1, "unsupported statement 'x = 1'");
    assertError("config.name == 'x'\n", 1, "expected '='");
    assertError("config.name += 'x'\n", 1, "expected '='");
    assertError("config.name = 'x\n", 1, "unterminated string");
    assertError("config.name = 'x'\nconfig.skyMap['discrete'].raList = [1,\n2,\n", 2, "unclosed bracket");
    assertError("config.name = 'x'\n  config.name = 'y'\n", 2, "unexpected indentation");
    assertError("config.skyMap['rings'].numRings = 1 / 0\n", 1, "division by zero");
    assertError("config.skyMap['rings'].numRings = 012\n", 1, "leading zeros");
    assertError("config.name = \"\"\"x\"\"\"\n", 1, "triple-quoted");
    assertError("config.name = 'x')\n", 1, "unbalanced closing bracket");
    assertError("config.skyMap['discrete'].raList = [[1]]\n", 1, "nested lists");
  }

  @Test
  void multiLineListsAndExpressions() {
    SkyMapConfig config = SkyMapConfig.parse("config.name = \"multi\"  # a name\n"
        + "config.skyMap = 'discrete'\n"
        + "config.skyMap['discrete'].raList = [\n  10.5,  # first\n  -(2 + 3) * 2,\n]\n"
        + "config.skyMap['discrete'].decList = [0, 1e-1]\n"
        + "config.skyMap['discrete'].radiusList = [1 / 2, 0.25]\n"
        + "config.skyMap['discrete'].projection = 'TAN'\n", "m");
    assertThat(config.raList()).containsExactly(10.5, -10.0);
    assertThat(config.decList()).containsExactly(0.0, 0.1);
    assertThat(config.radiusList()).containsExactly(0.5, 0.25);
    assertThat(config.skymapRecord()).containsEntry("tract_max", 2);
  }

  @Test
  void unsupportedSkymapTypesAndProjections() {
    assertThatThrownBy(() -> SkyMapConfig.parse("config.name='x'\n", "dodeca.py"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("'dodeca' is not supported");
    // Assignments to unmodelled types are accepted as long as they are not selected.
    SkyMapConfig ok = SkyMapConfig.parse("config.name='x'\nconfig.skyMap['dodeca'].withTractsOnPoles = True\n"
        + "config.skyMap.name='rings'\nconfig.skyMap['rings'].numRings=3\n", "x");
    assertThat(ok.skyMapType()).isEqualTo("rings");
    SkyMapConfig mol = SkyMapConfig.parse("config.name='x'\nconfig.skyMap.name='rings'\n"
        + "config.skyMap['rings'].numRings=3\nconfig.skyMap['rings'].projection='MOL'\n", "x");
    assertThatThrownBy(mol::skymapRecord).isInstanceOf(SkyMapConfigException.class)
        .hasMessageContaining("projection 'MOL' is not supported");
    assertThatThrownBy(() -> SkyMapConfig.parse("config.name='x'\nconfig.skyMap.name='rings'\n"
        + "config.skyMap['rings'].numRings=3\nconfig.skyMap['rings'].projection='TANX'\n", "x"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("must have length 3");
    assertThatThrownBy(() -> SkyMapConfig.parse("config.name='x'\nconfig.skyMap.name='rings'\n", "x"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("numRings must be set");
    assertThatThrownBy(() -> SkyMapConfig.parse("config.name='x'\nconfig.skyMap.name='discrete'\n"
        + "config.skyMap['discrete'].raList=[1.0]\n", "x"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("do not match");
    assertThatThrownBy(() -> SkyMapConfig.parse("config.name='x'\nconfig.skyMap.name='rings'\n"
        + "config.skyMap['rings'].numRings=3\nconfig.skyMap['rings'].tractBuilder='cells'\n"
        + "config.skyMap['rings'].tractBuilder['cells'].cellInnerDimensions=[100, 200]\n", "x"))
        .isInstanceOf(SkyMapConfigException.class).hasMessageContaining("square");
  }

  @Test
  void activeSelectsTheCurrentEntry() {
    SkyMapConfig config = SkyMapConfig.parse("config.name='x'\nconfig.skyMap='rings'\n"
        + "config.skyMap.active.numRings=3\n", "x");
    assertThat(config.numRings()).isEqualTo(3);
  }

  private static void assertError(String text, int line, String message) {
    assertThatThrownBy(() -> SkyMapConfig.parse(text, "test.config"))
        .isInstanceOf(SkyMapConfigException.class)
        .hasMessageContaining("test.config, line " + line + ": ")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SkyMapConfigException) e).line()).isEqualTo(line));
  }
}
