package io.autobutler.core.visits;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A convex polygon on the sphere, its vertices counter-clockwise seen from outside (sphgeom's ConvexPolygon), and
 * how visit regions are made: the convex hull of detector corners.
 *
 * <p>The hull is computed in the gnomonic projection about the points' mean direction, which maps great circles
 * to straight lines and so keeps convexity: a plane hull there (Andrew's monotone chain) is the spherical hull.
 * It therefore needs all points in the open hemisphere around that direction, which any camera's field of view is.
 */
public record SkyPolygon(List<UnitVector> vertices) {

  /** How far outside an edge's great circle a point on it may fall by rounding (a determinant, about radians). */
  private static final double BOUNDARY = 1e-14;
  /** Three projected points whose turn has a smaller sine than this are collinear (rounding of exact alignments). */
  private static final double COLLINEAR = 1e-12;

  public SkyPolygon {
    vertices = List.copyOf(vertices);
    if (vertices.size() < 3) {
      throw new IllegalArgumentException("a convex polygon needs at least 3 vertices");
    }
  }

  /** The smallest convex polygon holding all points (collinear points on an edge are dropped). */
  public static SkyPolygon convexHull(Collection<UnitVector> points) {
    if (points.size() < 3) {
      throw new IllegalArgumentException("the convex hull of fewer than 3 points is not a polygon");
    }
    double sx = 0;
    double sy = 0;
    double sz = 0;
    for (UnitVector p : points) {
      sx += p.x();
      sy += p.y();
      sz += p.z();
    }
    UnitVector center = UnitVector.normalized(sx, sy, sz);
    // A tangent basis (east, north) with east x north = center, so that counter-clockwise in the plane is
    // counter-clockwise on the sphere seen from outside.
    UnitVector east = Math.abs(center.z()) < 0.9
        ? UnitVector.normalized(-center.y(), center.x(), 0)
        : UnitVector.normalized(0, -center.z(), center.y());
    UnitVector north = UnitVector.normalized(center.y() * east.z() - center.z() * east.y(),
        center.z() * east.x() - center.x() * east.z(), center.x() * east.y() - center.y() * east.x());
    List<Projected> projected = new ArrayList<>(points.size());
    for (UnitVector p : points) {
      double w = p.dot(center);
      if (w <= 1e-9) {
        throw new IllegalArgumentException("points spread over more than a hemisphere have no convex polygon hull");
      }
      projected.add(new Projected(p.dot(east) / w, p.dot(north) / w, p));
    }
    projected.sort(Comparator.comparingDouble(Projected::u).thenComparingDouble(Projected::v));
    List<Projected> hull = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      int start = hull.size();
      for (int k = 0; k < projected.size(); k++) {
        Projected p = projected.get(pass == 0 ? k : projected.size() - 1 - k);
        while (hull.size() >= start + 2 && turn(hull.get(hull.size() - 2), hull.get(hull.size() - 1), p) <= 0) {
          hull.remove(hull.size() - 1);
        }
        hull.add(p);
      }
      hull.remove(hull.size() - 1);
    }
    if (hull.size() < 3) {
      throw new IllegalArgumentException("the points lie on one great circle: their hull is not a polygon");
    }
    return new SkyPolygon(hull.stream().map(Projected::point).toList());
  }

  /** Whether the direction is inside the polygon or on its boundary (to rounding: within about 1e-14 radians). */
  public boolean contains(UnitVector p) {
    for (int i = 0; i < vertices.size(); i++) {
      if (vertices.get(i).orientation(vertices.get((i + 1) % vertices.size()), p) < -BOUNDARY) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether another polygon has the same vertices in the same cyclic order, each coordinate within
   * {@code tolerance}, whatever vertex each starts with (sphgeom's hull and this one start at different vertices).
   */
  public boolean sameAs(SkyPolygon other, double tolerance) {
    int n = vertices.size();
    if (other.vertices.size() != n) {
      return false;
    }
    for (int shift = 0; shift < n; shift++) {
      boolean all = true;
      for (int i = 0; i < n && all; i++) {
        UnitVector a = vertices.get(i);
        UnitVector b = other.vertices.get((i + shift) % n);
        all = Math.abs(a.x() - b.x()) <= tolerance && Math.abs(a.y() - b.y()) <= tolerance
            && Math.abs(a.z() - b.z()) <= tolerance;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** The sphgeom ConvexPolygon encoding. */
  public byte[] encode() {
    return ConvexPolygonEncoder.encode(vertices.stream().map(v -> new double[] {v.x(), v.y(), v.z()}).toList());
  }

  /** A polygon from its sphgeom ConvexPolygon encoding. */
  public static SkyPolygon decode(byte[] encoded) {
    if (encoded.length < 1 + 3 * 24 || encoded[0] != ConvexPolygonEncoder.TYPE_CODE || (encoded.length - 1) % 24 != 0) {
      throw new IllegalArgumentException("not a sphgeom ConvexPolygon encoding (" + encoded.length + " bytes)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(encoded, 1, encoded.length - 1).order(ByteOrder.LITTLE_ENDIAN);
    List<UnitVector> vertices = new ArrayList<>();
    while (buffer.hasRemaining()) {
      vertices.add(new UnitVector(buffer.getDouble(), buffer.getDouble(), buffer.getDouble()));
    }
    return new SkyPolygon(vertices);
  }

  /** The sine of the turn a -> b -> c, positive counter-clockwise; 0 for collinear points (within rounding). */
  private static double turn(Projected a, Projected b, Projected c) {
    double abU = b.u - a.u;
    double abV = b.v - a.v;
    double acU = c.u - a.u;
    double acV = c.v - a.v;
    double lengths = Math.hypot(abU, abV) * Math.hypot(acU, acV);
    if (lengths == 0) {
      return 0;
    }
    double sine = (abU * acV - abV * acU) / lengths;
    return Math.abs(sine) < COLLINEAR ? 0 : sine;
  }

  private record Projected(double u, double v, UnitVector point) {
  }
}
