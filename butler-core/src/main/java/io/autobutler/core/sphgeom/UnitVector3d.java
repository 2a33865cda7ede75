package io.autobutler.core.sphgeom;

/**
 * A point on the unit sphere as a Cartesian vector, the way lsst/sphgeom stores polygon vertices. Components are kept
 * as given (no renormalisation), so that a region written and read back is the same bytes.
 *
 * @param x component towards (RA 0°, Dec 0°)
 * @param y component towards (RA 90°, Dec 0°)
 * @param z component towards the north celestial pole
 */
public record UnitVector3d(double x, double y, double z) {

  /**
   * The vector of a longitude and latitude in radians, computed as {@code lsst.geom.SpherePoint.getVector()} does:
   * {@code (cos lon cos lat, sin lon cos lat, sin lat)}.
   */
  public static UnitVector3d fromLonLat(double lonRad, double latRad) {
    double cosLat = Math.cos(latRad);
    return new UnitVector3d(Math.cos(lonRad) * cosLat, Math.sin(lonRad) * cosLat, Math.sin(latRad));
  }

  /** The vector of a longitude and latitude in degrees (right ascension and declination), as {@link #fromLonLat}. */
  public static UnitVector3d fromLonLatDegrees(double lonDeg, double latDeg) {
    return fromLonLat(Math.toRadians(lonDeg), Math.toRadians(latDeg));
  }

  /** {@code v} scaled to unit length; v must not be the zero vector. */
  public static UnitVector3d normalized(double x, double y, double z) {
    double norm = Math.sqrt(x * x + y * y + z * z);
    if (norm == 0 || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("cannot normalize (" + x + ", " + y + ", " + z + ")");
    }
    return new UnitVector3d(x / norm, y / norm, z / norm);
  }

  public double dot(UnitVector3d v) {
    return x * v.x + y * v.y + z * v.z;
  }

  public UnitVector3d negated() {
    return new UnitVector3d(-x, -y, -z);
  }

  /** {@code (v + this) × (v − this)}, normalized: a normal of the great circle through this and v that stays
   * accurate for nearly parallel vectors (sphgeom's {@code robustCross}). */
  public UnitVector3d robustCrossNormalized(UnitVector3d v) {
    double ax = v.x + x;
    double ay = v.y + y;
    double az = v.z + z;
    double bx = v.x - x;
    double by = v.y - y;
    double bz = v.z - z;
    return normalized(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
  }

  /** The angle to v in radians, in [0, π]: {@code atan2(|this × v|, this · v)}, accurate at any separation. */
  public double angleTo(UnitVector3d v) {
    double cx = y * v.z - z * v.y;
    double cy = z * v.x - x * v.z;
    double cz = x * v.y - y * v.x;
    return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot(v));
  }

  /** Component-wise IEEE equality, as sphgeom compares vertices ({@code -0.0} equals {@code 0.0}). */
  public boolean sameAs(UnitVector3d v) {
    return x == v.x && y == v.y && z == v.z;
  }

  /** Longitude in degrees, in [0, 360). */
  public double lonDegrees() {
    double lon = Math.toDegrees(Math.atan2(y, x));
    return lon < 0 ? lon + 360 : lon;
  }

  /** Latitude in degrees. */
  public double latDegrees() {
    return Math.toDegrees(Math.atan2(z, Math.hypot(x, y)));
  }
}
