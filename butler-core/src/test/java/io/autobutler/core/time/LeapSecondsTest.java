package io.autobutler.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** UTC to TAI as astropy (and so the butler) converts: the drift formula before 1972, leap seconds after. */
class LeapSecondsTest {

  private static long unixNanos(LocalDateTime utc) {
    return utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + utc.getNano();
  }

  private static long taiMinusUtcNanos(LocalDateTime utc) {
    return LeapSeconds.utcToTai(utc) - unixNanos(utc);
  }

  @Test
  void unixEpochIsEightSecondsAheadInTai() {
    // 4.2131700 + (40587 - 39126) * 0.002592 = 8.000082 s at 1970-01-01T00:00:00 UTC.
    assertThat(LeapSeconds.utcToTai(LocalDateTime.of(1970, 1, 1, 0, 0))).isEqualTo(8_000_082_000L);
    // Half a day later: + 0.5 * 0.002592 s.
    assertThat(LeapSeconds.utcToTai(LocalDateTime.of(1970, 1, 1, 12, 0))).isEqualTo(43_200_000_000_000L + 8_001_378_000L);
  }

  @Test
  void leapSecondSteps() {
    assertThat(taiMinusUtcNanos(LocalDateTime.of(1972, 1, 1, 0, 0))).isEqualTo(10_000_000_000L);
    assertThat(taiMinusUtcNanos(LocalDateTime.of(1972, 6, 30, 23, 59, 59))).isEqualTo(10_000_000_000L);
    assertThat(taiMinusUtcNanos(LocalDateTime.of(1972, 7, 1, 0, 0))).isEqualTo(11_000_000_000L);
    assertThat(taiMinusUtcNanos(LocalDateTime.of(2016, 12, 31, 23, 59, 59))).isEqualTo(36_000_000_000L);
    assertThat(taiMinusUtcNanos(LocalDateTime.of(2017, 1, 1, 0, 0))).isEqualTo(37_000_000_000L);
    assertThat(taiMinusUtcNanos(LocalDateTime.of(2024, 11, 27, 3, 4, 5, 123_456_789))).isEqualTo(37_000_000_000L);
    assertThat(LeapSeconds.taiToUtc(LeapSeconds.utcToTai(LocalDateTime.of(2024, 11, 27, 3, 4, 5, 123_456_789))))
        .isEqualTo(LocalDateTime.of(2024, 11, 27, 3, 4, 5, 123_456_789));
  }

  @Test
  void clipsToTheButlersRange() {
    assertThat(LeapSeconds.utcToTai(LocalDateTime.of(1969, 12, 31, 23, 59, 50))).isZero();
    assertThat(LeapSeconds.utcToTai(LocalDateTime.of(2200, 1, 1, 0, 0))).isEqualTo(LeapSeconds.MAX_NSEC);
    assertThat(LeapSeconds.MAX_NSEC).isEqualTo(4_102_444_800_000_000_000L);
    assertThat(TaiTime.fromUtc(LocalDateTime.of(2020, 1, 1, 0, 0)).nanos())
        .isEqualTo(unixNanos(LocalDateTime.of(2020, 1, 1, 0, 0)) + 37_000_000_000L);
  }
}
