package io.autobutler.core.query.expr;

import io.autobutler.core.time.LeapSeconds;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of a time literal {@code T'...'} as daf_butler does ({@code parserYacc.py::_parseTimeString} at
 * w.2025.20): an optional {@code format/} prefix, the value, an optional {@code /scale} suffix.
 *
 * <ul>
 *   <li>A {@code +00:00} anywhere in the text is removed first; any other time zone does not match.</li>
 *   <li>The value must look like a number with a decimal point ({@code 58938.515}, {@code .5}), an ISO date or
 *       date-time ({@code 2020-03-30}, {@code 2020-03-30 12:20}, {@code 2020-03-30T12:20:33.5}), a FITS date-time
 *       ({@code +2020-03-30T12:20:33}) or a day-of-year time ({@code 2020:090}, {@code 2020:090:12:20:33.5}).</li>
 *   <li>Without a format, a number is {@code mjd}, an ISO value with {@code T} is {@code isot}, with a space (or a
 *       date alone) {@code iso}, a {@code +} value {@code fits}, a colon value {@code yday}.</li>
 *   <li>Without a scale: {@code utc} for iso, isot, fits, yday and unix; {@code tt} for cxcsec; {@code tai}
 *       otherwise (mjd included).</li>
 * </ul>
 *
 * <p>Supported formats: mjd, jd, unix, unix_tai, cxcsec, gps (numbers) and iso, isot, fits, yday (calendar);
 * supported scales: utc, tai, tt (TT = TAI + 32.184 s). The other astropy formats and scales are recognised and
 * rejected as unsupported. For the epoch-based formats (unix, unix_tai, cxcsec, gps) the scale does not change
 * the instant, as in astropy. Results are butler nanoseconds, clipped (see {@link LeapSeconds}).
 */
public final class TimeLiterals {

  /** A parsed time literal: the format and scale used (given or guessed) and the instant in butler time. */
  public record Value(String format, String scale, long taiNanos) {
  }

  /** astropy's time formats; the ones not in {@link #SUPPORTED_FORMATS} are rejected as unsupported. */
  private static final Set<String> ASTROPY_FORMATS = Set.of("jd", "mjd", "decimalyear", "unix", "unix_tai", "cxcsec",
      "gps", "plot_date", "stardate", "datetime", "ymdhms", "iso", "isot", "yday", "datetime64", "fits", "byear",
      "jyear", "byear_str", "jyear_str");
  private static final List<String> SUPPORTED_FORMATS = List.of("mjd", "jd", "unix", "unix_tai", "cxcsec", "gps",
      "iso", "isot", "fits", "yday");
  private static final Set<String> ASTROPY_SCALES = Set.of("tai", "tcb", "tcg", "tdb", "tt", "ut1", "utc", "local");
  private static final List<String> SUPPORTED_SCALES = List.of("utc", "tai", "tt");

  private static final Pattern TIME = Pattern.compile(
      "(?:(?<format>\\w+)/)?"
          + "(?<value>"
          + "(?<number>-?(?:\\d+\\.\\d*|\\.\\d+))"
          + "|(?<iso>\\d+-\\d+-\\d+(?:[ T]\\d+:\\d+(?::\\d+(?:\\.\\d*)?)?)?)"
          + "|(?<fits>\\+\\d+-\\d+-\\d+(?:T\\d+:\\d+:\\d+(?:\\.\\d*)?)?)"
          + "|(?<yday>\\d+:\\d+(?::\\d+:\\d+(?::\\d+(?:\\.\\d*)?)?)?)"
          + ")"
          + "(?:/(?<scale>\\w+))?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern CALENDAR = Pattern.compile(
      "\\+?(\\d+)-(\\d+)-(\\d+)(?:([ T])(\\d+):(\\d+)(?::(\\d+(?:\\.\\d*)?))?)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DAY_OF_YEAR = Pattern.compile(
      "(\\d+):(\\d+)(?::(\\d+):(\\d+)(?::(\\d+(?:\\.\\d*)?))?)?");

  private static final BigDecimal NANOS = BigDecimal.valueOf(LeapSeconds.NANOS_PER_SECOND);
  private static final BigDecimal DAY_NANOS = BigDecimal.valueOf(LeapSeconds.NANOS_PER_DAY);
  /** TT − TAI. */
  private static final BigDecimal TT_MINUS_TAI_NANOS = new BigDecimal("32184000000");

  private TimeLiterals() {
  }

  /**
   * Parses the text between the quotes of {@code T'...'}.
   *
   * @throws IllegalArgumentException with daf_butler's reason when the text is not a time this supports
   */
  public static Value parse(String literalText) {
    String text = literalText.replace("+00:00", "");
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("Time string \"" + text + "\" does not match known formats");
    }
    String value = m.group("value");
    String format = m.group("format");
    String scale = m.group("scale");
    if (format != null) {
      format = format.toLowerCase(Locale.ROOT);
      if (!ASTROPY_FORMATS.contains(format)) {
        throw new IllegalArgumentException("Time string \"" + text + "\" specifies unknown time format \"" + format
            + "\"");
      }
    }
    if (scale != null) {
      scale = scale.toLowerCase(Locale.ROOT);
      if (!ASTROPY_SCALES.contains(scale)) {
        throw new IllegalArgumentException("Time string \"" + text + "\" specifies unknown time scale \"" + scale
            + "\"");
      }
    }
    if (format == null) {
      if (m.group("number") != null) {
        format = "mjd";
      } else if (m.group("iso") != null) {
        format = value.indexOf('T') >= 0 || value.indexOf('t') >= 0 ? "isot" : "iso";
      } else if (m.group("fits") != null) {
        format = "fits";
      } else {
        format = "yday";
      }
    }
    if (scale == null) {
      scale = switch (format) {
        case "iso", "isot", "fits", "yday", "unix" -> "utc";
        case "cxcsec" -> "tt";
        default -> "tai";
      };
    }
    if (!SUPPORTED_FORMATS.contains(format)) {
      throw new IllegalArgumentException("Time string \"" + text + "\" uses time format \"" + format
          + "\", which is not supported (supported: " + String.join(", ", SUPPORTED_FORMATS) + ")");
    }
    if (!SUPPORTED_SCALES.contains(scale)) {
      throw new IllegalArgumentException("Time string \"" + text + "\" uses time scale \"" + scale
          + "\", which is not supported (supported: " + String.join(", ", SUPPORTED_SCALES) + ")");
    }
    IllegalArgumentException mismatch = new IllegalArgumentException("Time string \"" + text
        + "\" does not match format \"" + format + "\"");
    long nanos;
    try {
      nanos = switch (format) {
        case "mjd", "jd", "unix", "unix_tai", "cxcsec", "gps" -> {
          if (m.group("number") == null) {
            throw mismatch;
          }
          yield fromNumber(format, scale, new BigDecimal(value));
        }
        case "iso", "isot", "fits" -> fromCalendar(format, scale, value, mismatch);
        default -> {
          if (m.group("yday") == null) {
            throw mismatch;
          }
          yield fromDayOfYear(scale, value, mismatch);
        }
      };
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      throw mismatch;
    }
    return new Value(format, scale, nanos);
  }

  private static long fromNumber(String format, String scale, BigDecimal value) {
    return switch (format) {
      case "mjd" -> fromCalendarNanos(scale, value.subtract(BigDecimal.valueOf(LeapSeconds.MJD_1970))
          .multiply(DAY_NANOS));
      case "jd" -> fromCalendarNanos(scale, value.subtract(new BigDecimal("2400000.5"))
          .subtract(BigDecimal.valueOf(LeapSeconds.MJD_1970)).multiply(DAY_NANOS));
      // Seconds since 1970-01-01T00:00:00 UTC, 86400 to a day.
      case "unix" -> LeapSeconds.utcCalendarToTai(value.multiply(NANOS));
      // SI seconds since 1970-01-01T00:00:08 TAI (astropy's epoch for unix_tai).
      case "unix_tai" -> LeapSeconds.clip(value.add(BigDecimal.valueOf(8)).multiply(NANOS));
      // SI seconds since 1998-01-01T00:00:00 TT.
      case "cxcsec" -> LeapSeconds.clip(daysNanos(LocalDate.of(1998, 1, 1)).subtract(TT_MINUS_TAI_NANOS)
          .add(value.multiply(NANOS)));
      // SI seconds since 1980-01-06T00:00:19 TAI (1980-01-06T00:00:00 UTC).
      case "gps" -> LeapSeconds.clip(daysNanos(LocalDate.of(1980, 1, 6)).add(BigDecimal.valueOf(19).multiply(NANOS))
          .add(value.multiply(NANOS)));
      default -> throw new IllegalStateException(format);
    };
  }

  private static long fromCalendar(String format, String scale, String value, IllegalArgumentException mismatch) {
    Matcher m = CALENDAR.matcher(value);
    if (!m.matches()) {
      throw mismatch;
    }
    String separator = m.group(4);
    boolean signed = value.startsWith("+");
    switch (format) {
      case "iso" -> {
        if (signed || (separator != null && !separator.equals(" "))) {
          throw mismatch;
        }
      }
      case "isot" -> {
        if (signed || (separator != null && separator.equals(" "))) {
          throw mismatch;
        }
      }
      default -> {
        // fits: [+]YYYY-MM-DD[THH:MM:SS[.f]], seconds required when a time is given.
        if ((separator != null && separator.equals(" ")) || (separator != null && m.group(7) == null)) {
          throw mismatch;
        }
      }
    }
    LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
    return fromDateAndTime(scale, date, m.group(5), m.group(6), m.group(7), mismatch);
  }

  private static long fromDayOfYear(String scale, String value, IllegalArgumentException mismatch) {
    Matcher m = DAY_OF_YEAR.matcher(value);
    if (!m.matches()) {
      throw mismatch;
    }
    int year = Integer.parseInt(m.group(1));
    int dayOfYear = Integer.parseInt(m.group(2));
    LocalDate date = LocalDate.ofYearDay(year, dayOfYear);
    return fromDateAndTime(scale, date, m.group(3), m.group(4), m.group(5), mismatch);
  }

  private static long fromDateAndTime(String scale, LocalDate date, String hours, String minutes, String seconds,
                                      IllegalArgumentException mismatch) {
    int hour = hours == null ? 0 : Integer.parseInt(hours);
    int minute = minutes == null ? 0 : Integer.parseInt(minutes);
    BigDecimal second = seconds == null ? BigDecimal.ZERO : new BigDecimal(seconds.endsWith(".")
        ? seconds.substring(0, seconds.length() - 1) : seconds);
    if (date.getYear() < 1 || hour > 23 || minute > 59 || second.compareTo(BigDecimal.valueOf(61)) >= 0) {
      throw mismatch;
    }
    if (second.compareTo(BigDecimal.valueOf(60)) >= 0) {
      // A leap second exists only in UTC, at the end of a day before a step of the table.
      if (!scale.equals("utc") || hour != 23 || minute != 59 || !LeapSeconds.hasLeapSecondAtEnd(date.toEpochDay())) {
        throw mismatch;
      }
    }
    BigDecimal dayStart = daysNanos(date).add(BigDecimal.valueOf(hour * 3600L + minute * 60L).multiply(NANOS));
    if (second.compareTo(BigDecimal.valueOf(60)) >= 0) {
      // 23:59:60.x is one second (and x) after 23:59:59 of the same day, still at the day's TAI-UTC.
      long lastRegularSecond = fromCalendarNanos(scale, dayStart.add(BigDecimal.valueOf(59).multiply(NANOS)));
      return LeapSeconds.clip(BigDecimal.valueOf(lastRegularSecond)
          .add(second.subtract(BigDecimal.valueOf(59)).multiply(NANOS)));
    }
    return fromCalendarNanos(scale, dayStart.add(second.multiply(NANOS)));
  }

  /** Nanoseconds since 1970-01-01T00:00:00 on the calendar of {@code scale} → butler nanoseconds. */
  private static long fromCalendarNanos(String scale, BigDecimal calendarNanos) {
    return switch (scale) {
      case "tai" -> LeapSeconds.clip(calendarNanos);
      case "tt" -> LeapSeconds.clip(calendarNanos.subtract(TT_MINUS_TAI_NANOS));
      case "utc" -> LeapSeconds.utcCalendarToTai(calendarNanos);
      default -> throw new IllegalStateException(scale);
    };
  }

  private static BigDecimal daysNanos(LocalDate date) {
    return BigDecimal.valueOf(date.toEpochDay()).multiply(DAY_NANOS);
  }
}
