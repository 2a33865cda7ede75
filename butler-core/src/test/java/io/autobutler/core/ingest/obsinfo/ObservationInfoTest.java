package io.autobutler.core.ingest.obsinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.ingest.obsinfo.SkyAngles.AltAz;
import io.autobutler.core.ingest.obsinfo.SkyAngles.RaDec;
import io.autobutler.core.time.TaiTime;

/** ObservationInfo's JSON form as astro_metadata_translator w.2025.20 reads it ({@code from_simple}). */
class ObservationInfoTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, JsonNode> simple(String json) throws Exception {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    JSON.readTree(json).fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  @Test
  void julianDatePairsBecomeTheNanosecondsDafButlerComputes() {
    // obs_base's tests/data/ingest/indexed_data: begin and end of DummyDataset_1
    assertThat(TaiJulianDate.toTaiTime(2456461.0, 0.06193332175925925).toIsoString())
        .isEqualTo("2013-06-17 13:29:11.039000000");
    assertThat(TaiJulianDate.toTaiTime(2456461.0, 0.06230896990740742).toIsoString())
        .isEqualTo("2013-06-17 13:29:43.495000000");
    // the same instant split differently (jd1 on a half day, fraction above 0.5)
    assertThat(TaiJulianDate.toTaiTime(2456460.5, 0.56193332175925925).nanos())
        .isEqualTo(TaiJulianDate.toTaiTime(2456461.0, 0.06193332175925925).nanos());
    TaiTime nanosecond = TaiTime.parse("2024-11-27 05:13:07.438912345");
    double[] pair = TaiJulianDate.fromTaiTime(nanosecond);
    assertThat(pair).containsExactly(2460642.0, -0.2825527903663773);
    assertThat(TaiJulianDate.toTaiTime(pair[0], pair[1])).isEqualTo(nanosecond);
  }

  @Test
  void readsEveryKindOfPropertyAndAppliesTheDefaultsOfOlderFiles() throws Exception {
    ObservationInfo info = ObservationInfo.fromSimple(simple("{\"_translator\": \"LSSTComCam\","
        + " \"instrument\": \"LSSTComCam\", \"exposure_id\": 2024112600111, \"datetime_begin\": [2460642.0,"
        + " -0.2825527903663773], \"exposure_time\": 30, \"boresight_rotation_angle\": -2.5,"
        + " \"tracking_radec\": [-10.5, -25.0], \"altaz_begin\": [-121.29, 59.8], \"observing_day_offset\": 43200,"
        + " \"location\": [1.0, 2.0, 3.0], \"observation_counter\": 111, \"can_see_sky\": true,"
        + " \"object\": null}"));
    assertThat(info.instrument()).isEqualTo("LSSTComCam");
    assertThat(info.exposureId()).isEqualTo(2024112600111L);
    assertThat(info.datetimeBegin()).isEqualTo(TaiTime.parse("2024-11-27 05:13:07.438912345"));
    assertThat(info.exposureTime()).isEqualTo(30.0);
    assertThat(info.boresightRotationAngle()).isEqualTo(-2.5);
    // astropy wraps longitudes (RA, azimuth) into [0, 360)
    assertThat(info.trackingRadec()).isEqualTo(new RaDec(349.5, -25.0));
    assertThat(info.altazBegin()).isEqualTo(new AltAz(-121.29 + 360.0, 59.8));
    assertThat(info.altazBegin().zenithAngle()).isEqualTo(90.0 - 59.8);
    assertThat(info.observingDayOffset()).isEqualTo(43200.0);
    assertThat(info.canSeeSky()).isTrue();
    assertThat(info.object()).isNull();
    // from_simple's defaults for files written before these properties existed
    assertThat(info.groupCounterStart()).isEqualTo(111L);
    assertThat(info.groupCounterEnd()).isEqualTo(111L);
    assertThat(info.hasSimulatedContent()).isFalse();
    assertThat(info.missing(List.of(ObservationProperty.INSTRUMENT, ObservationProperty.DETECTOR_NUM,
        ObservationProperty.PHYSICAL_FILTER))).containsExactly("physical_filter", "detector_num");
  }

  @Test
  void writesTheSameJsonFormBack() throws Exception {
    String json = "{\"instrument\": \"LSSTComCam\", \"datetime_begin\": [2460642.0, -0.2825527903663773],"
        + " \"tracking_radec\": [95.04195, -25.06314], \"altaz_begin\": [238.71, 59.82], \"detector_num\": 4,"
        + " \"exposure_time\": 29.99854, \"has_simulated_content\": false}";
    ObservationInfo info = ObservationInfo.fromSimple(simple(json));
    assertThat(JSON.readTree(JSON.writeValueAsString(info.toSimple())).equals(JSON.readTree(json))).as(info.toString())
        .isTrue();
    assertThat(ObservationInfo.fromSimple(simple(JSON.writeValueAsString(info.toSimple())))).isEqualTo(info);
  }

  @Test
  void namesTheBadPropertyAndWhatItShouldBe() {
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"exposure_id\": \"100\"}")))
        .isInstanceOf(ObservationInfoException.class).hasMessage("exposure_id \"100\": must be an integer")
        .extracting(e -> ((ObservationInfoException) e).property()).isEqualTo("exposure_id");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"exposure_id\": 100.5}")))
        .hasMessageContaining("must be an integer");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"datetime_end\": [2456461.0]}")))
        .hasMessage("datetime_end [2456461.0]: must be a TAI Julian Date pair [jd1, jd2]");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"tracking_radec\": [10.0, 95.0]}")))
        .hasMessage("tracking_radec [10.0,95.0]: dec 95.0 is not within [-90, 90] degrees");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"can_see_sky\": 1}")))
        .hasMessage("can_see_sky 1: must be true or false");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"instrument\": 7}")))
        .hasMessage("instrument 7: must be a string");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"exposure_time\": \"30s\"}")))
        .hasMessage("exposure_time \"30s\": must be a number");
    assertThatThrownBy(() -> ObservationInfo.fromSimple(simple("{\"detector\": 4}")))
        .isInstanceOf(ObservationInfoException.class).hasMessage("'detector' is not an ObservationInfo property");
  }
}
