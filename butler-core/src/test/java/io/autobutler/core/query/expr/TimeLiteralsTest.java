package io.autobutler.core.query.expr;

import io.autobutler.core.time.LeapSeconds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Time literal formats, scales and the UTC/TAI conversion with the leap-second table. */
class TimeLiteralsTest {

  private static final long S = 1_000_000_000L;

  private static long utcCalendarSeconds(int y, int mo, int d, int h, int mi, int s) {
    return LocalDateTime.of(y, mo, d, h, mi, s).toEpochSecond(ZoneOffset.UTC);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "2020-03-30 12:20:33            | iso  | utc",
      "2020-03-30T12:20:33            | isot | utc",
      "2020-03-30t12:20:33            | isot | utc",
      "+2020-03-30T12:20:33           | fits | utc",
      "2020:090:12:20:33              | yday | utc",
      "iso/2020-03-30 12:20:33/utc    | iso  | utc",
      "2020-03-30T12:20:33+00:00      | isot | utc",
      "ISOT/2020-03-30T12:20:33/UTC   | isot | utc",
  })
  void calendarFormatsDefaultToUtc(String text, String format, String scale) {
    TimeLiterals.Value value = TimeLiterals.parse(text);
    assertThat(value.format()).isEqualTo(format);
    assertThat(value.scale()).isEqualTo(scale);
    // 37 s of TAI-UTC since 2017.
    assertThat(value.taiNanos()).isEqualTo((utcCalendarSeconds(2020, 3, 30, 12, 20, 33) + 37) * S);
  }

  @Test
  void numbersAreMjdInTaiByDefault() {
    TimeLiterals.Value value = TimeLiterals.parse("58938.515");
    assertThat(value.format()).isEqualTo("mjd");
    assertThat(value.scale()).isEqualTo("tai");
    // (58938.515 - 40587) days since 1970-01-01 TAI.
    assertThat(value.taiNanos()).isEqualTo(1_585_570_896L * S);
    assertThat(TimeLiterals.parse("mjd/58938.515/tai").taiNanos()).isEqualTo(1_585_570_896L * S);
    assertThat(TimeLiterals.parse("mjd/58938.515/utc").taiNanos()).isEqualTo((1_585_570_896L + 37) * S);
    assertThat(TimeLiterals.parse("mjd/58938.515/tt").taiNanos()).isEqualTo(1_585_570_896L * S - 32_184_000_000L);
    assertThat(TimeLiterals.parse("jd/2458939.015").taiNanos()).isEqualTo(1_585_570_896L * S);
    assertThat(TimeLiterals.parse("58938.").taiNanos()).isEqualTo((58938L - 40587) * 86_400 * S);
  }

  @Test
  void epochFormats() {
    long unixSeconds = utcCalendarSeconds(2020, 3, 30, 12, 20, 33);
    TimeLiterals.Value unix = TimeLiterals.parse("unix/" + unixSeconds + ".0");
    assertThat(unix.scale()).isEqualTo("utc");
    assertThat(unix.taiNanos()).isEqualTo((unixSeconds + 37) * S);
    assertThat(TimeLiterals.parse("unix_tai/100.5").taiNanos()).isEqualTo(108_500_000_000L);
    assertThat(TimeLiterals.parse("gps/0.0").taiNanos())
        .isEqualTo((LocalDate.of(1980, 1, 6).toEpochDay() * 86_400 + 19) * S);
    TimeLiterals.Value cxc = TimeLiterals.parse("cxcsec/0.0");
    assertThat(cxc.scale()).isEqualTo("tt");
    assertThat(cxc.taiNanos()).isEqualTo(LocalDate.of(1998, 1, 1).toEpochDay() * 86_400 * S - 32_184_000_000L);
  }

  @Test
  void keepsNanosecondPrecision() {
    assertThat(TimeLiterals.parse("2020-03-30T12:20:33.123456789/tai").taiNanos())
        .isEqualTo(utcCalendarSeconds(2020, 3, 30, 12, 20, 33) * S + 123_456_789L);
    assertThat(TimeLiterals.parse("2020-03-30 12:20").taiNanos())
        .isEqualTo((utcCalendarSeconds(2020, 3, 30, 12, 20, 0) + 37) * S);
    assertThat(TimeLiterals.parse("2020-03-30").taiNanos())
        .isEqualTo((utcCalendarSeconds(2020, 3, 30, 0, 0, 0) + 37) * S);
  }

  @Test
  void followsTheLeapSecondTable() {
    // Before and after the leap second at the end of 2016, and the leap second itself.
    long before = TimeLiterals.parse("2016-12-31 23:59:59").taiNanos();
    long leap = TimeLiterals.parse("2016-12-31 23:59:60").taiNanos();
    long after = TimeLiterals.parse("2017-01-01 00:00:00").taiNanos();
    assertThat(before).isEqualTo((utcCalendarSeconds(2016, 12, 31, 23, 59, 59) + 36) * S);
    assertThat(leap).isEqualTo(before + S);
    assertThat(after).isEqualTo(leap + S);
    assertThat(TimeLiterals.parse("1999-01-01 00:00:00").taiNanos())
        .isEqualTo((utcCalendarSeconds(1999, 1, 1, 0, 0, 0) + 32) * S);
    assertThat(TimeLiterals.parse("1998-12-31 23:59:59").taiNanos())
        .isEqualTo((utcCalendarSeconds(1998, 12, 31, 23, 59, 59) + 31) * S);
    // 1970-01-01 UTC was 8.000082 s after the TAI epoch (pre-1972 drift).
    assertThat(TimeLiterals.parse("1970-01-01 00:00:00").taiNanos()).isEqualTo(8_000_082_000L);
    assertThatThrownBy(() -> TimeLiterals.parse("2018-12-31 23:59:60")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clipsToDafButlersRange() {
    assertThat(TimeLiterals.parse("1960-01-01").taiNanos()).isZero();
    assertThat(TimeLiterals.parse("1969-12-31T23:59:59/tai").taiNanos()).isZero();
    assertThat(TimeLiterals.parse("2200-01-01").taiNanos()).isEqualTo(LeapSeconds.MAX_NSEC);
    assertThat(TimeLiterals.parse("99999999999.5").taiNanos()).isEqualTo(LeapSeconds.MAX_NSEC);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "yesterday                   | does not match known formats",
      "58938                       | does not match known formats",
      "2020-01-01T00:00:00+01:00   | does not match known formats",
      "foo/58938.5                 | specifies unknown time format \"foo\"",
      "58938.5/xyz                 | specifies unknown time scale \"xyz\"",
      "decimalyear/2020.5          | time format \"decimalyear\", which is not supported",
      "2020-01-01/tdb              | time scale \"tdb\", which is not supported",
      "iso/2020-01-01T00:00:00     | does not match format \"iso\"",
      "isot/2020-01-01 00:00:00    | does not match format \"isot\"",
      "mjd/2020-01-01              | does not match format \"mjd\"",
      "2020-02-30                  | does not match format \"iso\"",
      "2020-01-01 24:00:00         | does not match format \"iso\"",
      "2021:366                    | does not match format \"yday\"",
      "99999999999-01-01           | does not match format \"iso\"",
  })
  void rejectsWhatItCannotRead(String text, String reason) {
    assertThatThrownBy(() -> TimeLiterals.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void convertsBackToUtcForTimestampColumns() {
    LocalDateTime utc = LocalDateTime.of(2020, 11, 6, 21, 10, 0, 500);
    assertThat(LeapSeconds.taiToUtc(LeapSeconds.utcToTai(utc))).isEqualTo(utc);
    LocalDateTime early = LocalDateTime.of(1971, 6, 1, 0, 0);
    assertThat(LeapSeconds.taiToUtc(LeapSeconds.utcToTai(early))).isEqualTo(early);
    assertThat(LeapSeconds.taiToUtc(TimeLiterals.parse("mjd/58938.515/tai").taiNanos()))
        .isEqualTo(LocalDateTime.of(2020, 3, 30, 12, 20, 59));
  }
}
