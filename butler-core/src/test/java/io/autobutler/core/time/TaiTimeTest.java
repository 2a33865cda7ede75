package io.autobutler.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TaiTimeTest {

  @Test
  void formatsWithExactlyNineDecimals() {
    assertThat(TaiTime.ofNanos(0).toIsoString()).isEqualTo("1970-01-01 00:00:00.000000000");
    assertThat(TaiTime.parse("2025-12-03 07:59:07.425363958").toIsoString())
        .isEqualTo("2025-12-03 07:59:07.425363958");
    assertThat(TaiTime.parse("2025-12-03 07:59:38.355").toIsoString()).isEqualTo("2025-12-03 07:59:38.355000000");
    assertThat(TaiTime.ofNanos(1).toIsoString()).isEqualTo("1970-01-01 00:00:00.000000001");
    assertThat(TaiTime.ofNanos(-1).toIsoString()).isEqualTo("1969-12-31 23:59:59.999999999");
  }

  @Test
  void parsesPlainCalendarArithmeticWithoutLeapSeconds() {
    assertThat(TaiTime.parse("1970-01-01 00:00:00.000000000")).isEqualTo(TaiTime.EPOCH);
    assertThat(TaiTime.parse("1970-01-02 00:00:00.000000001").nanos()).isEqualTo(86_400_000_000_001L);
    // 2016-12-31 had a leap second in UTC; TAI days are all 86400 s.
    assertThat(TaiTime.parse("2017-01-01 00:00:00").nanos() - TaiTime.parse("2016-12-31 00:00:00").nanos())
        .isEqualTo(86_400_000_000_000L);
    assertThat(TaiTime.parse("2025-12-03 07:59:07.425363958").nanos()).isEqualTo(1_764_748_747_425_363_958L);
  }

  @Test
  void year2100IsTheRegistryMaximum() {
    TaiTime max = TaiTime.parse("2100-01-01 00:00:00.000000000");
    assertThat(max).isEqualTo(TaiTime.MAX);
    assertThat(max.nanos()).isEqualTo(4_102_444_800_000_000_000L);
    assertThat(TaiTime.parse("2150-06-01 00:00:00").toRegistryNanos()).isEqualTo(TaiTime.MAX.nanos());
    assertThat(TaiTime.parse("1960-06-01 00:00:00").toRegistryNanos()).isZero();
    assertThat(TaiTime.parse("2099-12-31 23:59:59.999999999").toRegistryNanos())
        .isEqualTo(TaiTime.MAX.nanos() - 1);
  }

  @Test
  void shorterFormsAndRounding() {
    assertThat(TaiTime.parse("2024-01-01")).isEqualTo(TaiTime.parse("2024-01-01 00:00:00.000000000"));
    assertThat(TaiTime.parse("2024-01-01 12:30")).isEqualTo(TaiTime.parse("2024-01-01 12:30:00.000000000"));
    assertThat(TaiTime.parse("2024-01-01 12:30:15.1234567894").toIsoString())
        .isEqualTo("2024-01-01 12:30:15.123456789");
    assertThat(TaiTime.parse("2024-01-01 23:59:59.9999999996").toIsoString())
        .isEqualTo("2024-01-02 00:00:00.000000000");
    assertThat(TaiTime.parse("2024-02-29 00:00:00").toLocalDateTime()).isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
  }

  @Test
  void rejectsWhatIsNotAnIsoTaiTime() {
    assertThatThrownBy(() -> TaiTime.parse("2025-12-03T07:59:07")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an ISO time");
    assertThatThrownBy(() -> TaiTime.parse("2023-02-29 00:00:00")).hasMessageContaining("is not a valid date");
    assertThatThrownBy(() -> TaiTime.parse("2016-12-31 23:59:60")).hasMessageContaining("TAI has no leap seconds");
    assertThatThrownBy(() -> TaiTime.parse("3000-01-01 00:00:00")).hasMessageContaining("outside the supported");
    assertThatThrownBy(() -> TaiTime.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void utcToTaiUsesLeapSeconds() {
    assertThat(TaiTime.fromUtc(LocalDateTime.of(2020, 1, 1, 0, 0)))
        .isEqualTo(TaiTime.parse("2020-01-01 00:00:37"));
    assertThat(TaiTime.fromUtc(LocalDateTime.of(2016, 12, 31, 23, 59, 59)))
        .isEqualTo(TaiTime.parse("2017-01-01 00:00:35"));
    assertThat(TaiTime.fromUtc(LocalDateTime.of(1972, 1, 1, 0, 0)))
        .isEqualTo(TaiTime.parse("1972-01-01 00:00:10"));
    // Before 1972 TAI - UTC drifted: 1971-01-01 is 4.2131700 + (40952 - 39126) * 0.002592 = 8.946162 s ahead.
    assertThat(TaiTime.fromUtc(LocalDateTime.of(1971, 1, 1, 0, 0)))
        .isEqualTo(TaiTime.parse("1971-01-01 00:00:08.946162"));
  }

  @Test
  void ordering() {
    assertThat(TaiTime.parse("2024-01-01 00:00:00.000000001")).isGreaterThan(TaiTime.parse("2024-01-01"));
    assertThat(TaiTime.EPOCH.isBefore(TaiTime.MAX)).isTrue();
    assertThat(TaiTime.EPOCH.plusNanos(5).nanos()).isEqualTo(5);
  }
}
