package io.autobutler.core.visits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.core.instrument.CameraGeometry;
import io.autobutler.core.instrument.CameraGeometry.DetectorGeometry;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.UnitVector3d;

/**
 * The sky regions of a visit, as obs_base's default {@code single-raw-wcs} computes them
 * ({@code _ComputeVisitRegionsFromSingleRawWcsTask}): the WCS the raw formatter makes from the first exposure's
 * boresight and sky rotation ({@code makeRawSkyWcsFromBoresight}, obs_base {@code createInitialSkyWcsFromBoresight}
 * with {@code flipX=False} for LSSTCam and LSSTComCam) maps each detector's bounding box, grown by the padding, onto
 * the sky; a detector's region is the convex hull of its four corners, the visit's the hull of all corners.
 * The corners go to sphgeom's hull in upstream's order (detectors by id, each box's corners from the lower left
 * counter-clockwise, as {@code Box2D.getCorners}), so that each polygon has upstream's vertices in upstream's order,
 * from the same first vertex.
 *
 * <p>That WCS (afw {@code makeSkyWcs(pixelsToFieldAngle, orientation, flipX, boresight)}) is: pixels to focal plane
 * to field angle through the camera geometry, then intermediate world coordinates {@code M * fieldAngle} with
 * {@code M = [[-cos θ, sin θ], [sin θ, cos θ]]} ({@code makeCdMatrix(1°, θ, flipX=False)}, θ the sky angle), then
 * the gnomonic (TAN) projection at the boresight: x towards increasing right ascension, y towards the north.
 */
public final class VisitRegions {

  /** obs_base's {@code ComputeVisitRegionsConfig.padding}: pixels added around each detector's bounding box. */
  public static final int PADDING = 250;

  private final CameraGeometry camera;

  public VisitRegions(CameraGeometry camera) {
    this.camera = camera;
  }

  /** A visit's region and its detectors' regions (by detector id, in id order). */
  public record Regions(ConvexPolygon visit, Map<Integer, ConvexPolygon> detectors) {
  }

  /** The regions of an exposure that sees the sky (see {@link ExposureRecord#seesTheSky()}). */
  public Regions compute(ExposureRecord exposure) {
    Pointing pointing = new Pointing(exposure.trackingRa(), exposure.trackingDec(), exposure.skyAngle());
    Map<Integer, ConvexPolygon> detectors = new LinkedHashMap<>();
    List<UnitVector3d> all = new ArrayList<>();
    for (DetectorGeometry detector : camera.detectors()) {
      List<UnitVector3d> corners = new ArrayList<>(4);
      for (double[] pixel : detector.paddedCorners(PADDING)) {
        corners.add(pointing.sky(detector, pixel[0], pixel[1]));
      }
      detectors.put(detector.id(), ConvexPolygon.hullOf(corners));
      all.addAll(corners);
    }
    return new Regions(ConvexPolygon.hullOf(all), detectors);
  }

  /** The boresight WCS of one exposure. */
  private final class Pointing {
    private final UnitVector3d center;
    private final double[] east;
    private final double[] north;
    private final double cos;
    private final double sin;

    Pointing(double raDeg, double decDeg, double skyAngleDeg) {
      double ra = Math.toRadians(raDeg);
      double dec = Math.toRadians(decDeg);
      center = UnitVector3d.fromLonLatDegrees(raDeg, decDeg);
      east = new double[] {-Math.sin(ra), Math.cos(ra), 0};
      north = new double[] {-Math.sin(dec) * Math.cos(ra), -Math.sin(dec) * Math.sin(ra), Math.cos(dec)};
      double angle = Math.toRadians(skyAngleDeg);
      cos = Math.cos(angle);
      sin = Math.sin(angle);
    }

    UnitVector3d sky(DetectorGeometry detector, double x, double y) {
      double[] fp = detector.focalPlane(x, y);
      double[] angle = camera.fieldAngle(fp[0], fp[1]);
      // Intermediate world coordinates in radians: the gnomonic plane's standard coordinates (xi, eta).
      double xi = -cos * angle[0] + sin * angle[1];
      double eta = sin * angle[0] + cos * angle[1];
      return UnitVector3d.normalized(center.x() + xi * east[0] + eta * north[0],
          center.y() + xi * east[1] + eta * north[1], center.z() + xi * east[2] + eta * north[2]);
    }
  }
}
