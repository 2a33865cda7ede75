package io.autobutler.core.skymap;

import io.autobutler.core.sphgeom.UnitVector3d;

/**
 * The celestial WCS of a tract, as lsst/skymap builds it ({@code detail/wcsFactory.py}: afw's {@code makeSkyWcs} with
 * {@code makeCdMatrix(pixelScale, rotation, flipX=False)}) and as AST evaluates that FITS-WCS: pixel → intermediate
 * world coordinates through the CD matrix, then a zenithal projection about CRVAL.
 *
 * <p>Pixel positions follow the LSST convention (pixel centres at integers, 0-based); CRPIX here is 0-based too
 * (afw adds 1 when it writes the FITS card, the difference cancels out).
 *
 * <p>The header has no LONPOLE, so AST applies FITS-WCS paper II's default: the native longitude of the celestial
 * pole is 180° unless CRVAL's latitude is +90° exactly, where it is 0°. For every tract that puts north up and east
 * to the left; for the north polar cap (CRVAL = the pole) the image is turned by 180° compared with the limit of
 * its neighbours, so that +y points towards RA 0° on both caps.
 *
 * <p>The arithmetic is double precision with the same formulas, not AST's code: coordinates agree with upstream to
 * a few units in the last place, not necessarily bit for bit.
 */
final class TractWcs {

  private final Projection projection;
  private final double crpixX;
  private final double crpixY;
  /** CD matrix (degrees per pixel) and its inverse. */
  private final double cd11;
  private final double cd12;
  private final double cd21;
  private final double cd22;
  private final double inv11;
  private final double inv12;
  private final double inv21;
  private final double inv22;
  /** The tract centre and the celestial directions of the native x and y axes there. */
  private final UnitVector3d centre;
  private final UnitVector3d nativeX;
  private final UnitVector3d nativeY;

  private TractWcs(Projection projection, double crpixX, double crpixY, double[] cd, UnitVector3d centre,
                   UnitVector3d nativeX, UnitVector3d nativeY) {
    this.projection = projection;
    this.crpixX = crpixX;
    this.crpixY = crpixY;
    this.cd11 = cd[0];
    this.cd12 = cd[1];
    this.cd21 = cd[2];
    this.cd22 = cd[3];
    double det = cd11 * cd22 - cd12 * cd21;
    this.inv11 = cd22 / det;
    this.inv12 = -cd12 / det;
    this.inv21 = -cd21 / det;
    this.inv22 = cd11 / det;
    this.centre = centre;
    this.nativeX = nativeX;
    this.nativeY = nativeY;
  }

  /**
   * The WCS skymap starts a tract with: CRPIX (0, 0), CRVAL the tract centre.
   *
   * @param pixelScaleArcsec pixel scale, arcseconds per pixel
   * @param rotationDeg      rotation of the tract relative to north, degrees
   */
  static TractWcs centredOn(Projection projection, double raRad, double decRad, double pixelScaleArcsec,
                            double rotationDeg) {
    // lsst.geom angles: Angle(v, arcseconds).asDegrees() and Angle(v, degrees).asRadians().
    double scaleDeg = pixelScaleArcsec * (Math.PI / (180.0 * 3600.0)) / (Math.PI / 180.0);
    double orientation = rotationDeg * (Math.PI / 180.0);
    double xSign = -1.0; // flipX = False: RA increases to the left
    double[] cd = {
        Math.cos(orientation) * scaleDeg * xSign, Math.sin(orientation) * scaleDeg,
        -Math.sin(orientation) * scaleDeg * xSign, Math.cos(orientation) * scaleDeg};
    double sinRa = Math.sin(raRad);
    double cosRa = Math.cos(raRad);
    double sinDec = Math.sin(decRad);
    double cosDec = Math.cos(decRad);
    UnitVector3d centre = new UnitVector3d(cosDec * cosRa, cosDec * sinRa, sinDec);
    UnitVector3d east = new UnitVector3d(-sinRa, cosRa, 0);
    UnitVector3d north = new UnitVector3d(-sinDec * cosRa, -sinDec * sinRa, cosDec);
    // AST's default LONPOLE: 0° when CRVAL2 (written in degrees by afw, read back in radians) reaches +90°, else 180°.
    double crval2Deg = decRad / (Math.PI / 180.0);
    boolean poleAtCentre = crval2Deg * (Math.PI / 180.0) >= Math.PI / 2;
    UnitVector3d nativeX = poleAtCentre ? north : north.negated();
    UnitVector3d nativeY = poleAtCentre ? east.negated() : east;
    return new TractWcs(projection, 0, 0, cd, centre, nativeX, nativeY);
  }

  /** {@code SkyWcs.copyAtShiftedPixelOrigin}: the same sky at pixel positions moved by (dx, dy). */
  TractWcs shifted(double dx, double dy) {
    return new TractWcs(projection, crpixX + dx, crpixY + dy, new double[] {cd11, cd12, cd21, cd22}, centre,
        nativeX, nativeY);
  }

  double crpixX() {
    return crpixX;
  }

  double crpixY() {
    return crpixY;
  }

  /**
   * The sky position of a pixel position, as the unit vector {@code SpherePoint.getVector()} gives for the
   * (longitude, latitude) the WCS returns.
   */
  UnitVector3d pixelToSky(double x, double y) {
    double dx = x - crpixX;
    double dy = y - crpixY;
    double xi = Math.toRadians(cd11 * dx + cd12 * dy);
    double eta = Math.toRadians(cd21 * dx + cd22 * dy);
    double r = Math.hypot(xi, eta);
    double px;
    double py;
    double pz;
    if (r == 0) {
      px = centre.x();
      py = centre.y();
      pz = centre.z();
    } else {
      double gamma = projection.distance(r);
      double sinGamma = Math.sin(gamma);
      double cosGamma = Math.cos(gamma);
      // Native spherical coordinates: x = R sin φ, y = −R cos φ, latitude 90° − γ.
      double nx = sinGamma * (-eta / r);
      double ny = sinGamma * (xi / r);
      px = nx * nativeX.x() + ny * nativeY.x() + cosGamma * centre.x();
      py = nx * nativeX.y() + ny * nativeY.y() + cosGamma * centre.y();
      pz = nx * nativeX.z() + ny * nativeY.z() + cosGamma * centre.z();
    }
    double lon = Math.atan2(py, px);
    double lat = Math.atan2(pz, Math.hypot(px, py));
    return UnitVector3d.fromLonLat(lon, lat);
  }

  /** The pixel position (x, y) of a sky position; it must lie in the projection's hemisphere. */
  double[] skyToPixel(UnitVector3d p) {
    double nx = p.dot(nativeX);
    double ny = p.dot(nativeY);
    double nz = p.dot(centre);
    double s = Math.hypot(nx, ny);
    double xiDeg = 0;
    double etaDeg = 0;
    if (s > 0) {
      double r = Math.toDegrees(projection.radius(Math.atan2(s, nz)));
      xiDeg = r * ny / s;
      etaDeg = -r * nx / s;
    }
    return new double[] {inv11 * xiDeg + inv12 * etaDeg + crpixX, inv21 * xiDeg + inv22 * etaDeg + crpixY};
  }
}
