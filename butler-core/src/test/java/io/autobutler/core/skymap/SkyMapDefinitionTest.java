package io.autobutler.core.skymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.autobutler.core.transfer.Region;

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
  void records() {
    Map<String, Object> tract = cells.tractRecord(5063);
    assertThat(tract.keySet()).containsExactly("skymap", "id", "region");
    assertThat(tract).containsEntry("skymap", "lsst_cells_v1").containsEntry("id", 5063);
    List<Map<String, Object>> patches = cells.patchRecords(5063);
    assertThat(patches).hasSize(100);
    assertThat(patches.get(23).keySet()).containsExactly("skymap", "tract", "id", "cell_x", "cell_y", "region");
    assertThat(patches.get(23)).containsEntry("skymap", "lsst_cells_v1").containsEntry("tract", 5063)
        .containsEntry("id", 23).containsEntry("cell_x", 3).containsEntry("cell_y", 2);
    // Regions are base64 of sphgeom ConvexPolygons with four vertices: 1 + 4 × 24 bytes.
    assertThat(Region.fromBase64((String) patches.get(23).get("region")))
        .satisfies(r -> assertThat(r.type()).isEqualTo("ConvexPolygon"))
        .satisfies(r -> assertThat(r.encoded()).hasSize(97));
    assertThat(cells.patchCount()).isEqualTo(1_893_800L);
    assertThatThrownBy(() -> cells.tract(18938)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void projectionRadii() {
    double gamma = Math.toRadians(1.0);
    assertThat(Projection.TAN.radius(gamma)).isCloseTo(Math.tan(gamma), within(1e-15));
    assertThat(Projection.ARC.radius(gamma)).isEqualTo(gamma);
    assertThat(Projection.STG.radius(gamma)).isGreaterThan(gamma);
    assertThat(Projection.SIN.radius(gamma)).isLessThan(gamma);
    assertThat(Projection.ZEA.radius(gamma)).isLessThan(gamma);
    for (Projection projection : Projection.values()) {
      assertThat(projection.distance(projection.radius(gamma))).as(projection.name()).isCloseTo(gamma, within(1e-15));
    }
    assertThatThrownBy(() -> Projection.named("AIT")).isInstanceOf(SkyMapConfigException.class)
        .hasMessageContaining("'AIT' is not supported");
  }
}
