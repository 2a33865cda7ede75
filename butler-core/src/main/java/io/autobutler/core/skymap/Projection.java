package io.autobutler.core.skymap;

/**
 * The zenithal FITS projections a skymap's tract WCS may use (Calabretta &amp; Greisen 2002, section 5.1): each maps
 * the angular distance γ from the tract centre to a radius R in the projection plane (both in radians).
 */
enum Projection {
  /** Gnomonic: R = tan γ. */
  TAN {
    @Override
    double radius(double gamma) {
      return Math.tan(gamma);
    }

    @Override
    double distance(double radius) {
      return Math.atan(radius);
    }
  },
  /** Stereographic: R = 2 tan(γ/2). */
  STG {
    @Override
    double radius(double gamma) {
      return 2 * Math.tan(gamma / 2);
    }

    @Override
    double distance(double radius) {
      return 2 * Math.atan(radius / 2);
    }
  },
  /** Orthographic: R = sin γ. */
  SIN {
    @Override
    double radius(double gamma) {
      return Math.sin(gamma);
    }

    @Override
    double distance(double radius) {
      return Math.asin(checked(radius, 1));
    }
  },
  /** Zenithal equidistant: R = γ. */
  ARC {
    @Override
    double radius(double gamma) {
      return gamma;
    }

    @Override
    double distance(double radius) {
      return radius;
    }
  },
  /** Zenithal equal-area: R = 2 sin(γ/2). */
  ZEA {
    @Override
    double radius(double gamma) {
      return 2 * Math.sin(gamma / 2);
    }

    @Override
    double distance(double radius) {
      return 2 * Math.asin(checked(radius, 2) / 2);
    }
  };

  /** The projection-plane radius of a point at angular distance {@code gamma} from the centre. */
  abstract double radius(double gamma);

  /** The angular distance from the centre of a point at projection-plane radius {@code radius}. */
  abstract double distance(double radius);

  /** A projection by its FITS code, e.g. {@code TAN}. */
  static Projection named(String code) {
    for (Projection projection : values()) {
      if (projection.name().equals(code)) {
        return projection;
      }
    }
    throw new SkyMapConfigException("projection '" + code + "' is not supported (only TAN, STG, SIN, ARC and ZEA)");
  }

  private static double checked(double radius, double limit) {
    if (radius > limit) {
      throw new IllegalArgumentException("pixel lies outside the projection (radius " + radius + " > " + limit + ")");
    }
    return radius;
  }
}
