package io.autobutler.core.ingest.obsinfo;

/** The angle pairs of ObservationInfo, in degrees, normalised as astropy normalises them. */
public final class SkyAngles {

  private SkyAngles() {
  }

  /** ICRS tracking position: RA wrapped into [0, 360) (astropy Longitude), Dec within [-90, 90]. */
  public record RaDec(double ra, double dec) {
    public RaDec {
      requireLatitude("dec", dec);
      ra = wrap(ra);
    }
  }

  /** Telescope pointing: azimuth wrapped into [0, 360), altitude within [-90, 90]. */
  public record AltAz(double az, double alt) {
    public AltAz {
      requireLatitude("alt", alt);
      az = wrap(az);
    }

    /** astropy's {@code AltAz.zen}: {@code 90 deg - alt}. */
    public double zenithAngle() {
      return 90.0 - alt;
    }
  }

  /** An observatory's geocentric position in metres. */
  public record Geocentric(double x, double y, double z) {
  }

  private static void requireLatitude(String name, double value) {
    if (!(value >= -90.0 && value <= 90.0)) {
      throw new IllegalArgumentException(name + " " + value + " is not within [-90, 90] degrees");
    }
  }

  /**
   * astropy Longitude's wrap at 360 degrees into {@code [0, 360)}, with its arithmetic: whole turns are subtracted
   * ({@code -121.29} becomes {@code -121.29 + 360 = 238.70999999999998}, as in Python).
   */
  static double wrap(double degrees) {
    if (!Double.isFinite(degrees)) {
      throw new IllegalArgumentException("angle " + degrees + " is not finite");
    }
    double turns = Math.floor(degrees / 360.0);
    if (turns == 0) {
      return degrees;
    }
    double wrapped = degrees - turns * 360.0;
    if (wrapped >= 360.0) {
      wrapped -= 360.0;
    }
    if (wrapped < 0.0) {
      wrapped += 360.0;
    }
    return wrapped;
  }
}
