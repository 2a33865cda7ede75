package io.autobutler.core.visits;

/** A direction on the celestial sphere as a unit vector of the ICRS frame (sphgeom's UnitVector3d). */
public record UnitVector(double x, double y, double z) {

  /** A unit vector along (x, y, z), which must not be the zero vector. */
  public static UnitVector normalized(double x, double y, double z) {
    double norm = Math.sqrt(x * x + y * y + z * z);
    if (norm == 0 || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("cannot normalize (" + x + ", " + y + ", " + z + ")");
    }
    return new UnitVector(x / norm, y / norm, z / norm);
  }

  /** The direction of right ascension and declination in degrees. */
  public static UnitVector fromRaDec(double raDeg, double decDeg) {
    double ra = Math.toRadians(raDeg);
    double dec = Math.toRadians(decDeg);
    return new UnitVector(Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec));
  }

  public double dot(UnitVector other) {
    return x * other.x + y * other.y + z * other.z;
  }

  /** The determinant of (this, b, c): positive when the three directions turn counter-clockwise seen from outside. */
  public double orientation(UnitVector b, UnitVector c) {
    return x * (b.y * c.z - b.z * c.y) + y * (b.z * c.x - b.x * c.z) + z * (b.x * c.y - b.y * c.x);
  }

  /** The angle to another direction, in degrees. */
  public double angleTo(UnitVector other) {
    double crossX = y * other.z - z * other.y;
    double crossY = z * other.x - x * other.z;
    double crossZ = x * other.y - y * other.x;
    return Math.toDegrees(Math.atan2(Math.sqrt(crossX * crossX + crossY * crossY + crossZ * crossZ), dot(other)));
  }

  /** Right ascension in degrees, in [0, 360). */
  public double ra() {
    double ra = Math.toDegrees(Math.atan2(y, x));
    return ra < 0 ? ra + 360 : ra;
  }

  /** Declination in degrees. */
  public double dec() {
    return Math.toDegrees(Math.atan2(z, Math.hypot(x, y)));
  }
}
