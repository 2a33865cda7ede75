package io.autobutler.core.instrument;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collection-name conventions of an instrument, as lsst/pipe_base {@code python/lsst/pipe/base/_instrument.py}
 * (tag w.2025.20) defines them: every name is {@code "/".join((collection_prefix,) + labels)}, the prefix defaulting to
 * the instrument name.
 *
 * <table>
 *   <caption>names</caption>
 *   <tr><th>method</th><th>upstream</th><th>example (LSSTComCam, label DM-48650)</th></tr>
 *   <tr><td>{@link #rawRun()}</td><td>makeDefaultRawIngestRunName</td><td>LSSTComCam/raw/all</td></tr>
 *   <tr><td>{@link #calibCollection}</td><td>makeCalibrationCollectionName</td><td>LSSTComCam/calib/DM-48650</td></tr>
 *   <tr><td>{@link #unboundedRun}</td><td>makeUnboundedCalibrationRunName</td>
 *       <td>LSSTComCam/calib/DM-48650/unbounded</td></tr>
 *   <tr><td>{@link #curatedRun}</td><td>makeCuratedCalibrationRunName</td>
 *       <td>LSSTComCam/calib/DM-48650/curated/19700101T000000Z</td></tr>
 *   <tr><td>{@link #umbrella()}</td><td>makeUmbrellaCollectionName</td><td>LSSTComCam/defaults</td></tr>
 *   <tr><td>{@link #refcats}</td><td>makeRefCatCollectionName (no prefix)</td><td>refcats/DM-46370/x</td></tr>
 * </table>
 */
public final class CollectionNames {

  /** The RUN that {@code register-skymap} writes the {@code skyMap} dataset into (lsst/skymap {@code baseSkyMap.py}). */
  public static final String SKYMAPS_RUN = "skymaps";

  private final String prefix;

  public CollectionNames(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("collection prefix must not be empty");
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** {@code <prefix>/<label>/<label>...}; with no labels, the prefix alone. */
  public String collectionName(String... labels) {
    List<String> parts = new ArrayList<>();
    parts.add(prefix);
    for (String label : labels) {
      parts.add(Objects.requireNonNull(label, "label"));
    }
    return String.join("/", parts);
  }

  /** {@code <prefix>/raw/all}. */
  public String rawRun() {
    return collectionName("raw", "all");
  }

  /** The CALIBRATION collection {@code <prefix>/calib[/<labels>...]}. */
  public String calibCollection(String... labels) {
    return collectionName(concat(List.of("calib"), labels, List.of()));
  }

  /** The RUN {@code <prefix>/calib[/<labels>...]/unbounded} that holds the camera. */
  public String unboundedRun(String... labels) {
    return collectionName(concat(List.of("calib"), labels, List.of("unbounded")));
  }

  /**
   * The RUN {@code <prefix>/calib[/<labels>...]/curated/<formatted calibDate>} of a curated calibration. The argument
   * order follows upstream ({@code makeCuratedCalibrationRunName(calibDate, *labels)}).
   *
   * @param calibDate the file's {@code CALIBDATE}: any input {@link #formatCollectionTimestamp} accepts
   */
  public String curatedRun(Object calibDate, String... labels) {
    return collectionName(concat(List.of("calib"), labels, List.of("curated", formatCollectionTimestamp(calibDate))));
  }

  /** Same as {@link #curatedRun(Object, String...)} with the labels first. */
  public String curatedRun(List<String> labels, Object calibDate) {
    return curatedRun(calibDate, labels.toArray(String[]::new));
  }

  /** {@code <prefix>/defaults}. */
  public String umbrella() {
    return collectionName("defaults");
  }

  /** {@code refcats[/<labels>...]}; this one has no instrument prefix. */
  public static String refcats(String... labels) {
    List<String> parts = new ArrayList<>();
    parts.add("refcats");
    parts.addAll(List.of(labels));
    return String.join("/", parts);
  }

  private static String[] concat(List<String> head, String[] middle, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(middle));
    all.addAll(tail);
    return all.toArray(String[]::new);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // formatCollectionTimestamp

  private static final Pattern ISO = Pattern.compile(
      "(?<y>\\d{4})(?:-(?<m>\\d{2})-(?<d>\\d{2})|(?<mb>\\d{2})(?<db>\\d{2}))"
          + "(?:.(?<time>\\d{2}(?::?\\d{2}(?::?\\d{2}(?:[.,]\\d+)?)?)?)"
          + "(?<tz>Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?)?)?");
  private static final Pattern TIME = Pattern.compile(
      "(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d+))?)?)?");
  private static final Pattern OFFSET = Pattern.compile(
      "([+-])(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:\\.(\\d{1,6}))?)?)?");
  private static final Pattern BASIC = Pattern.compile(
      "(\\d{4})(1[0-2]|0[1-9]|[1-9])(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[0-1]\\d|\\d)([0-5]\\d|\\d)"
          + "(6[0-1]|[0-5]\\d|\\d)([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z)");

  /**
   * Formats a timestamp for a collection name: UTC in basic ISO form {@code YYYYMMDDTHHMMSS} followed by a literal
   * {@code Z}, fractional seconds dropped (pipe_base {@code Instrument.formatCollectionTimestamp}).
   *
   * <p>Accepted inputs, as upstream (Python 3.11+ semantics):
   * <ul>
   *   <li>a string containing {@code -}: parsed like {@code datetime.fromisoformat} — a date {@code YYYY-MM-DD} or
   *       {@code YYYYMMDD}, optionally followed by one separator character (usually {@code T} or a space) and a
   *       time {@code HH[:MM[:SS[.fff…]]]} (or the same without colons), optionally followed by {@code Z} or an offset
   *       {@code ±HH[[:]MM[[:]SS[.ffffff]]]}; naive values are taken as UTC, offsets are converted to UTC;</li>
   *   <li>any other string: {@code strptime(s, "%Y%m%dT%H%M%S%z")}, i.e. basic form with a mandatory {@code Z} or
   *       {@code ±HHMM} zone (the form this method writes, so the output round-trips);</li>
   *   <li>{@link LocalDateTime} (naive, taken as UTC), {@link OffsetDateTime}, {@link ZonedDateTime} and
   *       {@link Instant} (converted to UTC).</li>
   * </ul>
   * Anything else (including a bare {@link LocalDate}, which Python rejects as "not a datetime") raises
   * {@link IllegalArgumentException}. Years are written with four digits.
   */
  public static String formatCollectionTimestamp(Object timestamp) {
    LocalDateTime utc = toUtc(timestamp);
    return String.format("%04d%02d%02dT%02d%02d%02dZ", utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(),
        utc.getHour(), utc.getMinute(), utc.getSecond());
  }

  /**
   * The UTC wall-clock time of a timestamp, under the rules of {@link #formatCollectionTimestamp} (naive means UTC),
   * with its fractional seconds kept.
   */
  public static LocalDateTime toUtc(Object timestamp) {
    if (timestamp instanceof String text) {
      return text.contains("-") ? parseExtendedIso(text) : parseBasic(text);
    }
    if (timestamp instanceof LocalDateTime local) {
      return local;
    }
    if (timestamp instanceof OffsetDateTime offset) {
      return offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    if (timestamp instanceof ZonedDateTime zoned) {
      return zoned.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    if (timestamp instanceof Instant instant) {
      return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    throw new IllegalArgumentException("Unexpected date/time object: " + describe(timestamp));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof TemporalAccessor) {
      return value + " (" + value.getClass().getSimpleName() + ", not a date-time)";
    }
    return value + " (" + value.getClass().getSimpleName() + ")";
  }

  private static LocalDateTime parseExtendedIso(String text) {
    Matcher m = ISO.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid isoformat string: '" + text + "'");
    }
    try {
      int year = Integer.parseInt(m.group("y"));
      int month = Integer.parseInt(m.group("m") != null ? m.group("m") : m.group("mb"));
      int day = Integer.parseInt(m.group("d") != null ? m.group("d") : m.group("db"));
      LocalDate date = LocalDate.of(year, month, day);
      LocalTime time = LocalTime.MIDNIGHT;
      String timeText = m.group("time");
      if (timeText != null) {
        Matcher t = TIME.matcher(timeText);
        if (!t.matches() || mixedSeparators(timeText)) {
          throw new IllegalArgumentException("Invalid isoformat string: '" + text + "'");
        }
        int nanos = 0;
        if (t.group(4) != null) {
          String fraction = (t.group(4) + "000000").substring(0, 6); // Python keeps microseconds, truncating the rest
          nanos = Integer.parseInt(fraction) * 1000;
        }
        time = LocalTime.of(Integer.parseInt(t.group(1)), t.group(2) == null ? 0 : Integer.parseInt(t.group(2)),
            t.group(3) == null ? 0 : Integer.parseInt(t.group(3)), nanos);
      }
      LocalDateTime local = LocalDateTime.of(date, time);
      String tz = m.group("tz");
      if (tz == null) {
        return local;
      }
      return local.minusNanos(offsetNanos(tz, text));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("Invalid isoformat string: '" + text + "' (" + e.getMessage() + ")", e);
    }
  }

  private static boolean mixedSeparators(String time) {
    String clock = time.split("[.,]", 2)[0];
    return !(clock.matches("\\d{2}(:\\d{2}){0,2}") || clock.matches("\\d{2}(\\d{2}){0,2}"));
  }

  private static LocalDateTime parseBasic(String text) {
    Matcher m = BASIC.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("time data '" + text + "' does not match format '%Y%m%dT%H%M%S%z'");
    }
    try {
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3).strip()), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)));
      return local.minusNanos(offsetNanos(m.group(7), text));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time data '" + text + "': " + e.getMessage(), e);
    }
  }

  private static long offsetNanos(String tz, String text) {
    if (tz.equals("Z")) {
      return 0;
    }
    Matcher o = OFFSET.matcher(tz);
    if (!o.matches()) {
      throw new IllegalArgumentException("Invalid time zone in '" + text + "'");
    }
    long hours = Long.parseLong(o.group(2));
    long minutes = o.group(3) == null ? 0 : Long.parseLong(o.group(3));
    long seconds = o.group(4) == null ? 0 : Long.parseLong(o.group(4));
    long micros = o.group(5) == null ? 0 : Long.parseLong((o.group(5) + "000000").substring(0, 6));
    if (hours > 23 || minutes > 59 || seconds > 59) {
      throw new IllegalArgumentException("Invalid time zone offset in '" + text + "'");
    }
    long nanos = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000L + micros * 1000;
    return o.group(1).equals("-") ? -nanos : nanos;
  }
}
