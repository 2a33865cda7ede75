package io.autobutler.core.skymap;

import java.util.List;

import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.UnitVector3d;

/**
 * One tract: its pixel grid, its WCS, its patches and the regions {@code register-skymap} stores (lsst/skymap tag
 * w.2025.20: {@code tractInfo.py} {@code ExplicitTractInfo}, {@code tractBuilder.py} {@code setupPatches} and the
 * legacy and cells builders' {@code getPatchInfo}, {@code detail/utils.py} {@code makeSkyPolygonFromBBox}).
 *
 * <p>How upstream lays a tract out, and how it is done here:
 * <ol>
 *   <li>A WCS centred on the tract (CRPIX 0, 0; see {@link TractWcs}).</li>
 *   <li>The minimum bounding box holds the four points at angular distance {@code radius + tractOverlap} from the
 *       centre towards bearings 0°, 90°, 180°, 270° (lsst.geom's {@code SpherePoint.offset}), projected to pixels. It
 *       becomes an integer box with lsst.geom's EXPAND rule ({@code min = floor(minD + 0.5)},
 *       {@code max = ceil(maxD − 0.5)}).</li>
 *   <li>Each axis of size D gets {@code ceil(D / patchInner)} patches; the box grows to that many patch widths,
 *       its start moving back by half the growth (rounded down), so the tract stays centred.</li>
 *   <li>The box is moved to start at pixel (0, 0) and the WCS shifted with it.</li>
 *   <li>Patch (x, y) has the inner box starting at {@code (x·innerWidth, y·innerHeight)}; its outer box is the
 *       inner one grown by the patch border on every side, clipped to the tract by the legacy builder and not
 *       clipped by the cells builder (cell-based coadds reach beyond the tract).</li>
 *   <li>A region is the convex polygon through the four outer corners of a box's edge pixels
 *       ({@code Box2D(bbox).getCorners()}: lower left, lower right, upper right, upper left) mapped to the sky, in
 *       sphgeom's hull order: the tract's bounding box for the {@code tract} record, the patch's outer box for the
 *       {@code patch} record.</li>
 * </ol>
 */
public final class TractGeometry {

  private final int id;
  private final double centerRaRad;
  private final double centerDecRad;
  private final double radiusRad;
  private final long width;
  private final long height;
  private final int numPatchesX;
  private final int numPatchesY;
  private final long patchInnerWidth;
  private final long patchInnerHeight;
  private final long patchBorder;
  private final boolean clipPatchesToTract;
  private final TractWcs wcs;

  private TractGeometry(int id, double centerRaRad, double centerDecRad, double radiusRad, long width, long height,
                        int numPatchesX, int numPatchesY, SkyMapConfig config, TractWcs wcs) {
    this.id = id;
    this.centerRaRad = centerRaRad;
    this.centerDecRad = centerDecRad;
    this.radiusRad = radiusRad;
    this.width = width;
    this.height = height;
    this.numPatchesX = numPatchesX;
    this.numPatchesY = numPatchesY;
    long[] inner = config.patchInnerDimensions();
    this.patchInnerWidth = inner[0];
    this.patchInnerHeight = inner[1];
    this.patchBorder = config.patchBorder();
    this.clipPatchesToTract = config.tractBuilder().equals("legacy");
    this.wcs = wcs;
  }

  /** The tract centred on (ra, dec) with the given inner half-size (all in radians). */
  static TractGeometry compute(SkyMapConfig config, int id, double raRad, double decRad, double radiusRad) {
    TractWcs initial = TractWcs.centredOn(Projection.named(config.projection()), raRad, decRad, config.pixelScale(),
        config.rotation());

    // Minimum bounding box of the inner square plus the overlap, in the initial pixel frame.
    double reach = radiusRad + config.tractOverlap() * (Math.PI / 180.0);
    UnitVector3d centre = UnitVector3d.fromLonLat(raRad, decRad);
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 4; i++) {
      double[] pixel = initial.skyToPixel(offset(centre, raRad, (i * 90) * (Math.PI / 180.0), reach));
      minX = Math.min(minX, pixel[0]);
      maxX = Math.max(maxX, pixel[0]);
      minY = Math.min(minY, pixel[1]);
      maxY = Math.max(maxY, pixel[1]);
    }
    long boxMinX = (long) Math.floor(minX + 0.5);
    long boxMinY = (long) Math.floor(minY + 0.5);
    long boxWidth = (long) Math.ceil(maxX - 0.5) + 1 - boxMinX;
    long boxHeight = (long) Math.ceil(maxY - 0.5) + 1 - boxMinY;

    // A whole number of patches per axis, the growth shared on both sides.
    long[] inner = config.patchInnerDimensions();
    long numX = (boxWidth + inner[0] - 1) / inner[0];
    long numY = (boxHeight + inner[1] - 1) / inner[1];
    boxMinX -= Math.floorDiv(inner[0] * numX - boxWidth, 2);
    boxMinY -= Math.floorDiv(inner[1] * numY - boxHeight, 2);

    TractWcs shifted = initial.shifted(-boxMinX, -boxMinY);
    return new TractGeometry(id, raRad, decRad, radiusRad, inner[0] * numX, inner[1] * numY, Math.toIntExact(numX),
        Math.toIntExact(numY), config, shifted);
  }

  /**
   * {@code SpherePoint.offset(bearing, amount)}: the point {@code amount} away from {@code r} along the great circle
   * leaving it at {@code bearing} (0 east, 90° north, measured with the east vector of longitude {@code lonRad}).
   */
  private static UnitVector3d offset(UnitVector3d r, double lonRad, double bearing, double amount) {
    double ux = -Math.sin(lonRad);
    double uy = Math.cos(lonRad);
    // w = r × u: north
    double wx = -r.z() * uy;
    double wy = r.z() * ux;
    double wz = r.x() * uy - r.y() * ux;
    double c = Math.cos(bearing);
    double s = Math.sin(bearing);
    double vx = c * ux + s * wx;
    double vy = c * uy + s * wy;
    double vz = s * wz;
    double cosA = Math.cos(amount);
    double sinA = Math.sin(amount);
    return new UnitVector3d(r.x() * cosA + vx * sinA, r.y() * cosA + vy * sinA, r.z() * cosA + vz * sinA);
  }

  public int id() {
    return id;
  }

  /** Centre RA, degrees, in [0, 360). */
  public double centerRaDeg() {
    return Math.toDegrees(centerRaRad);
  }

  /** Centre Dec, degrees. */
  public double centerDecDeg() {
    return Math.toDegrees(centerDecRad);
  }

  /** Half-size of the inner region, degrees. */
  public double radiusDeg() {
    return Math.toDegrees(radiusRad);
  }

  /** Tract bounding-box width, pixels. */
  public long width() {
    return width;
  }

  /** Tract bounding-box height, pixels. */
  public long height() {
    return height;
  }

  public int numPatchesX() {
    return numPatchesX;
  }

  public int numPatchesY() {
    return numPatchesY;
  }

  public int patchCount() {
    return numPatchesX * numPatchesY;
  }

  /** The {@code patch} id of patch (x, y): {@code nx·y + x}. */
  public int sequentialPatchIndex(int x, int y) {
    return numPatchesX * y + x;
  }

  /** The {@code tract} record's region: the tract's bounding box on the sky ({@code getOuterSkyPolygon()}). */
  public ConvexPolygon outerRegion() {
    return boxRegion(0, 0, width - 1, height - 1);
  }

  /** The {@code patch} record's region: the patch's outer box on the sky. */
  public ConvexPolygon patchOuterRegion(int x, int y) {
    long[] box = patchOuterBox(x, y);
    return boxRegion(box[0], box[1], box[2], box[3]);
  }

  /** The patch's inner box on the sky (the inner boxes tile the tract). */
  public ConvexPolygon patchInnerRegion(int x, int y) {
    checkPatch(x, y);
    long minX = x * patchInnerWidth;
    long minY = y * patchInnerHeight;
    return boxRegion(minX, minY, minX + patchInnerWidth - 1, minY + patchInnerHeight - 1);
  }

  /** The outer box of patch (x, y) in tract pixels: {@code minX, minY, maxX, maxY}, inclusive. */
  public long[] patchOuterBox(int x, int y) {
    checkPatch(x, y);
    long minX = x * patchInnerWidth - patchBorder;
    long minY = y * patchInnerHeight - patchBorder;
    long maxX = (x + 1) * patchInnerWidth - 1 + patchBorder;
    long maxY = (y + 1) * patchInnerHeight - 1 + patchBorder;
    if (clipPatchesToTract) {
      minX = Math.max(minX, 0);
      minY = Math.max(minY, 0);
      maxX = Math.min(maxX, width - 1);
      maxY = Math.min(maxY, height - 1);
    }
    return new long[] {minX, minY, maxX, maxY};
  }

  /** The sky position of a tract pixel position. */
  public UnitVector3d pixelToSky(double x, double y) {
    return wcs.pixelToSky(x, y);
  }

  /** The tract pixel position of a sky position. */
  public double[] skyToPixel(UnitVector3d point) {
    return wcs.skyToPixel(point);
  }

  /** The pixel position of the tract centre (the final WCS's CRPIX). */
  public double[] centrePixel() {
    return new double[] {wcs.crpixX(), wcs.crpixY()};
  }

  private ConvexPolygon boxRegion(long minX, long minY, long maxX, long maxY) {
    double x0 = minX - 0.5;
    double y0 = minY - 0.5;
    double x1 = maxX + 0.5;
    double y1 = maxY + 0.5;
    return ConvexPolygon.hullOf(List.of(wcs.pixelToSky(x0, y0), wcs.pixelToSky(x1, y0), wcs.pixelToSky(x1, y1),
        wcs.pixelToSky(x0, y1)));
  }

  private void checkPatch(int x, int y) {
    if (x < 0 || x >= numPatchesX || y < 0 || y >= numPatchesY) {
      throw new IndexOutOfBoundsException("patch (" + x + ", " + y + ") is not in [0-" + (numPatchesX - 1) + ", 0-"
          + (numPatchesY - 1) + "]");
    }
  }

  @Override
  public String toString() {
    return "TractGeometry[" + id + ", centre (" + centerRaDeg() + ", " + centerDecDeg() + "), " + width + "x" + height
        + " px, " + numPatchesX + "x" + numPatchesY + " patches]";
  }
}
