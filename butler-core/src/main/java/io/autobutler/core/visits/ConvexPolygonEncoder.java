package io.autobutler.core.visits;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The lsst.sphgeom encoding of a ConvexPolygon ({@code ConvexPolygon::encode} in sphgeom's
 * {@code src/ConvexPolygon.cc}): the type code byte {@code 0x70} ('p'), then each vertex as three little-endian
 * IEEE-754 doubles x, y, z, in the polygon's counter-clockwise order. The registry stores the base64 text of these
 * bytes, export files their hex.
 */
public final class ConvexPolygonEncoder {

  /** sphgeom's {@code ConvexPolygon::TYPE_CODE}. */
  public static final byte TYPE_CODE = 'p';

  private ConvexPolygonEncoder() {
  }

  /** The encoding of a convex polygon given by at least three unit vectors {x, y, z} in counter-clockwise order. */
  public static byte[] encode(List<double[]> vertices) {
    if (vertices.size() < 3) {
      throw new IllegalArgumentException("a ConvexPolygon has at least 3 vertices, got " + vertices.size());
    }
    ByteBuffer buffer = ByteBuffer.allocate(1 + 24 * vertices.size()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(TYPE_CODE);
    for (double[] vertex : vertices) {
      buffer.putDouble(vertex[0]).putDouble(vertex[1]).putDouble(vertex[2]);
    }
    return buffer.array();
  }
}
