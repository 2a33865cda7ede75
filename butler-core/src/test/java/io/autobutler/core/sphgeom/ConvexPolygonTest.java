package io.autobutler.core.sphgeom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The polygon hull, orientation predicate and binary form, against lsst/sphgeom's behaviour. */
public class ConvexPolygonTest {

  /** daf_butler tests/data/registry/ci_hsc-subset-skymap.yaml: tract 0 of discrete/ci_hsc, as sphgeom wrote it. */
  public static final String CI_HSC_TRACT_0 = "70cb48dd838019e83fe79b0e4ace0ae5bfcae4291ac61395bf4884794db329e93f68b2ba93"
      + "27c2e3bfa603a921c61395bf0e047a6ce727e93fc46da7b1aac0e3bf8779dd59c921a03f513c3fa3b417e83f6ffa86675109e5bf06a1"
      + "2054c921a03f";

  /** daf_butler's lsstcam-subset.yaml: the visit_detector_region of detector 10 in visit 2025120200439. */
  static final String LSSTCAM_DETECTOR_REGION = "70aec07aff7aa1c9bfa3fd86c15619e63fbc3e491b343de6bf044adf7d4116cabfc6"
      + "7e3cb2bc23e63ffccfb0fc572ae6bfcc8d75f09fc6c9bf028d3797543be63faedbfdf98518e6bf0d0ea2dbce51c9bf8d5d2fb5ed30e6"
      + "3fc2eb4fce632be6bf";

  private static UnitVector3d lonLat(double lonDeg, double latDeg) {
    return UnitVector3d.fromLonLatDegrees(lonDeg, latDeg);
  }

  /** Each vertex turns counter-clockwise to the next two, as sphgeom keeps them. */
  public static void assertCounterClockwise(ConvexPolygon polygon) {
    List<UnitVector3d> v = polygon.vertices();
    for (int i = 0; i < v.size(); i++) {
      assertThat(Orientation.of(v.get(i), v.get((i + 1) % v.size()), v.get((i + 2) % v.size())))
          .as("orientation at vertex %d", i).isEqualTo(1);
    }
  }

  // Corners of a small square around (10°, 0°), counter-clockwise seen from outside the sphere.
  private final UnitVector3d a = lonLat(9, -1);
  private final UnitVector3d b = lonLat(11, -1);
  private final UnitVector3d c = lonLat(11, 1);
  private final UnitVector3d d = lonLat(9, 1);

  @Test
  void counterClockwiseInputKeepsItsOrder() {
    assertThat(Orientation.of(a, b, c)).isEqualTo(1);
    assertThat(ConvexPolygon.hullOf(List.of(a, b, c, d)).vertices()).containsExactly(a, b, c, d);
  }

  @Test
  void clockwiseInputIsTurnedAsSphgeomTurnsIt() {
    // sphgeom swaps the first two points to make the first triangle counter-clockwise, then inserts the fourth
    // after the third: (p0, p1, p2, p3) clockwise becomes (p1, p0, p3, p2). The ci_hsc tract shows the same order.
    assertThat(ConvexPolygon.hullOf(List.of(d, c, b, a)).vertices()).containsExactly(c, d, a, b);
  }

  @Test
  void furtherPointsReplaceTheEdgesTheySee() {
    UnitVector3d beyondRightEdge = lonLat(12, 0);
    assertThat(ConvexPolygon.hullOf(List.of(a, b, c, d, beyondRightEdge)).vertices())
        .containsExactly(a, b, beyondRightEdge, c, d);
    UnitVector3d beyondLeftEdge = lonLat(8, 0);
    assertThat(ConvexPolygon.hullOf(List.of(a, b, c, d, beyondLeftEdge)).vertices())
        .containsExactly(a, b, c, d, beyondLeftEdge);
    UnitVector3d beyondCornerA = lonLat(8, -2);
    assertThat(ConvexPolygon.hullOf(List.of(a, b, c, d, beyondCornerA)).vertices())
        .containsExactly(beyondCornerA, b, c, d);
    UnitVector3d inside = lonLat(10, 0);
    assertThat(ConvexPolygon.hullOf(List.of(a, b, inside, a, c, d, inside)).vertices()).containsExactly(a, b, c, d);
  }

  @Test
  void degenerateInputIsRefused() {
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(a, a, a))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("less than 3 distinct, non-coplanar points");
    UnitVector3d x = new UnitVector3d(1, 0, 0);
    UnitVector3d xy = UnitVector3d.normalized(1, 1, 0);
    UnitVector3d y = new UnitVector3d(0, 1, 0);
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(x, xy, y))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("less than 3");
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(a, a.negated(), b)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entire unit sphere");
  }

  @Test
  void containsFollowsTheEdges() {
    ConvexPolygon square = ConvexPolygon.hullOf(List.of(a, b, c, d));
    assertThat(square.contains(lonLat(10, 0))).isTrue();
    assertThat(square.contains(lonLat(10.999, 0.999))).isTrue();
    assertThat(square.contains(a)).isTrue();
    assertThat(square.contains(lonLat(11.001, 0))).isFalse();
    assertThat(square.contains(lonLat(190, 0))).isFalse();
  }

  @Test
  void orientationFallsBackToExactArithmetic() {
    UnitVector3d x = new UnitVector3d(1, 0, 0);
    UnitVector3d y = new UnitVector3d(0, 1, 0);
    // On one great circle: the double determinant is 0 and only exact arithmetic can say it is exactly 0.
    assertThat(Orientation.of(x, UnitVector3d.normalized(1, 1, 0), y)).isZero();
    // A determinant far below the double error bound (a subnormal component) still gets its sign.
    UnitVector3d barelyAbove = new UnitVector3d(0, 1, 1e-310);
    assertThat(Orientation.of(x, UnitVector3d.normalized(1, 1, 0), barelyAbove)).isEqualTo(1);
    assertThat(Orientation.exact(x, barelyAbove, UnitVector3d.normalized(1, 1, 0))).isEqualTo(-1);
  }

  @Test
  void binaryFormRoundTrips() {
    byte[] upstream = HexFormat.of().parseHex(CI_HSC_TRACT_0);
    ConvexPolygon polygon = ConvexPolygon.decode(upstream);
    assertThat(polygon.vertices()).hasSize(4);
    assertThat(polygon.encode()).isEqualTo(upstream);
    assertThat(polygon.vertices().get(0).lonDegrees()).isBetween(318.87, 318.88);
    assertThat(polygon.vertices().get(0).latDegrees()).isBetween(-1.18, -1.17);

    byte[] encoded = ConvexPolygon.hullOf(List.of(a, b, c, d)).encode();
    assertThat(encoded).hasSize(1 + 4 * 24);
    assertThat(encoded[0]).isEqualTo((byte) 'p');
    assertThat(ConvexPolygon.decode(encoded).vertices()).containsExactly(a, b, c, d);

    assertThat(ConvexPolygon.encodingProblem(new byte[] {'p', 1, 2})).contains("got 3 bytes");
    assertThat(ConvexPolygon.encodingProblem(new byte[0])).contains("got 0 bytes");
    assertThatThrownBy(() -> ConvexPolygon.decode(new byte[] {'c'})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x70 then at least 3 vertices");
  }

  @Test
  void encodesTheTypeCodeThenLittleEndianDoubles() {
    byte[] encoded = ConvexPolygon.hullOf(List.of(new UnitVector3d(1, 0, 0), new UnitVector3d(0, 1, 0),
        new UnitVector3d(0, 0, 1))).encode();
    String one = "000000000000f03f";
    String zero = "0000000000000000";
    assertThat(HexFormat.of().formatHex(encoded)).isEqualTo("70" + one + zero + zero + zero + one + zero + zero + zero
        + one);
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(new UnitVector3d(1, 0, 0), new UnitVector3d(0, 1, 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHullOfAButlerRegionsVerticesIsThatRegion() {
    ConvexPolygon butlers = ConvexPolygon.decode(HexFormat.of().parseHex(LSSTCAM_DETECTOR_REGION));
    assertThat(butlers.vertices()).hasSize(4);
    assertCounterClockwise(butlers);
    assertThat(HexFormat.of().formatHex(butlers.encode())).isEqualTo(LSSTCAM_DETECTOR_REGION);
    assertThat(ConvexPolygon.hullOf(butlers.vertices())).isEqualTo(butlers);

    // In another order the hull is the same cycle of vertices, from another first vertex.
    List<UnitVector3d> shuffled = new ArrayList<>(butlers.vertices());
    Collections.shuffle(shuffled, new Random(7));
    ConvexPolygon ours = ConvexPolygon.hullOf(shuffled);
    assertCounterClockwise(ours);
    List<UnitVector3d> cycle = new ArrayList<>(ours.vertices());
    Collections.rotate(cycle, -cycle.indexOf(butlers.vertices().get(0)));
    assertThat(cycle).containsExactlyElementsOf(butlers.vertices());
  }

  @Test
  void hullKeepsTheCornersAndDropsInnerAndEdgePoints() {
    List<UnitVector3d> points = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      for (int j = 0; j <= 4; j++) {
        points.add(lonLat(359.5 + 0.25 * i, 89.0 + 0.1 * j));
      }
    }
    // Near the pole and across longitude 0; the lower edge, a small circle, bulges out of the great circles.
    ConvexPolygon hull = ConvexPolygon.hullOf(points);
    assertCounterClockwise(hull);
    assertThat(hull.vertices()).hasSizeGreaterThanOrEqualTo(4);
    for (UnitVector3d point : points) {
      assertThat(hull.contains(point)).isTrue();
    }
    assertThat(hull.contains(lonLat(0, 89.2))).isTrue();
    assertThat(hull.contains(lonLat(180, 89.2))).isFalse();
    assertThat(hull.contains(lonLat(0, -89.2))).isFalse();
    assertThat(ConvexPolygon.decode(hull.encode())).isEqualTo(hull);
  }

  @Test
  void aSquareDropsInnerPointsAndKeepsPointsExactlyOnAnEdge() {
    UnitVector3d inner = lonLat(10.5, -0.5);
    UnitVector3d onTheEquatorEdge = lonLat(10.5, 0);
    List<UnitVector3d> square = List.of(lonLat(10, -1), lonLat(11, -1), lonLat(11, 0), lonLat(10, 0), inner,
        onTheEquatorEdge);
    ConvexPolygon hull = ConvexPolygon.hullOf(square);
    // As in sphgeom, a point coplanar with an edge is not counter-clockwise of it, so it becomes a vertex there.
    assertThat(hull.vertices()).containsExactly(square.get(0), square.get(1), square.get(2), onTheEquatorEdge,
        square.get(3));
    assertThat(hull.contains(inner)).isTrue();
    assertThat(hull.contains(lonLat(11.5, -0.5))).isFalse();
    assertThat(hull.contains(lonLat(10.5, 0.001))).isFalse();
  }

  @Test
  void refusesWhatIsNotAPolygon() {
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(lonLat(0, 0), lonLat(1, 0), lonLat(2, 0))))
        .hasMessageContaining("less than 3 distinct, non-coplanar points");
    assertThatThrownBy(() -> ConvexPolygon.hullOf(List.of(lonLat(0, 0), lonLat(0, 0).negated(), lonLat(90, 10))))
        .hasMessageContaining("entire unit sphere");
    assertThatThrownBy(() -> ConvexPolygon.decode(new byte[] {'p', 0, 0})).hasMessageContaining("ConvexPolygon");
  }

  @Test
  void aTriangleAlmostAHemisphereWideIsAPolygon() {
    // lonLat(180, 0) is not exactly −lonLat(0, 0) (sin π is not 0 in doubles): as in sphgeom, the three points make
    // the thin triangle between the equator and the great circle through (90°, 10°), not a refusal.
    ConvexPolygon triangle = ConvexPolygon.hullOf(List.of(lonLat(0, 0), lonLat(180, 0), lonLat(90, 10)));
    assertThat(triangle.vertices()).hasSize(3);
    assertCounterClockwise(triangle);
    assertThat(triangle.contains(lonLat(90, 5))).isTrue();
    assertThat(triangle.contains(lonLat(90, -5))).isFalse();
    assertThat(triangle.contains(lonLat(270, 5))).isFalse();
  }

  @Test
  void sameWithinComparesVertexByVertex() {
    ConvexPolygon square = ConvexPolygon.hullOf(List.of(a, b, c, d));
    UnitVector3d nudged = new UnitVector3d(a.x() + 1e-13, a.y(), a.z());
    ConvexPolygon nudgedSquare = ConvexPolygon.hullOf(List.of(nudged, b, c, d));
    assertThat(square.sameWithin(nudgedSquare, 1e-12)).isTrue();
    assertThat(square.sameWithin(nudgedSquare, 1e-14)).isFalse();
    assertThat(square.sameWithin(ConvexPolygon.hullOf(List.of(b, c, d, a)), 1e-12)).isFalse();
    assertThat(square.sameWithin(ConvexPolygon.hullOf(List.of(a, b, c)), 1e-12)).isFalse();
  }
}
