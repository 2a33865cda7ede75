package io.autobutler.core.sphgeom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A convex polygon on the sphere with lsst/sphgeom's semantics and binary form (tag w.2025.20,
 * {@code ConvexPolygon.cc}): the vertices in counter-clockwise order, encoded as the type byte {@code 0x70} ('p')
 * followed by each vertex as three little-endian float64 (x, y, z). That encoding is what export files carry in
 * {@code !<lsst.sphgeom.ConvexPolygon> {encoded: <hex>}} and, as base64 text, what the registry stores in
 * {@code region} columns.
 *
 * <p>{@link #hullOf} builds the polygon the way sphgeom's constructor does, so that the same corner points give the
 * same vertex order (and therefore the same bytes): the first three distinct points are put in counter-clockwise
 * order, then each further point outside the hull replaces the edges it sees.
 */
public final class ConvexPolygon {

  /** The first byte of a ConvexPolygon encoding. */
  public static final byte TYPE_CODE = 'p';
  private static final int VERTEX_BYTES = 24;

  private final List<UnitVector3d> vertices;

  private ConvexPolygon(List<UnitVector3d> vertices) {
    this.vertices = Collections.unmodifiableList(vertices);
  }

  /** The vertices, counter-clockwise. */
  public List<UnitVector3d> vertices() {
    return vertices;
  }

  /**
   * The convex hull of points, as {@code lsst.sphgeom.ConvexPolygon(points)}.
   *
   * @throws IllegalArgumentException with fewer than three distinct, non-coplanar points, or when the hull would be
   *                                  the whole sphere (antipodal points)
   */
  public static ConvexPolygon hullOf(List<UnitVector3d> points) {
    if (points.isEmpty()) {
      throw notEnoughPoints();
    }
    // A first edge: the first point and the next one distinct from it.
    UnitVector3d v0 = points.get(0);
    int next = 1;
    while (next < points.size() && points.get(next).sameAs(v0)) {
      next++;
    }
    if (next < points.size() && points.get(next).sameAs(v0.negated())) {
      throw antipodal();
    }
    if (next == points.size()) {
      throw notEnoughPoints();
    }
    UnitVector3d v1 = points.get(next++);
    // A first triangle, counter-clockwise; points on the great circle of (v0, v1) may widen the edge.
    UnitVector3d normal = v0.robustCrossNormalized(v1);
    UnitVector3d third = null;
    for (; next < points.size(); next++) {
      UnitVector3d v = points.get(next);
      int ccw = Orientation.of(v0, v1, v);
      if (ccw != 0) {
        if (ccw < 0) {
          UnitVector3d swap = v0;
          v0 = v1;
          v1 = swap;
        }
        third = v;
        next++;
        break;
      }
      if (v.sameAs(v0) || v.sameAs(v1)) {
        continue;
      }
      if (v.sameAs(v0.negated()) || v.sameAs(v1.negated())) {
        throw antipodal();
      }
      int v0v = Orientation.of(normal, v0, v);
      int vv1 = Orientation.of(normal, v, v1);
      if (v0v == vv1) {
        continue; // inside the segment (v0, v1)
      }
      int v0v1 = Orientation.of(normal, v0, v1);
      if (v0v1 == -vv1) {
        v1 = v;
      } else if (-v0v == v0v1) {
        v0 = v;
      } else {
        throw antipodal();
      }
    }
    if (third == null) {
      throw notEnoughPoints();
    }
    List<UnitVector3d> hull = new ArrayList<>(List.of(v0, v1, third));
    for (; next < points.size(); next++) {
      hull = addPoint(hull, points.get(next));
    }
    return new ConvexPolygon(hull);
  }

  /**
   * The hull of a counter-clockwise hull and one more point: the run of edges that do not turn counter-clockwise as
   * seen from v is replaced by two edges through v (sphgeom's in-place update, with its choice of first vertex).
   */
  private static List<UnitVector3d> addPoint(List<UnitVector3d> hull, UnitVector3d v) {
    int m = hull.size();
    // ccw[k]: the edge ending at vertex k (from vertex k − 1, cyclically) turns counter-clockwise as seen from v.
    boolean[] ccw = new boolean[m];
    for (int k = 0; k < m; k++) {
      ccw[k] = Orientation.of(v, hull.get((k + m - 1) % m), hull.get(k)) > 0;
    }
    int toCcw = -1;   // last vertex of the run of edges v sees
    int fromCcw = -1; // vertex ending the first edge of that run
    for (int k = 0; k < m; k++) {
      boolean previous = ccw[(k + m - 1) % m];
      if (ccw[k] && !previous) {
        toCcw = (k + m - 1) % m;
      } else if (!ccw[k] && previous) {
        fromCcw = k;
      }
    }
    if (toCcw < 0) {
      if (ccw[0]) {
        return hull; // v is inside
      }
      throw antipodal(); // no edge faces away from v: −v is inside
    }
    List<UnitVector3d> result = new ArrayList<>(m + 1);
    if (toCcw < fromCcw) {
      result.addAll(hull.subList(toCcw, fromCcw));
      result.add(v);
    } else if (toCcw > fromCcw) {
      result.addAll(hull.subList(0, fromCcw));
      result.add(v);
      result.addAll(hull.subList(toCcw, m));
    } else if (fromCcw == 0) {
      result.addAll(hull);
      result.add(v);
    } else {
      result.addAll(hull.subList(0, fromCcw));
      result.add(v);
      result.addAll(hull.subList(fromCcw, m));
    }
    return result;
  }

  /** Whether v is inside or on the boundary (sphgeom's {@code contains}). */
  public boolean contains(UnitVector3d v) {
    int m = vertices.size();
    for (int k = 0; k < m; k++) {
      if (Orientation.of(v, vertices.get((k + m - 1) % m), vertices.get(k)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** sphgeom's binary form. */
  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(1 + VERTEX_BYTES * vertices.size()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(TYPE_CODE);
    for (UnitVector3d v : vertices) {
      buffer.putDouble(v.x()).putDouble(v.y()).putDouble(v.z());
    }
    return buffer.array();
  }

  /** Reads sphgeom's binary form (vertices taken as they are, as sphgeom does). */
  public static ConvexPolygon decode(byte[] encoded) {
    String problem = encodingProblem(encoded);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    ByteBuffer buffer = ByteBuffer.wrap(encoded, 1, encoded.length - 1).order(ByteOrder.LITTLE_ENDIAN);
    List<UnitVector3d> vertices = new ArrayList<>();
    while (buffer.hasRemaining()) {
      vertices.add(new UnitVector3d(buffer.getDouble(), buffer.getDouble(), buffer.getDouble()));
    }
    return new ConvexPolygon(vertices);
  }

  /** What is wrong with bytes given as a ConvexPolygon encoding, or null when they have its shape. */
  public static String encodingProblem(byte[] encoded) {
    int payload = encoded.length - 1;
    if (encoded.length == 0 || encoded[0] != TYPE_CODE || payload % VERTEX_BYTES != 0
        || payload / VERTEX_BYTES < 3) {
      return "a ConvexPolygon encoding is 0x70 then at least 3 vertices of 24 bytes, got " + encoded.length
          + " bytes";
    }
    return null;
  }

  /**
   * Whether another polygon has the same vertices in the same order, each coordinate within {@code tolerance}: the
   * same region computed through other rounding (sphgeom's hull of the same points starts at the same vertex).
   */
  public boolean sameWithin(ConvexPolygon other, double tolerance) {
    if (other.vertices.size() != vertices.size()) {
      return false;
    }
    for (int i = 0; i < vertices.size(); i++) {
      UnitVector3d a = vertices.get(i);
      UnitVector3d b = other.vertices.get(i);
      if (Math.abs(a.x() - b.x()) > tolerance || Math.abs(a.y() - b.y()) > tolerance
          || Math.abs(a.z() - b.z()) > tolerance) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ConvexPolygon p) || p.vertices.size() != vertices.size()) {
      return false;
    }
    for (int i = 0; i < vertices.size(); i++) {
      if (!vertices.get(i).sameAs(p.vertices.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return vertices.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("ConvexPolygon[");
    for (int i = 0; i < vertices.size(); i++) {
      UnitVector3d v = vertices.get(i);
      text.append(i == 0 ? "" : ", ").append(String.format("(%.9f, %.9f)", v.lonDegrees(), v.latDegrees()));
    }
    return text.append(']').toString();
  }

  private static IllegalArgumentException notEnoughPoints() {
    return new IllegalArgumentException("The convex hull of a point set containing less than 3 distinct, "
        + "non-coplanar points is not a convex polygon");
  }

  private static IllegalArgumentException antipodal() {
    return new IllegalArgumentException("The convex hull of the given point set is the entire unit sphere");
  }
}
