package io.autobutler.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.obsinfo.ObservationProperty;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;

/** The records obs_base w_2025_20 makes of an ObservationInfo (makeExposureRecordFromObsInfo, makeDependencyRecords). */
class RawTranslationTest {

  private static ObservationInfo obsBaseDataset1() throws IOException {
    return IndexFile.parse(URI.create("file:///data/indexed_data/translated_subdir/_index.json"),
        IngestFixtures.resource("indexed_data/translated_subdir/_index.json")).entries().get(0).info();
  }

  private static long tai(String iso) {
    return TaiTime.parse(iso).nanos();
  }

  @Test
  void obsBaseExampleMakesTheExposureRecordFieldByField() throws IOException {
    RawTranslation.Translated raw = RawTranslation.translate(obsBaseDataset1());
    assertThat(raw.exposure()).containsExactly(
        entry("instrument", "DummyCam"),
        entry("id", 100L),
        entry("physical_filter", "dummy_u"),
        entry("group", "1"),
        entry("day_obs", 20130617L),
        entry("obs_id", "DummyDataset_1"),
        entry("exposure_time", 30.0),
        entry("dark_time", 30.0),
        entry("observation_type", "science"),
        entry("observation_reason", "science"),
        entry("seq_num", 1L),
        // group_counter_start/end absent from the file: from_simple takes observation_counter
        entry("seq_start", 1L),
        entry("seq_end", 1L),
        entry("target_name", "STRIPE82L"),
        entry("science_program", "o13015"),
        entry("tracking_ra", 320.2499333333333),
        entry("tracking_dec", 1.94e-05),
        // boresight_rotation_coord is "sky"
        entry("sky_angle", 270.0),
        entry("azimuth", 157.95888945),
        entry("zenith_angle", 90.0 - 68.80710558),
        entry("has_simulated", false),
        entry("can_see_sky", null),
        entry("datetime_begin", tai("2013-06-17 13:29:11.039")),
        entry("datetime_end", tai("2013-06-17 13:29:43.495")));
    assertThat((double) raw.exposure().get("zenith_angle")).isEqualTo(21.192894420000002);
    assertThat(raw.group()).containsExactly(entry("instrument", "DummyCam"), entry("name", "1"));
    // no observing_day_offset: the day_obs record has no timespan
    assertThat(raw.dayObs()).containsExactly(entry("instrument", "DummyCam"), entry("id", 20130617L),
        entry("datetime_begin", null), entry("datetime_end", null));
    assertThat(raw.dataId()).containsExactly(entry("instrument", "DummyCam"), entry("detector", 0L),
        entry("exposure", 100L));
    assertThat(raw.exposureLabel()).isEqualTo("DummyCam:DummyDataset_1");
  }

  @Test
  void w2025_20TakesTheActualExposureTimeAndSkyAngleOnlyOnTheSky() throws IOException {
    ObservationInfo science = IndexFile.parse(URI.create("file:///c/_index.json"), IngestFixtures.resource(
        "comcam/20241126/CC_O_20241126_000111/_index.json")).entries().get(4).info();
    Map<String, Object> exposure = RawTranslation.exposureRecord(science);
    assertThat(exposure.get("exposure_time")).isEqualTo(29.99854);
    assertThat(exposure.get("sky_angle")).isEqualTo(2.59);
    ObservationInfo bias = IndexFile.parse(URI.create("file:///c/_index.json"), IngestFixtures.resource(
        "comcam/20241126/CC_O_20241126_000112/_index.json")).entries().get(0).info();
    Map<String, Object> biasExposure = RawTranslation.exposureRecord(bias);
    // boresight_rotation_coord "unknown": no sky angle, although tracking_radec is there
    assertThat(biasExposure.get("sky_angle")).isNull();
    assertThat(biasExposure.get("tracking_ra")).isEqualTo(95.1);
    assertThat(biasExposure.get("observation_reason")).isNull();
    assertThat(biasExposure.get("target_name")).isNull();
    // a zero-length exposure is the 1 ns timespan daf_butler pads instantaneous timespans to
    assertThat((long) biasExposure.get("datetime_end") - (long) biasExposure.get("datetime_begin")).isEqualTo(1L);
  }

  @Test
  void noTrackingPositionMeansNoSkyAngleAndAnEndBeforeTheBeginIsTheBegin() throws IOException {
    Map<ObservationProperty, Object> values = new EnumMap<>(ObservationProperty.class);
    ObservationInfo info = obsBaseDataset1();
    for (ObservationProperty p : ObservationProperty.values()) {
      values.put(p, info.get(p));
    }
    values.remove(ObservationProperty.TRACKING_RADEC);
    values.put(ObservationProperty.DATETIME_END, TaiTime.parse("2013-06-17 13:29:10.000"));
    Map<String, Object> exposure = RawTranslation.exposureRecord(ObservationInfo.of(values));
    assertThat(exposure.get("sky_angle")).isNull();
    assertThat(exposure.get("tracking_ra")).isNull();
    assertThat(exposure.get("datetime_begin")).isEqualTo(tai("2013-06-17 13:29:11.039"));
    assertThat(exposure.get("datetime_end")).isEqualTo(tai("2013-06-17 13:29:11.039") + 1);
  }

  @Test
  void dayObsSpansTwentyFourHoursFromTaiMidnightPlusTheOffset() {
    assertThat(RawTranslation.dayObsTimespan(20251202, 43200)).isEqualTo(Timespan.of(
        TaiTime.parse("2025-12-02 12:00:00"), TaiTime.parse("2025-12-03 12:00:00")));
    assertThat(RawTranslation.dayObsTimespan(20130618, 0)).isEqualTo(Timespan.of(
        TaiTime.parse("2013-06-18 00:00:00"), TaiTime.parse("2013-06-19 00:00:00")));
    assertThatThrownBy(() -> RawTranslation.dayObsTimespan(19691231, 0))
        .hasMessage("day_obs must be in form yyyyMMDD and be newer than 1970, not 19691231");
    assertThatThrownBy(() -> RawTranslation.dayObsTimespan(20241332, 0)).hasMessageStartingWith("day_obs 20241332"
        + " is not a date");
  }

  @Test
  void missingRequiredPropertiesAndOverlongFieldsAreNamed() throws IOException {
    Map<ObservationProperty, Object> values = new EnumMap<>(ObservationProperty.class);
    ObservationInfo info = obsBaseDataset1();
    for (ObservationProperty p : ObservationProperty.values()) {
      values.put(p, info.get(p));
    }
    values.remove(ObservationProperty.EXPOSURE_GROUP);
    values.remove(ObservationProperty.DETECTOR_NUM);
    assertThatThrownBy(() -> RawTranslation.translate(ObservationInfo.of(values)))
        .hasMessage("required properties are missing: [detector_num, exposure_group]");
    values.put(ObservationProperty.EXPOSURE_GROUP, "1");
    values.put(ObservationProperty.DETECTOR_NUM, 0L);
    values.put(ObservationProperty.OBSERVATION_TYPE, "a_long_observation_type");
    assertThatThrownBy(() -> RawTranslation.translate(ObservationInfo.of(values)))
        .hasMessage("observation_type 'a_long_observation_type' has 23 characters; the registry allows 16");
  }
}
