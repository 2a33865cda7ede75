package io.autobutler.core.ingest.obsinfo;

import io.autobutler.core.time.TaiTime;

/**
 * The JSON form of ObservationInfo times: a TAI Julian Date as two doubles {@code [jd1, jd2]} (astropy's
 * {@code tai.jd1, tai.jd2}). Converting it to registry nanoseconds repeats astropy's and daf_butler's arithmetic
 * ({@code day_frac} normalisation, subtraction of the 1970 TAI epoch, {@code TimeConverter.astropy_to_nsec}), so a
 * raw ingested here gets the very nanoseconds the butler computes from the same index.
 */
public final class TaiJulianDate {

  /** astropy's epoch 1970-01-01 00:00:00 TAI, normalised as {@code (jd1, jd2)}. */
  private static final double EPOCH_JD1 = 2440588.0;
  private static final double EPOCH_JD2 = -0.5;
  private static final long NANOS_PER_DAY = 86_400L * TaiTime.NANOS_PER_SECOND;

  private TaiJulianDate() {
  }

  /** The TAI instant of a Julian Date pair, to the nanosecond, as daf_butler rounds it. */
  public static TaiTime toTaiTime(double jd1, double jd2) {
    if (!Double.isFinite(jd1) || !Double.isFinite(jd2)) {
      throw new IllegalArgumentException("the Julian Date [" + jd1 + ", " + jd2 + "] is not finite");
    }
    double[] time = dayFrac(jd1, jd2);
    double[] delta = dayFrac(time[0] - EPOCH_JD1, time[1] - EPOCH_JD2);
    double days = Math.floor(delta[0]);
    double extra = delta[0] - days;
    if (Math.abs(days) > 100_000) {
      throw new IllegalArgumentException("the Julian Date [" + jd1 + ", " + jd2 + "] is outside the years 1700"
          + " to 2240");
    }
    long nanos = (long) days * NANOS_PER_DAY + (long) Math.rint((delta[1] + extra) * NANOS_PER_DAY);
    return TaiTime.ofNanos(nanos);
  }

  /** The pair astropy writes for a TAI time: {@code jd1} a whole number, {@code jd2} in {@code [-0.5, 0.5)}. */
  public static double[] fromTaiTime(TaiTime time) {
    long days = Math.floorDiv(time.nanos(), NANOS_PER_DAY);
    long rest = Math.floorMod(time.nanos(), NANOS_PER_DAY);
    return new double[] {EPOCH_JD1 + days, (rest - NANOS_PER_DAY / 2) / (double) NANOS_PER_DAY};
  }

  /** astropy {@code time.utils.day_frac}: the exact sum as a whole number of days and a fraction in [-0.5, 0.5]. */
  static double[] dayFrac(double val1, double val2) {
    double[] sum = twoSum(val1, val2);
    double day = Math.rint(sum[0]);
    double[] rest = twoSum(sum[0], -day);
    double frac = rest[1] + (rest[0] + sum[1]);
    day += Math.rint(frac);
    rest = twoSum(sum[0], -day);
    frac = rest[1] + (rest[0] + sum[1]);
    return new double[] {day, frac};
  }

  /** Shewchuk's two-sum: {@code a + b} as the rounded sum and its exact rounding error. */
  private static double[] twoSum(double a, double b) {
    double x = a + b;
    double eb = x - a;
    double ea = x - eb;
    eb = b - eb;
    ea = a - ea;
    return new double[] {x, ea + eb};
  }
}
