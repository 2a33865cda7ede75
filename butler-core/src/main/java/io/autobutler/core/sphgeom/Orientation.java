package io.autobutler.core.sphgeom;

import java.math.BigDecimal;

/**
 * The orientation of three points on the sphere: the sign of the determinant {@code a · (b × c)}, positive when
 * a, b, c turn counter-clockwise seen from outside the sphere. As in lsst/sphgeom ({@code orientation.cc}), the
 * double-precision determinant decides when it is clearly away from zero (error bound after Shewchuk); otherwise the
 * sign comes from exact arithmetic, so that hull construction never takes a wrong turn on rounding noise.
 */
public final class Orientation {

  /** A bound on the relative error of the double-precision determinant of three unit vectors (a bit over 5ε). */
  private static final double RELATIVE_ERROR = 5.6e-16;
  /** A bound on its absolute error, the permanent of unit vectors being at most about 3. */
  private static final double MAX_ABSOLUTE_ERROR = 1.7e-15;
  /** Room for underflow in the products. */
  private static final double MIN_ABSOLUTE_ERROR = 4.0e-307;

  private Orientation() {
  }

  /** +1 counter-clockwise, −1 clockwise, 0 when the three points lie on one great circle. */
  public static int of(UnitVector3d a, UnitVector3d b, UnitVector3d c) {
    double bycz = b.y() * c.z();
    double bzcy = b.z() * c.y();
    double bzcx = b.z() * c.x();
    double bxcz = b.x() * c.z();
    double bxcy = b.x() * c.y();
    double bycx = b.y() * c.x();
    double determinant = a.x() * (bycz - bzcy) + a.y() * (bzcx - bxcz) + a.z() * (bxcy - bycx);
    if (determinant > MAX_ABSOLUTE_ERROR) {
      return 1;
    }
    if (determinant < -MAX_ABSOLUTE_ERROR) {
      return -1;
    }
    double permanent = Math.abs(a.x()) * (Math.abs(bycz) + Math.abs(bzcy))
        + Math.abs(a.y()) * (Math.abs(bzcx) + Math.abs(bxcz))
        + Math.abs(a.z()) * (Math.abs(bxcy) + Math.abs(bycx));
    double maxError = RELATIVE_ERROR * permanent + MIN_ABSOLUTE_ERROR;
    if (determinant > maxError) {
      return 1;
    }
    if (determinant < -maxError) {
      return -1;
    }
    if (a.sameAs(b) || b.sameAs(c) || a.sameAs(c)
        || a.sameAs(b.negated()) || b.sameAs(c.negated()) || a.sameAs(c.negated())) {
      return 0;
    }
    return exact(a, b, c);
  }

  /** The sign of the determinant in exact arithmetic (every double is an exact decimal). */
  static int exact(UnitVector3d a, UnitVector3d b, UnitVector3d c) {
    BigDecimal sum = product(a.x(), b.y(), c.z())
        .subtract(product(a.x(), b.z(), c.y()))
        .add(product(a.y(), b.z(), c.x()))
        .subtract(product(a.y(), b.x(), c.z()))
        .add(product(a.z(), b.x(), c.y()))
        .subtract(product(a.z(), b.y(), c.x()));
    return sum.signum();
  }

  private static BigDecimal product(double u, double v, double w) {
    return new BigDecimal(u).multiply(new BigDecimal(v)).multiply(new BigDecimal(w));
  }
}
