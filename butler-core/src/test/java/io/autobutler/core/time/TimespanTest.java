package io.autobutler.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimespanTest {

  private static final TaiTime T1 = TaiTime.parse("2024-11-08 12:00:00");
  private static final TaiTime T2 = TaiTime.parse("2024-11-09 12:00:00");

  @Test
  void boundsAndUnboundedEnds() {
    Timespan span = Timespan.of(T1, T2);
    assertThat(span.begin()).isEqualTo(T1);
    assertThat(span.end()).isEqualTo(T2);
    assertThat(span.toPostgresRange()).isEqualTo("[1731067200000000000,1731153600000000000)");

    Timespan open = Timespan.of(T1, null);
    assertThat(open.end()).isNull();
    assertThat(open.isEndUnbounded()).isTrue();
    assertThat(open.toPostgresRange()).isEqualTo("[1731067200000000000,4102444800000000000)");

    Timespan before = Timespan.of(null, T2);
    assertThat(before.begin()).isNull();
    assertThat(before.isBeginUnbounded()).isTrue();
    assertThat(before.toPostgresRange()).isEqualTo("[0,1731153600000000000)");

    assertThat(Timespan.of(null, null)).isEqualTo(Timespan.UNBOUNDED);
    assertThat(Timespan.UNBOUNDED.toPostgresRange()).isEqualTo("[0,4102444800000000000)");
  }

  @Test
  void emptyTimespansAreOneValue() {
    assertThat(Timespan.of(T2, T1)).isEqualTo(Timespan.EMPTY);
    assertThat(Timespan.ofNanos(5, 5)).isEqualTo(Timespan.EMPTY);
    assertThat(Timespan.EMPTY.isEmpty()).isTrue();
    assertThat(Timespan.EMPTY.begin()).isNull();
    assertThat(Timespan.EMPTY.isBeginUnbounded()).isFalse();
    assertThat(Timespan.EMPTY.toPostgresRange()).isEqualTo("empty");
    assertThat(Timespan.EMPTY.overlaps(Timespan.UNBOUNDED)).isFalse();
  }

  @Test
  void equalBoundsMakeAOneNanosecondTimespanAsDafButler() {
    Timespan instant = Timespan.of(T1, T1);
    assertThat(instant.endNanos() - instant.beginNanos()).isEqualTo(1);
    assertThat(instant.contains(T1)).isTrue();
    assertThatThrownBy(() -> Timespan.of(TaiTime.MAX, TaiTime.MAX)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundsOutsideTheRegistryRangeAreClamped() {
    Timespan clamped = Timespan.of(TaiTime.parse("1960-01-01"), TaiTime.parse("2200-01-01"));
    assertThat(clamped).isEqualTo(Timespan.UNBOUNDED);
  }

  @Test
  void halfOpenOverlapAndContainment() {
    Timespan a = Timespan.of(T1, T2);
    Timespan b = Timespan.of(T2, null);
    assertThat(a.overlaps(b)).isFalse();
    assertThat(a.contains(T2)).isFalse();
    assertThat(b.contains(T2)).isTrue();
    assertThat(Timespan.of(T1, TaiTime.parse("2024-11-09 12:00:00.000000001")).overlaps(b)).isTrue();
  }

  @Test
  void postgresRangeText() {
    assertThat(Timespan.parsePostgresRange("[1731067200000000000,1731153600000000000)"))
        .isEqualTo(Timespan.of(T1, T2));
    assertThat(Timespan.parsePostgresRange("empty")).isEqualTo(Timespan.EMPTY);
    assertThat(Timespan.parsePostgresRange("[0,4102444800000000000)")).isEqualTo(Timespan.UNBOUNDED);
    assertThat(Timespan.parsePostgresRange("[1731067200000000000,)")).isEqualTo(Timespan.of(T1, null));
    assertThat(Timespan.parsePostgresRange("(,1731153600000000000)")).isEqualTo(Timespan.of(null, T2));
    assertThat(Timespan.parsePostgresRange("(9,20]")).isEqualTo(Timespan.ofNanos(10, 21));
    assertThatThrownBy(() -> Timespan.parsePostgresRange("[a,b)")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readableText() {
    assertThat(Timespan.of(T1, null).toString()).isEqualTo("[2024-11-08 12:00:00.000000000, +inf)");
    assertThat(Timespan.EMPTY.toString()).isEqualTo("(empty)");
  }

  @Test
  void differenceRemovesTruncatesOrSplitsAsDafButler() {
    Timespan span = Timespan.ofNanos(100, 200);
    assertThat(Timespan.ofNanos(120, 180).difference(span)).isEmpty();
    assertThat(Timespan.ofNanos(100, 200).difference(span)).isEmpty();
    assertThat(Timespan.ofNanos(50, 150).difference(span)).containsExactly(Timespan.ofNanos(50, 100));
    assertThat(Timespan.ofNanos(150, 250).difference(span)).containsExactly(Timespan.ofNanos(200, 250));
    assertThat(Timespan.ofNanos(50, 250).difference(span))
        .containsExactly(Timespan.ofNanos(50, 100), Timespan.ofNanos(200, 250));
    assertThat(Timespan.UNBOUNDED.difference(span)).containsExactly(Timespan.of(null, new TaiTime(100)),
        Timespan.of(new TaiTime(200), null));
    // Adjacent (half-open) and disjoint timespans are left whole; the empty one has nothing to leave.
    assertThat(Timespan.ofNanos(200, 300).difference(span)).containsExactly(Timespan.ofNanos(200, 300));
    assertThat(Timespan.ofNanos(10, 20).difference(span)).containsExactly(Timespan.ofNanos(10, 20));
    assertThat(Timespan.EMPTY.difference(span)).isEmpty();
    assertThat(span.difference(Timespan.EMPTY)).containsExactly(span);
    assertThat(span.difference(Timespan.UNBOUNDED)).isEmpty();
  }
}
