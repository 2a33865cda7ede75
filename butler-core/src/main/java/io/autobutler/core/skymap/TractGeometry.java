package io.autobutler.core.skymap;

/**
 * The pixel geometry of one tract: its centre, its bounding box and its patch grid (lsst/skymap {@code tractInfo.py}
 * {@code ExplicitTractInfo}, {@code tractBuilder.py} {@code setupPatches}, tag w.2025.20).
 *
 * <p>The tract WCS is a zenithal projection centred on the tract centre (CRPIX 0,0 before the final shift), scale
 * {@code pixelScale} arcsec/pixel, rotated by {@code rotation}. The minimum bounding box holds the four points at
 * distance {@code radius + tractOverlap} from the centre towards bearings 0°, 90°, 180°, 270°; with the projection
 * radius {@code R(θ)} (TAN: {@code tan θ}; STG: {@code 2 tan(θ/2)}; SIN: {@code sin θ}; ARC: {@code θ}; ZEA:
 * {@code 2 sin(θ/2)}) those points are at {@code W = R/scale} pixels along the rotated axes, so the box spans
 * {@code ±W·max(|cos α|, |sin α|)} in x and y. It becomes an integer box with lsst.geom's EXPAND rule
 * ({@code min = ceil(minD − 0.5)}, {@code max = floor(maxD + 0.5)}); each axis of size D then gets
 * {@code ceil(D / patchInner)} patches and is grown to a whole number of patches.
 *
 * <p>Computed in double precision rather than by AST; results differ from upstream only if a box edge falls within
 * ~1e-9 pixel of a half-integer. Other projections than the five zenithal ones above are not supported.
 *
 * <p><b>Missing:</b> the tract and patch {@code region}s (sphgeom ConvexPolygons of the box corners mapped through
 * the WCS). Matching upstream bit for bit would need AST's exact arithmetic for {@code pixelToSky} and sphgeom's
 * hull vertex ordering; they are not computed here.
 *
 * @param id           tract id
 * @param centerRaDeg  centre RA, degrees, in [0, 360)
 * @param centerDecDeg centre Dec, degrees
 * @param radiusDeg    half-size of the inner region, degrees
 * @param width        final tract bounding-box width, pixels
 * @param height       final tract bounding-box height, pixels
 * @param numPatchesX  patches in x
 * @param numPatchesY  patches in y
 */
public record TractGeometry(int id, double centerRaDeg, double centerDecDeg, double radiusDeg, long width,
                            long height, int numPatchesX, int numPatchesY) {

  static TractGeometry compute(SkyMapConfig config, int id, double raRad, double decRad, double radiusRad) {
    double theta = radiusRad + Math.toRadians(config.tractOverlap());
    double projected = projectionRadiusDegrees(config.projection(), theta);
    double scaleDeg = config.pixelScale() / 3600.0;
    double w = projected / scaleDeg;
    double alpha = Math.toRadians(config.rotation());
    double half = w * Math.max(Math.abs(Math.cos(alpha)), Math.abs(Math.sin(alpha)));
    long min = (long) Math.ceil(-half - 0.5);
    long max = (long) Math.floor(half + 0.5);
    long size = max - min + 1;
    long[] inner = config.patchInnerDimensions();
    long nx = (size + inner[0] - 1) / inner[0];
    long ny = (size + inner[1] - 1) / inner[1];
    return new TractGeometry(id, Math.toDegrees(raRad), Math.toDegrees(decRad), Math.toDegrees(radiusRad),
        inner[0] * nx, inner[1] * ny, Math.toIntExact(nx), Math.toIntExact(ny));
  }

  /** FITS zenithal projection radius in degrees for a native colatitude {@code theta} (radians). */
  static double projectionRadiusDegrees(String projection, double theta) {
    double r = switch (projection) {
      case "TAN" -> Math.tan(theta);
      case "STG" -> 2 * Math.tan(theta / 2);
      case "SIN" -> Math.sin(theta);
      case "ARC" -> theta;
      case "ZEA" -> 2 * Math.sin(theta / 2);
      default -> throw new SkyMapConfigException("projection '" + projection + "' is not supported (only TAN, STG,"
          + " SIN, ARC and ZEA)");
    };
    return Math.toDegrees(r);
  }

  /** Number of patches. */
  public int patchCount() {
    return numPatchesX * numPatchesY;
  }
}
