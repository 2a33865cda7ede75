package io.autobutler.core.transfer;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

import io.autobutler.core.sphgeom.ConvexPolygon;

/**
 * A sky region as export files carry it: an {@code lsst.sphgeom} type name and the region's sphgeom encoding,
 * kept as raw bytes. YAML writes it as {@code !<lsst.sphgeom.ConvexPolygon> {encoded: <hex>}}; the registry
 * stores the base64 text of the same bytes.
 *
 * <p>The binary form of a ConvexPolygon is {@link ConvexPolygon}'s (the byte {@code 0x70} followed by N &ge; 3
 * vertices); other sphgeom types are carried without being interpreted.
 *
 * @param type    the sphgeom class name, e.g. {@code ConvexPolygon}
 * @param encoded the sphgeom encoding
 */
public record Region(String type, byte[] encoded) {

  /** The prefix of the YAML tags of regions. */
  public static final String TAG_PREFIX = "lsst.sphgeom.";

  public static final String CONVEX_POLYGON = "ConvexPolygon";

  /** The first byte of each sphgeom encoding and the class it stands for. */
  private static final Map<Byte, String> TYPE_CODES = Map.of(
      ConvexPolygon.TYPE_CODE, CONVEX_POLYGON, (byte) 'b', "Box", (byte) 'c', "Circle", (byte) 'e', "Ellipse",
      (byte) 'u', "UnionRegion", (byte) 'i', "IntersectionRegion");

  public Region {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(encoded, "encoded");
    encoded = encoded.clone();
  }

  /** The region of a polygon. */
  public static Region of(ConvexPolygon polygon) {
    return new Region(CONVEX_POLYGON, polygon.encode());
  }

  /** A region of the given sphgeom type from the hex text of its encoding. */
  public static Region fromHex(String type, String hex) {
    return new Region(type, HexFormat.of().parseHex(hex));
  }

  /** A region from the registry's base64 text; its type comes from the encoding's first byte. */
  public static Region fromBase64(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    return new Region(typeOfEncoding(bytes), bytes);
  }

  /** The sphgeom class an encoding's first byte stands for, or {@code Region} when unknown. */
  public static String typeOfEncoding(byte[] bytes) {
    return bytes.length == 0 ? "Region" : TYPE_CODES.getOrDefault(bytes[0], "Region");
  }

  /**
   * Checks the encoding against the type: the type code byte and, for a ConvexPolygon, a whole number of
   * (x, y, z) vertices, at least three.
   *
   * @return null when valid, else what is wrong
   */
  public String problem() {
    if (encoded.length == 0) {
      return "empty " + type + " encoding";
    }
    String codeType = TYPE_CODES.get(encoded[0]);
    if (codeType != null && !codeType.equals(type)) {
      return "encoding of a " + codeType + " given as a " + type;
    }
    return CONVEX_POLYGON.equals(type) ? ConvexPolygon.encodingProblem(encoded) : null;
  }

  @Override
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The YAML tag (without {@code !<>}), e.g. {@code lsst.sphgeom.ConvexPolygon}. */
  public String tag() {
    return TAG_PREFIX + type;
  }

  /** Lower-case hex of the encoding, as export files write it. */
  public String hex() {
    return HexFormat.of().formatHex(encoded);
  }

  /** Base64 of the encoding, as the registry stores it. */
  public String base64() {
    return Base64.getEncoder().encodeToString(encoded);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Region r && type.equals(r.type) && Arrays.equals(encoded, r.encoded);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return type + "[" + hex() + "]";
  }
}
