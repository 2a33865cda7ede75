package io.autobutler.core.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class TaiTimeTest {

  private static long unixNanos(LocalDateTime utc) {
    return utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + utc.getNano();
  }

  @Test
  void unixEpochIsEightSecondsAheadInTai() {
    // 4.2131700 + (40587 - 39126) * 0.002592 = 8.000082 s at 1970-01-01T00:00:00 UTC.
    LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
    assertThat(TaiTime.taiMinusUtcSeconds(epoch)).isEqualByComparingTo(new BigDecimal("8.000082"));
    assertThat(TaiTime.utcToTaiNanos(epoch)).isEqualTo(8_000_082_000L);
  }

  @Test
  void driftWithinADayBefore1972() {
    // Half a day later: + 0.5 * 0.002592 s.
    LocalDateTime noon = LocalDateTime.of(1970, 1, 1, 12, 0);
    assertThat(TaiTime.taiMinusUtcSeconds(noon)).isEqualByComparingTo(new BigDecimal("8.001378"));
    assertThat(TaiTime.utcToTaiNanos(noon)).isEqualTo(43_200_000_000_000L + 8_001_378_000L);
  }

  @Test
  void leapSecondSteps() {
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(1972, 1, 1, 0, 0))).isEqualByComparingTo("10");
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(1972, 6, 30, 23, 59, 59))).isEqualByComparingTo("10");
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(1972, 7, 1, 0, 0))).isEqualByComparingTo("11");
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(2016, 12, 31, 23, 59, 59))).isEqualByComparingTo("36");
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(2017, 1, 1, 0, 0))).isEqualByComparingTo("37");
    assertThat(TaiTime.taiMinusUtcSeconds(LocalDateTime.of(2025, 5, 13, 0, 0))).isEqualByComparingTo("37");
  }

  @Test
  void modernTimesAdd37Seconds() {
    LocalDateTime utc = LocalDateTime.of(2024, 11, 27, 3, 4, 5, 123_456_789);
    assertThat(TaiTime.utcToTaiNanos(utc)).isEqualTo(unixNanos(utc) + 37_000_000_000L);
    assertThat(TaiTime.utcToTaiNanos(Instant.parse("2024-11-27T03:04:05.123456789Z")))
        .isEqualTo(unixNanos(utc) + 37_000_000_000L);
  }

  @Test
  void clipsLikeDafButler() {
    assertThat(TaiTime.utcToTaiNanos(LocalDateTime.of(1969, 12, 31, 23, 59, 50))).isZero();
    assertThat(TaiTime.utcToTaiNanos(LocalDateTime.of(1900, 1, 1, 0, 0))).isZero();
    assertThat(TaiTime.utcToTaiNanos(LocalDateTime.of(2200, 1, 1, 0, 0))).isEqualTo(TaiTime.MAX_NSEC);
    assertThat(TaiTime.MAX_NSEC).isEqualTo(4_102_444_800_000_000_000L);
    assertThatThrownBy(() -> TaiTime.taiMinusUtcSeconds(LocalDateTime.of(1960, 1, 1, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
