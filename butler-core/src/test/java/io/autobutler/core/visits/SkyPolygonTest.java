package io.autobutler.core.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Spherical convex hulls and the sphgeom ConvexPolygon encoding. */
class SkyPolygonTest {

  /** A visit_detector_region of daf_butler's lsstcam-subset.yaml (detector 10, visit 2025120200439), from sphgeom. */
  static final String SPHGEOM_POLYGON = "70aec07aff7aa1c9bfa3fd86c15619e63fbc3e491b343de6bf044adf7d4116cabfc67e3cb2bc23e6"
      + "3ffccfb0fc572ae6bfcc8d75f09fc6c9bf028d3797543be63faedbfdf98518e6bf0d0ea2dbce51c9bf8d5d2fb5ed30e63fc2eb4fce632be6bf";

  @Test
  void encodesTheTypeCodeThenLittleEndianDoubles() {
    byte[] encoded = ConvexPolygonEncoder.encode(List.of(new double[] {1, 0, 0}, new double[] {0, 1, 0},
        new double[] {0, 0, 1}));
    String one = "000000000000f03f";
    String zero = "0000000000000000";
    assertThat(HexFormat.of().formatHex(encoded)).isEqualTo("70" + one + zero + zero + zero + one + zero + zero + zero
        + one);
    assertThatThrownBy(() -> ConvexPolygonEncoder.encode(List.of(new double[] {1, 0, 0}, new double[] {0, 1, 0})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sphgeomPolygonsAreCounterClockwiseAsOursAre() {
    SkyPolygon butlers = SkyPolygon.decode(HexFormat.of().parseHex(SPHGEOM_POLYGON));
    assertThat(butlers.vertices()).hasSize(4);
    assertCounterClockwise(butlers);
    assertThat(HexFormat.of().formatHex(butlers.encode())).isEqualTo(SPHGEOM_POLYGON);

    List<UnitVector> shuffled = new ArrayList<>(butlers.vertices());
    Collections.shuffle(shuffled, new Random(7));
    SkyPolygon ours = SkyPolygon.convexHull(shuffled);
    assertCounterClockwise(ours);
    assertThat(ours.sameAs(butlers, 0)).isTrue();
  }

  @Test
  void hullKeepsTheCornersAndDropsInnerAndEdgePoints() {
    List<UnitVector> points = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      for (int j = 0; j <= 4; j++) {
        points.add(UnitVector.fromRaDec(359.5 + 0.25 * i, 89.0 + 0.1 * j));
      }
    }
    // Near the pole and across RA 0; the lower edge, a small circle, bulges out of the great circles.
    SkyPolygon hull = SkyPolygon.convexHull(points);
    assertCounterClockwise(hull);
    assertThat(hull.vertices()).hasSizeGreaterThanOrEqualTo(4);
    for (UnitVector point : points) {
      assertThat(hull.contains(point)).isTrue();
    }
    assertThat(hull.contains(UnitVector.fromRaDec(0, 89.2))).isTrue();
    assertThat(hull.contains(UnitVector.fromRaDec(180, 89.2))).isFalse();
    assertThat(hull.contains(UnitVector.fromRaDec(0, -89.2))).isFalse();
    assertThat(SkyPolygon.decode(hull.encode())).isEqualTo(hull);
  }

  @Test
  void aSquareHasFourVertices() {
    List<UnitVector> square = List.of(UnitVector.fromRaDec(10, -1), UnitVector.fromRaDec(11, -1),
        UnitVector.fromRaDec(11, 0), UnitVector.fromRaDec(10, 0), UnitVector.fromRaDec(10.5, -0.5),
        UnitVector.fromRaDec(10.5, 0));
    SkyPolygon hull = SkyPolygon.convexHull(square);
    assertThat(hull.vertices()).containsExactlyInAnyOrder(square.get(0), square.get(1), square.get(2), square.get(3));
    assertCounterClockwise(hull);
    assertThat(hull.contains(UnitVector.fromRaDec(10.5, -0.5))).isTrue();
    assertThat(hull.contains(UnitVector.fromRaDec(11.5, -0.5))).isFalse();
  }

  @Test
  void refusesWhatIsNotAPolygon() {
    assertThatThrownBy(() -> SkyPolygon.convexHull(List.of(UnitVector.fromRaDec(0, 0), UnitVector.fromRaDec(1, 0),
        UnitVector.fromRaDec(2, 0)))).hasMessageContaining("great circle");
    assertThatThrownBy(() -> SkyPolygon.convexHull(List.of(UnitVector.fromRaDec(0, 0), UnitVector.fromRaDec(180, 0),
        UnitVector.fromRaDec(90, 10)))).hasMessageContaining("hemisphere");
    assertThatThrownBy(() -> SkyPolygon.decode(new byte[] {'p', 0, 0})).hasMessageContaining("ConvexPolygon");
  }

  static void assertCounterClockwise(SkyPolygon polygon) {
    List<UnitVector> v = polygon.vertices();
    for (int i = 0; i < v.size(); i++) {
      assertThat(v.get(i).orientation(v.get((i + 1) % v.size()), v.get((i + 2) % v.size())))
          .as("orientation at vertex %d", i).isPositive();
    }
  }
}
