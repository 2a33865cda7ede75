package io.autobutler.core.time;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open TAI interval {@code [begin, end)} in registry nanoseconds, as daf_butler's {@code Timespan}.
 *
 * <p>Bounds are clamped to {@code [TaiTime.EPOCH, TaiTime.MAX]}: a begin at the epoch means "unbounded below"
 * and an end at the maximum "unbounded above", which is how the registry's INT8RANGE columns store them. Every
 * empty timespan is normalised to the single value {@link #EMPTY} ({@code begin = MAX, end = EPOCH}), as
 * daf_butler does.
 *
 * @param beginNanos inclusive lower bound, TAI nanoseconds
 * @param endNanos   exclusive upper bound, TAI nanoseconds
 */
public record Timespan(long beginNanos, long endNanos) {

  private static final long MIN = TaiTime.EPOCH.nanos();
  private static final long MAX = TaiTime.MAX.nanos();

  /** The empty timespan, which overlaps nothing. */
  public static final Timespan EMPTY = new Timespan(MAX, MIN);

  /** The timespan unbounded on both sides (what RUN collections carry). */
  public static final Timespan UNBOUNDED = new Timespan(MIN, MAX);

  private static final Pattern RANGE = Pattern.compile("\\s*([\\[(])\\s*(-?\\d*)\\s*,\\s*(-?\\d*)\\s*([\\])])\\s*");

  public Timespan {
    beginNanos = Math.max(MIN, Math.min(MAX, beginNanos));
    endNanos = Math.max(MIN, Math.min(MAX, endNanos));
    if (beginNanos >= endNanos) {
      beginNanos = MAX;
      endNanos = MIN;
    }
  }

  /**
   * The timespan of two bounds, null meaning unbounded, as daf_butler's {@code Timespan(begin, end)}: bounds
   * are clamped to the registry range, equal bounds make a 1 ns timespan ({@code padInstantaneous}), and a
   * begin after the end makes the empty timespan.
   *
   * @throws IllegalArgumentException for an instantaneous timespan at an unbounded end, as daf_butler
   */
  public static Timespan of(TaiTime begin, TaiTime end) {
    long b = begin == null ? MIN : begin.toRegistryNanos();
    long e = end == null ? MAX : end.toRegistryNanos();
    if (b == e) {
      if (b == MAX || e == MIN) {
        throw new IllegalArgumentException("infinite instantaneous timespans are not supported (begin " + begin
            + ", end " + end + ")");
      }
      e += 1;
      if (e == MAX) {
        throw new IllegalArgumentException("cannot construct a near-instantaneous timespan at " + end
            + "; within one ns of the maximum time");
      }
    }
    return new Timespan(b, e);
  }

  /** The timespan of raw registry nanoseconds (no padding; empty when {@code begin >= end}). */
  public static Timespan ofNanos(long beginNanos, long endNanos) {
    return new Timespan(beginNanos, endNanos);
  }

  public boolean isEmpty() {
    return beginNanos >= endNanos;
  }

  /** True when not empty and unbounded below. */
  public boolean isBeginUnbounded() {
    return !isEmpty() && beginNanos == MIN;
  }

  /** True when not empty and unbounded above. */
  public boolean isEndUnbounded() {
    return !isEmpty() && endNanos == MAX;
  }

  /** The inclusive lower bound, or null when unbounded below or empty. */
  public TaiTime begin() {
    return isEmpty() || beginNanos == MIN ? null : new TaiTime(beginNanos);
  }

  /** The exclusive upper bound, or null when unbounded above or empty. */
  public TaiTime end() {
    return isEmpty() || endNanos == MAX ? null : new TaiTime(endNanos);
  }

  public boolean contains(TaiTime time) {
    long t = time.toRegistryNanos();
    return !isEmpty() && beginNanos <= t && t < endNanos;
  }

  /** Whether the two half-open intervals share any instant (never for an empty timespan). */
  public boolean overlaps(Timespan other) {
    return !isEmpty() && !other.isEmpty() && beginNanos < other.endNanos && other.beginNanos < endNanos;
  }

  /** The instants both timespans share (empty when they do not overlap). */
  public Timespan intersection(Timespan other) {
    return new Timespan(Math.max(beginNanos, other.beginNanos), Math.min(endNanos, other.endNanos));
  }

  /**
   * What is left of this timespan once {@code other} is taken out, as daf_butler's {@code Timespan.difference}:
   * nothing when {@code other} covers it, itself when they do not overlap, else the part before {@code other}
   * and/or the part after it (two pieces when {@code other} lies strictly inside). The pieces are never empty.
   */
  public List<Timespan> difference(Timespan other) {
    Timespan common = intersection(other);
    if (common.isEmpty()) {
      return isEmpty() ? List.of() : List.of(this);
    }
    List<Timespan> pieces = new ArrayList<>(2);
    if (common.beginNanos > beginNanos) {
      pieces.add(new Timespan(beginNanos, common.beginNanos));
    }
    if (common.endNanos < endNanos) {
      pieces.add(new Timespan(common.endNanos, endNanos));
    }
    return pieces;
  }

  /** The PostgreSQL INT8RANGE text of this timespan: {@code [begin,end)} or {@code empty}. */
  public String toPostgresRange() {
    return isEmpty() ? "empty" : "[" + beginNanos + "," + endNanos + ")";
  }

  /**
   * Parses PostgreSQL INT8RANGE text ({@code [a,b)}, {@code empty}, other bracket forms, missing bounds meaning
   * unbounded).
   *
   * @throws IllegalArgumentException when the text is not a range
   */
  public static Timespan parsePostgresRange(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a range is required, not null");
    }
    if (text.strip().equalsIgnoreCase("empty")) {
      return EMPTY;
    }
    Matcher m = RANGE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an INT8RANGE");
    }
    long begin = MIN;
    if (!m.group(2).isEmpty()) {
      begin = Long.parseLong(m.group(2)) + (m.group(1).equals("(") ? 1 : 0);
    }
    long end = MAX;
    if (!m.group(3).isEmpty()) {
      end = Long.parseLong(m.group(3)) + (m.group(4).equals("]") ? 1 : 0);
    }
    return new Timespan(begin, end);
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "(empty)";
    }
    return (beginNanos == MIN ? "(-inf" : "[" + new TaiTime(beginNanos).toIsoString()) + ", "
        + (endNanos == MAX ? "+inf)" : new TaiTime(endNanos).toIsoString() + ")");
  }
}
