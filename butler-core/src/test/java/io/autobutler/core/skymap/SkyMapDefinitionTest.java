package io.autobutler.core.skymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SkyMapDefinitionTest {

  private final SkyMapDefinition cells = SkyMapConfig.bundled("lsst_cells_v1").definition();

  @Test
  void ringLayout() {
    assertThat(cells.tractCount()).isEqualTo(18938);
    List<Integer> rings = cells.ringNums();
    assertThat(rings).hasSize(120);
    assertThat(rings.subList(0, 5)).containsExactly(10, 16, 22, 29, 35);
    // The two rings touching the equator evaluate to exactly 242.0 and get 243 tracts.
    assertThat(rings.subList(57, 63)).containsExactly(242, 242, 243, 243, 242, 242);
    List<Integer> reversed = new java.util.ArrayList<>(rings);
    java.util.Collections.reverse(reversed);
    assertThat(rings).isEqualTo(reversed);
    assertThat(cells.ringIndices(0)).containsExactly(-1, 0);
    assertThat(cells.ringIndices(1)).containsExactly(0, 0);
    assertThat(cells.ringIndices(10)).containsExactly(0, 9);
    assertThat(cells.ringIndices(11)).containsExactly(1, 0);
    assertThat(cells.ringIndices(18937)).containsExactly(120, 0);
  }

  @Test
  void tractCentres() {
    // DP1's ECDFS field is tract 5063 of lsst_cells_v1.
    TractGeometry ecdfs = cells.tract(5063);
    assertThat(cells.ringIndices(5063)).containsExactly(41, 32);
    assertThat(ecdfs.centerRaDeg()).isCloseTo(53.08755760368663, within(1e-9));
    assertThat(ecdfs.centerDecDeg()).isCloseTo(-27.520661157024797, within(1e-9));
    TractGeometry southCap = cells.tract(0);
    assertThat(southCap.centerDecDeg()).isEqualTo(-90.0);
    assertThat(cells.tract(18937).centerDecDeg()).isEqualTo(90.0);
    assertThat(southCap.radiusDeg()).isCloseTo(90.0 / 121, within(1e-12));
  }

  @Test
  void patchGrid() {
    TractGeometry tract = cells.tract(5063);
    assertThat(tract.numPatchesX()).isEqualTo(10);
    assertThat(tract.numPatchesY()).isEqualTo(10);
    assertThat(tract.patchCount()).isEqualTo(100);
    assertThat(tract.width()).isEqualTo(30000);
    assertThat(tract.height()).isEqualTo(30000);
    assertThat(cells.patchNxMax()).isEqualTo(10);
    assertThat(cells.patchNyMax()).isEqualTo(10);
  }

  @Test
  void keysWithoutRegions() {
    assertThat(cells.tractKeys(5063)).containsExactly(Map.entry("skymap", "lsst_cells_v1"), Map.entry("id", 5063));
    List<Map<String, Object>> patches = cells.patchKeys(5063);
    assertThat(patches).hasSize(100);
    assertThat(patches.get(23)).containsExactly(Map.entry("skymap", "lsst_cells_v1"), Map.entry("tract", 5063),
        Map.entry("id", 23), Map.entry("cell_x", 3), Map.entry("cell_y", 2));
    assertThat(patches).allSatisfy(p -> assertThat(p).doesNotContainKey("region"));
    assertThatThrownBy(() -> cells.tract(18938)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void projectionRadii() {
    double theta = Math.toRadians(1.0);
    assertThat(TractGeometry.projectionRadiusDegrees("TAN", theta)).isCloseTo(Math.toDegrees(Math.tan(theta)),
        within(1e-15));
    assertThat(TractGeometry.projectionRadiusDegrees("ARC", theta)).isCloseTo(1.0, within(1e-15));
    assertThat(TractGeometry.projectionRadiusDegrees("STG", theta)).isGreaterThan(1.0);
    assertThat(TractGeometry.projectionRadiusDegrees("SIN", theta)).isLessThan(1.0);
    assertThat(TractGeometry.projectionRadiusDegrees("ZEA", theta)).isLessThan(1.0);
  }
}
