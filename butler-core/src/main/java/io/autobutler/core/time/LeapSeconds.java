package io.autobutler.core.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * UTC ↔ butler time: TAI nanoseconds since 1970-01-01T00:00:00 TAI, the unit of registry timespans (daf_butler
 * {@code time_utils.py::TimeConverter}), clipped as daf_butler clips to [{@link #MIN_NSEC}, {@link #MAX_NSEC}].
 *
 * <p>TAI−UTC comes from the IERS leap-second table (IERS Bulletin C; the table ERFA's {@code eraDat} and hence
 * astropy use), kept here as data in {@link #STEPS}:
 * <ul>
 *   <li>from 1972-01-01, an integral number of seconds, starting at 10 s and growing by one at each leap second;
 *       37 s since 2017-01-01, the last leap second so far (none has been announced since; when one is, add a row
 *       and the instants after it move by one second);</li>
 *   <li>from 1968-02-01 to 1971-12-31, UTC drifted against TAI: TAI−UTC = 4.2131700 s + (MJD − 39126) × 0.002592 s,
 *       evaluated at the UTC instant (8.000082 s at 1970-01-01T00:00:00 UTC);</li>
 *   <li>earlier instants are all before the TAI epoch, so they are clipped to 0 without a table.</li>
 * </ul>
 * A UTC reading 23:59:60.x (the leap second itself) is accepted on a day before a step.
 */
public final class LeapSeconds {

  /** daf_butler's smallest time: the epoch, 1970-01-01T00:00:00 TAI. */
  public static final long MIN_NSEC = 0L;
  /** daf_butler's largest time: 2100-01-01T00:00:00 TAI (47482 days after the epoch). */
  public static final long MAX_NSEC = 47_482L * 86_400L * 1_000_000_000L;

  public static final long NANOS_PER_SECOND = 1_000_000_000L;
  public static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
  /** MJD of 1970-01-01. */
  public static final long MJD_1970 = 40_587L;

  private static final LocalDate DRIFT_START = LocalDate.of(1968, 2, 1);
  private static final LocalDate STEPS_START = LocalDate.of(1972, 1, 1);
  private static final BigDecimal DRIFT_BASE = new BigDecimal("4.2131700");
  private static final BigDecimal DRIFT_RATE_PER_DAY = new BigDecimal("0.002592");
  private static final long DRIFT_MJD = 39_126L;
  private static final BigDecimal NANOS = BigDecimal.valueOf(NANOS_PER_SECOND);
  private static final BigDecimal DAY_NANOS = BigDecimal.valueOf(NANOS_PER_DAY);

  /** The first UTC day of each TAI−UTC value since 1972, and that value in seconds. */
  private static final String[][] STEPS = {
      {"1972-01-01", "10"}, {"1972-07-01", "11"}, {"1973-01-01", "12"}, {"1974-01-01", "13"},
      {"1975-01-01", "14"}, {"1976-01-01", "15"}, {"1977-01-01", "16"}, {"1978-01-01", "17"},
      {"1979-01-01", "18"}, {"1980-01-01", "19"}, {"1981-07-01", "20"}, {"1982-07-01", "21"},
      {"1983-07-01", "22"}, {"1985-07-01", "23"}, {"1988-01-01", "24"}, {"1990-01-01", "25"},
      {"1991-01-01", "26"}, {"1992-07-01", "27"}, {"1993-07-01", "28"}, {"1994-07-01", "29"},
      {"1996-01-01", "30"}, {"1997-07-01", "31"}, {"1999-01-01", "32"}, {"2006-01-01", "33"},
      {"2009-01-01", "34"}, {"2012-07-01", "35"}, {"2015-07-01", "36"}, {"2017-01-01", "37"},
  };
  private static final long[] STEP_DAYS = new long[STEPS.length];
  private static final long[] STEP_SECONDS = new long[STEPS.length];

  static {
    for (int i = 0; i < STEPS.length; i++) {
      STEP_DAYS[i] = LocalDate.parse(STEPS[i][0]).toEpochDay();
      STEP_SECONDS[i] = Long.parseLong(STEPS[i][1]);
    }
  }

  private LeapSeconds() {
  }

  /** TAI−UTC in seconds at a UTC instant given as a day (days since 1970-01-01) and nanoseconds into it. */
  public static BigDecimal taiMinusUtc(long epochDay, long nanoOfDay) {
    if (epochDay < DRIFT_START.toEpochDay()) {
      throw new IllegalArgumentException("TAI-UTC is not tabulated before 1968-02-01");
    }
    if (epochDay < STEPS_START.toEpochDay()) {
      BigDecimal days = BigDecimal.valueOf(epochDay + MJD_1970 - DRIFT_MJD)
          .add(BigDecimal.valueOf(nanoOfDay).divide(DAY_NANOS, 30, RoundingMode.HALF_EVEN));
      return DRIFT_BASE.add(days.multiply(DRIFT_RATE_PER_DAY));
    }
    long value = STEP_SECONDS[0];
    for (int i = 0; i < STEP_DAYS.length && STEP_DAYS[i] <= epochDay; i++) {
      value = STEP_SECONDS[i];
    }
    return BigDecimal.valueOf(value);
  }

  /** True when a leap second is inserted at the end of this UTC day (so 23:59:60 exists). */
  public static boolean hasLeapSecondAtEnd(long epochDay) {
    for (int i = 1; i < STEP_DAYS.length; i++) {
      if (STEP_DAYS[i] == epochDay + 1) {
        return true;
      }
    }
    return false;
  }

  /**
   * Butler nanoseconds of a UTC calendar reading expressed as nanoseconds since 1970-01-01T00:00:00 on the UTC
   * calendar (86400 s a day; a leap second 23:59:60.x is the 86400th second of its day), clipped.
   */
  public static long utcCalendarToTai(BigDecimal utcCalendarNanos) {
    BigInteger whole = utcCalendarNanos.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    BigInteger[] dayAndNanos = whole.divideAndRemainder(BigInteger.valueOf(NANOS_PER_DAY));
    if (whole.signum() < 0 && dayAndNanos[1].signum() != 0) {
      dayAndNanos[0] = dayAndNanos[0].subtract(BigInteger.ONE);
      dayAndNanos[1] = dayAndNanos[1].add(BigInteger.valueOf(NANOS_PER_DAY));
    }
    if (dayAndNanos[0].compareTo(BigInteger.valueOf(DRIFT_START.toEpochDay())) < 0) {
      return MIN_NSEC;
    }
    if (dayAndNanos[0].compareTo(BigInteger.valueOf(LocalDate.of(2101, 1, 1).toEpochDay())) > 0) {
      return MAX_NSEC;
    }
    BigDecimal offset = taiMinusUtc(dayAndNanos[0].longValueExact(), dayAndNanos[1].longValueExact());
    return clip(utcCalendarNanos.add(offset.multiply(NANOS)));
  }

  /** Butler nanoseconds of a UTC date-time (whose seconds are 0–59), clipped. */
  public static long utcToTai(LocalDateTime utc) {
    BigDecimal nanos = BigDecimal.valueOf(utc.toLocalDate().toEpochDay()).multiply(DAY_NANOS)
        .add(BigDecimal.valueOf(utc.toLocalTime().toNanoOfDay()));
    return utcCalendarToTai(nanos);
  }

  /**
   * The UTC date-time of butler nanoseconds, e.g. to compare with a UTC {@code TIMESTAMP} column such as
   * {@code dataset.ingest_date}. An instant inside a leap second reads as 23:59:59.x of that day.
   */
  public static LocalDateTime taiToUtc(long taiNanos) {
    long utc = taiNanos - 37 * NANOS_PER_SECOND;
    for (int i = 0; i < 4; i++) {
      long day = Math.floorDiv(utc, NANOS_PER_DAY);
      long nanoOfDay = Math.floorMod(utc, NANOS_PER_DAY);
      if (day < DRIFT_START.toEpochDay()) {
        utc = taiNanos - 4_213_170_000L;
        continue;
      }
      long next = taiNanos - taiMinusUtc(day, nanoOfDay).multiply(NANOS).setScale(0, RoundingMode.HALF_EVEN)
          .longValueExact();
      if (next == utc) {
        break;
      }
      utc = next;
    }
    long seconds = Math.floorDiv(utc, NANOS_PER_SECOND);
    int nanos = (int) Math.floorMod(utc, NANOS_PER_SECOND);
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }

  /** Rounds (half-even) to whole nanoseconds and clips to daf_butler's range. */
  public static long clip(BigDecimal nanos) {
    BigDecimal rounded = nanos.setScale(0, RoundingMode.HALF_EVEN);
    if (rounded.compareTo(BigDecimal.valueOf(MIN_NSEC)) < 0) {
      return MIN_NSEC;
    }
    if (rounded.compareTo(BigDecimal.valueOf(MAX_NSEC)) > 0) {
      return MAX_NSEC;
    }
    return rounded.longValueExact();
  }
}
