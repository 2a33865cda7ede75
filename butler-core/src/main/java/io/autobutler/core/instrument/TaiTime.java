package io.autobutler.core.instrument;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * UTC → butler time: TAI nanoseconds since 1970-01-01T00:00:00 TAI, as daf_butler's
 * {@code TimeConverter.astropy_to_nsec} stores timespans (tag w.2025.20, {@code python/lsst/daf/butler/time_utils.py}).
 *
 * <p>TAI−UTC follows the IERS table (the one ERFA's {@code eraDat} encodes): 10 s from 1972-01-01 plus one second per
 * leap second since, 37 s from 2017-01-01 (no leap second has been announced since). Before 1972, UTC drifted against
 * TAI: from 1968-02-01, TAI−UTC = 4.2131700 s + (MJD − 39126) × 0.002592 s, evaluated at the instant, which gives
 * 8.000082 s at 1970-01-01T00:00:00 UTC. Results are rounded to the nanosecond (half-even).
 *
 * <p>Like daf_butler, instants before the TAI epoch are clipped to {@link #MIN_NSEC} (0) and instants after
 * 2100-01-01T00:00:00 TAI to {@link #MAX_NSEC}. UTC leap-second labels (23:59:60) cannot be represented by
 * {@link LocalDateTime} and are not accepted.
 */
public final class TaiTime {

  /** daf_butler's smallest time (the TAI epoch). */
  public static final long MIN_NSEC = 0L;
  /** daf_butler's largest time: 2100-01-01T00:00:00 TAI in nanoseconds (47482 days). */
  public static final long MAX_NSEC = 47_482L * 86_400L * 1_000_000_000L;

  private static final LocalDate DRIFT_START = LocalDate.of(1968, 2, 1);
  private static final LocalDate LEAP_START = LocalDate.of(1972, 1, 1);
  private static final BigDecimal DRIFT_BASE = new BigDecimal("4.2131700");
  private static final BigDecimal DRIFT_RATE = new BigDecimal("0.002592");
  private static final long DRIFT_MJD = 39126;
  private static final long MJD_OF_UNIX_EPOCH = 40587;
  private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);
  private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);

  /** First UTC day of each TAI−UTC step from 1972, with the value (seconds) from that day on. */
  private static final Object[][] STEPS = {
      {"1972-01-01", 10}, {"1972-07-01", 11}, {"1973-01-01", 12}, {"1974-01-01", 13}, {"1975-01-01", 14},
      {"1976-01-01", 15}, {"1977-01-01", 16}, {"1978-01-01", 17}, {"1979-01-01", 18}, {"1980-01-01", 19},
      {"1981-07-01", 20}, {"1982-07-01", 21}, {"1983-07-01", 22}, {"1985-07-01", 23}, {"1988-01-01", 24},
      {"1990-01-01", 25}, {"1991-01-01", 26}, {"1992-07-01", 27}, {"1993-07-01", 28}, {"1994-07-01", 29},
      {"1996-01-01", 30}, {"1997-07-01", 31}, {"1999-01-01", 32}, {"2006-01-01", 33}, {"2009-01-01", 34},
      {"2012-07-01", 35}, {"2015-07-01", 36}, {"2017-01-01", 37},
  };

  private TaiTime() {
  }

  /**
   * TAI−UTC in seconds at a UTC instant. Before 1968-02-01 (a period whose instants all fall before the TAI epoch and
   * are clipped anyway) this is not defined here and fails.
   */
  public static BigDecimal taiMinusUtcSeconds(LocalDateTime utc) {
    LocalDate day = utc.toLocalDate();
    if (day.isBefore(DRIFT_START)) {
      throw new IllegalArgumentException("TAI-UTC before 1968-02-01 is not tabulated here: " + utc);
    }
    if (day.isBefore(LEAP_START)) {
      long mjd = day.toEpochDay() + MJD_OF_UNIX_EPOCH;
      BigDecimal dayFraction = BigDecimal.valueOf(utc.toLocalTime().toNanoOfDay())
          .divide(NANOS.multiply(SECONDS_PER_DAY), 30, RoundingMode.HALF_EVEN);
      return DRIFT_BASE.add(BigDecimal.valueOf(mjd - DRIFT_MJD).add(dayFraction).multiply(DRIFT_RATE));
    }
    int value = 10;
    for (Object[] step : STEPS) {
      if (!day.isBefore(LocalDate.parse((String) step[0]))) {
        value = (Integer) step[1];
      }
    }
    return BigDecimal.valueOf(value);
  }

  /** Butler nanoseconds (TAI since the TAI epoch) of a UTC wall-clock time, clipped to [MIN_NSEC, MAX_NSEC]. */
  public static long utcToTaiNanos(LocalDateTime utc) {
    if (utc.toLocalDate().isBefore(DRIFT_START)) {
      return MIN_NSEC;
    }
    BigDecimal utcNanos = BigDecimal.valueOf(ChronoUnit.SECONDS.between(LocalDateTime.of(1970, 1, 1, 0, 0),
        utc.withNano(0))).multiply(NANOS).add(BigDecimal.valueOf(utc.getNano()));
    BigDecimal tai = utcNanos.add(taiMinusUtcSeconds(utc).multiply(NANOS)).setScale(0, RoundingMode.HALF_EVEN);
    long nanos = tai.longValueExact();
    return Math.max(MIN_NSEC, Math.min(MAX_NSEC, nanos));
  }

  /** Butler nanoseconds of a UTC instant (the instant's UTC wall-clock reading). */
  public static long utcToTaiNanos(Instant utc) {
    return utcToTaiNanos(LocalDateTime.ofInstant(utc, ZoneOffset.UTC));
  }
}
