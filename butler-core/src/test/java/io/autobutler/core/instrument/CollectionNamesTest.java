package io.autobutler.core.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionNamesTest {

  private final CollectionNames names = new CollectionNames("LSSTComCam");

  @Test
  void standardNames() {
    assertThat(names.rawRun()).isEqualTo("LSSTComCam/raw/all");
    assertThat(names.calibCollection()).isEqualTo("LSSTComCam/calib");
    assertThat(names.calibCollection("DM-48650")).isEqualTo("LSSTComCam/calib/DM-48650");
    assertThat(names.unboundedRun("DM-48650")).isEqualTo("LSSTComCam/calib/DM-48650/unbounded");
    assertThat(names.unboundedRun()).isEqualTo("LSSTComCam/calib/unbounded");
    assertThat(names.curatedRun("1970-01-01T00:00:00", "DM-48650"))
        .isEqualTo("LSSTComCam/calib/DM-48650/curated/19700101T000000Z");
    assertThat(names.curatedRun(List.of("DM-48650", "extra"), "2024-09-26"))
        .isEqualTo("LSSTComCam/calib/DM-48650/extra/curated/20240926T000000Z");
    assertThat(names.umbrella()).isEqualTo("LSSTComCam/defaults");
    assertThat(names.collectionName()).isEqualTo("LSSTComCam");
    assertThat(names.collectionName("calib", "fgcmcal")).isEqualTo("LSSTComCam/calib/fgcmcal");
    assertThat(CollectionNames.refcats("DM-46370", "the_monster_20240904"))
        .isEqualTo("refcats/DM-46370/the_monster_20240904");
    assertThat(CollectionNames.SKYMAPS_RUN).isEqualTo("skymaps");
    assertThat(new CollectionNames("u/someone/prefix").rawRun()).isEqualTo("u/someone/prefix/raw/all");
    assertThatThrownBy(() -> new CollectionNames("")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1970-01-01T00:00:00          | 19700101T000000Z",
      "2024-09-26                   | 20240926T000000Z",
      "2024-09-26 12:34:56          | 20240926T123456Z",
      "2024-09-26T12:34:56.789123   | 20240926T123456Z",
      "2024-09-26T12:34             | 20240926T123400Z",
      "2024-09-26T12                | 20240926T120000Z",
      "2024-09-26T12:34:56Z         | 20240926T123456Z",
      "2024-09-26T12:34:56+02:00    | 20240926T103456Z",
      "2024-09-26T00:30:00-01:00    | 20240926T013000Z",
      "2024-09-26T23:30:00-0100     | 20240927T003000Z",
      "20240926T123456-0130         | 20240926T140456Z",
      "20240926T123456Z             | 20240926T123456Z",
      "20240926T123456+0000         | 20240926T123456Z",
      "20240926T123456+0200         | 20240926T103456Z",
  })
  void formatsTimestampStrings(String input, String expected) {
    assertThat(CollectionNames.formatCollectionTimestamp(input)).isEqualTo(expected);
  }

  @Test
  void formatsDateTimeObjects() {
    assertThat(CollectionNames.formatCollectionTimestamp(LocalDateTime.of(2024, 9, 26, 1, 2, 3, 999_999_999)))
        .isEqualTo("20240926T010203Z");
    assertThat(CollectionNames.formatCollectionTimestamp(
        OffsetDateTime.of(2024, 9, 26, 1, 2, 3, 0, ZoneOffset.ofHours(-3)))).isEqualTo("20240926T040203Z");
    assertThat(CollectionNames.formatCollectionTimestamp(
        ZonedDateTime.of(2024, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")))).isEqualTo("20240701T100000Z");
    assertThat(CollectionNames.formatCollectionTimestamp(Instant.parse("2025-05-13T08:00:00Z")))
        .isEqualTo("20250513T080000Z");
  }

  @Test
  void outputRoundTrips() {
    String once = CollectionNames.formatCollectionTimestamp("2024-02-29T23:59:59+00:00");
    assertThat(CollectionNames.formatCollectionTimestamp(once)).isEqualTo(once);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "20240926T123456",      // basic form needs %z
      "20240926",             // no time
      "2024-13-01",           // month 13
      "2024-02-30T00:00:00",  // no such day
      "2024-09-26T25:00:00",  // hour 25
      "2024-09-26T12:3456",   // mixed separators
      "2024-09-26T12:34:56 junk",
      "yesterday",
      "",
  })
  void rejectsMalformedStrings(String input) {
    assertThatThrownBy(() -> CollectionNames.formatCollectionTimestamp(input))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonDateTimes() {
    assertThatThrownBy(() -> CollectionNames.formatCollectionTimestamp(LocalDate.of(2024, 9, 26)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unexpected date/time object");
    assertThatThrownBy(() -> CollectionNames.formatCollectionTimestamp(42))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectionNames.formatCollectionTimestamp(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
