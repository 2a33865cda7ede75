package io.autobutler.core.time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instant on the TAI time scale, as integer nanoseconds since 1970-01-01 00:00:00 TAI.
 *
 * <p>TAI has no leap seconds, so converting between a TAI calendar date and nanoseconds is plain calendar
 * arithmetic. This is daf_butler's {@code TimeConverter} representation: the registry stores times as these
 * nanoseconds, clamped to {@code [EPOCH, MAX]} (1970-01-01 to 2100-01-01 TAI). A {@code TaiTime} itself may lie
 * outside that range (years 1677 to 2262, the range of a {@code long}); {@link #toRegistryNanos()} clamps.
 *
 * <p>The text form is the one of the {@code !butler_time/tai/iso} YAML tag: {@code YYYY-MM-DD HH:MM:SS.nnnnnnnnn}
 * with exactly nine decimals (astropy's {@code iso} format with {@code precision=9}).
 *
 * @param nanos nanoseconds since 1970-01-01 00:00:00 TAI (negative before it)
 */
public record TaiTime(long nanos) implements Comparable<TaiTime> {

  public static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** 1970-01-01 00:00:00 TAI, the registry's minimum time (daf_butler {@code TimeConverter.epoch}). */
  public static final TaiTime EPOCH = new TaiTime(0L);

  /** 2100-01-01 00:00:00 TAI, the registry's maximum time (daf_butler {@code TimeConverter.max_time}). */
  public static final TaiTime MAX = new TaiTime(4_102_444_800L * NANOS_PER_SECOND);

  /**
   * What astropy's {@code iso} format reads: a date, optionally followed by hours and minutes, seconds and a
   * fraction of any length.
   */
  private static final Pattern ISO = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})(?: (\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?)?");

  public static TaiTime ofNanos(long nanos) {
    return new TaiTime(nanos);
  }

  /** The TAI time of a TAI calendar date and time of day (no time zone; TAI has no leap seconds). */
  public static TaiTime of(LocalDateTime taiCalendarTime) {
    try {
      long seconds = taiCalendarTime.toEpochSecond(ZoneOffset.UTC);
      return new TaiTime(Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), taiCalendarTime.getNano()));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time " + taiCalendarTime + " is outside the supported range (about 1677"
          + " to 2262)");
    }
  }

  /**
   * Parses the text of a {@code !butler_time/tai/iso} value, as astropy's {@code Time(value, format="iso",
   * scale="tai")} does: {@code YYYY-MM-DD HH:MM:SS.fff} with any number of decimals (rounded to the nearest
   * nanosecond), or without the fraction, the seconds or the time of day.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static TaiTime parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a time is required, not null");
    }
    Matcher m = ISO.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an ISO time 'YYYY-MM-DD HH:MM:SS.nnnnnnnnn'");
    }
    try {
      LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)));
      int hour = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
      int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
      int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
      if (hour > 23 || minute > 59 || second > 59) {
        throw new IllegalArgumentException("'" + text + "' has an invalid time of day (TAI has no leap seconds)");
      }
      long fraction = 0;
      if (m.group(7) != null) {
        fraction = new BigDecimal("0." + m.group(7)).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN)
            .longValueExact();
      }
      LocalDateTime time = date.atTime(hour, minute, second);
      TaiTime whole = of(time);
      return new TaiTime(Math.addExact(whole.nanos, fraction));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid date: " + e.getMessage());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time '" + text + "' is outside the supported range");
    }
  }

  /**
   * The TAI time of a UTC calendar time ({@link LeapSeconds}: the leap-second table, and the drift formula before
   * 1972), for the plain YAML timestamps of very old export files, which daf_butler reads as UTC.
   */
  public static TaiTime fromUtc(LocalDateTime utc) {
    return new TaiTime(LeapSeconds.utcToTai(utc));
  }

  /** The TAI calendar date and time of day. */
  public LocalDateTime toLocalDateTime() {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND),
        (int) Math.floorMod(nanos, NANOS_PER_SECOND), ZoneOffset.UTC);
  }

  /** {@code YYYY-MM-DD HH:MM:SS.nnnnnnnnn}, as daf_butler writes {@code !butler_time/tai/iso} values. */
  public String toIsoString() {
    LocalDateTime t = toLocalDateTime();
    return String.format("%04d-%02d-%02d %02d:%02d:%02d.%09d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
  }

  /** The value the registry stores: nanoseconds clamped to {@code [EPOCH, MAX]}, as daf_butler does. */
  public long toRegistryNanos() {
    return Math.max(EPOCH.nanos, Math.min(MAX.nanos, nanos));
  }

  public TaiTime plusNanos(long delta) {
    return new TaiTime(Math.addExact(nanos, delta));
  }

  public boolean isBefore(TaiTime other) {
    return nanos < other.nanos;
  }

  public boolean isAfter(TaiTime other) {
    return nanos > other.nanos;
  }

  @Override
  public int compareTo(TaiTime other) {
    return Long.compare(nanos, other.nanos);
  }

  @Override
  public String toString() {
    return toIsoString() + " TAI";
  }
}
