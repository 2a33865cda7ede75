package io.autobutler.core.sphgeom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The polygon hull, orientation predicate and binary form, against lsst/sphgeom's behaviour. */
public class ConvexPolygonTest {

  /** daf_butler tests/data/registry/ci_hsc-subset-skymap.yaml: tract 0 of discrete/ci_hsc, as sphgeom wrote it. */
  public static final String CI_HSC_TRACT_0 = "70cb48dd838019e83fe79b0e4ace0ae5bfcae4291ac61395bf4884794db329e93f68b2ba93"
      + "27c2e3bfa603a921c61395bf0e047a6ce727e93fc46da7b1aac0e3bf8779dd59c921a03f513c3fa3b417e83f6ffa86675109e5bf06a1"
      + "2054c921a03f";

  private static UnitVector3d lonLat(double lonDeg, double latDeg) {
    return UnitVector3d.fromLonLat(Math.toRadians(lonDeg), Math.toRadians(latDeg));
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
}
