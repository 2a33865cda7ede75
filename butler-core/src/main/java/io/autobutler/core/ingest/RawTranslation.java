package io.autobutler.core.ingest;

import static io.autobutler.core.ingest.obsinfo.ObservationProperty.*;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.obsinfo.ObservationProperty;
import io.autobutler.core.ingest.obsinfo.SkyAngles.AltAz;
import io.autobutler.core.ingest.obsinfo.SkyAngles.RaDec;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;

/**
 * What ingest-raws makes of one raw's ObservationInfo, exactly as obs_base w_2025_20 builds it: the {@code day_obs}
 * and {@code group} records ({@code ingest.py::makeDependencyRecords}), the {@code exposure} record
 * ({@code _instrument.py::makeExposureRecordFromObsInfo}, with w_2025_20's {@code exposure_time}) and the raw's
 * data ID {instrument, detector, exposure}. Records are keyed as the registry's dimension manager takes them,
 * times as TAI nanoseconds ({@code datetime_begin}/{@code datetime_end}).
 */
public final class RawTranslation {

  /** What ingest needs of every raw (obs_base w_2025_20 {@code RawIngestTask.getObservationInfoSubsets}). */
  public static final Set<ObservationProperty> REQUIRED = EnumSet.of(DATETIME_BEGIN, DATETIME_END, DETECTOR_NUM,
      EXPOSURE_GROUP, EXPOSURE_ID, EXPOSURE_TIME, GROUP_COUNTER_END, GROUP_COUNTER_START, HAS_SIMULATED_CONTENT,
      INSTRUMENT, OBSERVATION_ID, OBSERVATION_TYPE, OBSERVING_DAY, PHYSICAL_FILTER);

  /** String fields of the records and their universe-7 lengths, which the registry's columns enforce. */
  private static final Map<String, Integer> LENGTHS = Map.of("instrument", 32, "physical_filter", 32, "group", 64,
      "obs_id", 64, "observation_type", 16, "observation_reason", 68, "target_name", 64, "science_program", 64);

  private static final long SECONDS_PER_DAY = 86_400L;

  private RawTranslation() {
  }

  /** The four things ingest writes for a raw. */
  public record Translated(Map<String, Object> dayObs, Map<String, Object> group, Map<String, Object> exposure,
                           Map<String, Object> dataId) {

    public String instrument() {
      return (String) exposure.get("instrument");
    }

    public long exposureId() {
      return (Long) exposure.get("id");
    }

    /** {@code INSTRUMENT:obs_id}, as obs_base's log lines name an exposure. */
    public String exposureLabel() {
      return instrument() + ":" + exposure.get("obs_id");
    }
  }

  /**
   * Translates one raw's metadata.
   *
   * @throws IllegalArgumentException saying what is missing or unusable (required properties, day_obs, lengths)
   */
  public static Translated translate(ObservationInfo info) {
    List<String> missing = info.missing(REQUIRED);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("required properties are missing: " + missing);
    }
    return new Translated(dayObsRecord(info), groupRecord(info), exposureRecord(info), dataId(info));
  }

  /** {@code {instrument, detector: detector_num, exposure: exposure_id}}. */
  public static Map<String, Object> dataId(ObservationInfo info) {
    Map<String, Object> dataId = new LinkedHashMap<>();
    dataId.put("instrument", info.instrument());
    dataId.put("detector", info.detectorNum());
    dataId.put("exposure", info.exposureId());
    return dataId;
  }

  /** {@code {instrument, name: exposure_group}}. */
  public static Map<String, Object> groupRecord(ObservationInfo info) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", checked("instrument", info.instrument()));
    record.put("name", checked("group", info.exposureGroup()));
    return record;
  }

  /**
   * {@code {instrument, id: observing_day, timespan}}: daf_butler's {@code Timespan.from_day_obs(day,
   * round(observing_day_offset))}, i.e. [TAI midnight of the day + offset, + 1 day); no timespan without an offset.
   */
  public static Map<String, Object> dayObsRecord(ObservationInfo info) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", checked("instrument", info.instrument()));
    record.put("id", info.observingDay());
    Long begin = null;
    Long end = null;
    if (info.observingDayOffset() != null) {
      Timespan day = dayObsTimespan(info.observingDay(), (long) Math.rint(info.observingDayOffset()));
      begin = day.beginNanos();
      end = day.endNanos();
    }
    record.put("datetime_begin", begin);
    record.put("datetime_end", end);
    return record;
  }

  /** {@code Timespan.from_day_obs}: the 24 hours from TAI midnight of {@code YYYYMMDD} plus the offset. */
  public static Timespan dayObsTimespan(long dayObs, long offsetSeconds) {
    if (dayObs < 1970_00_00L || dayObs > 1_0000_00_00L) {
      throw new IllegalArgumentException("day_obs must be in form yyyyMMDD and be newer than 1970, not " + dayObs);
    }
    LocalDate date;
    try {
      date = LocalDate.of((int) (dayObs / 10000), (int) (dayObs / 100 % 100), (int) (dayObs % 100));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("day_obs " + dayObs + " is not a date: " + e.getMessage());
    }
    TaiTime begin = TaiTime.of(date.atStartOfDay()).plusNanos(offsetSeconds * TaiTime.NANOS_PER_SECOND);
    return Timespan.of(begin, begin.plusNanos(SECONDS_PER_DAY * TaiTime.NANOS_PER_SECOND));
  }

  /**
   * The exposure record of {@code makeExposureRecordFromObsInfo} at w_2025_20: tracking RA/Dec from
   * {@code tracking_radec} (ICRS degrees), sky angle only with a tracking position and a rotation measured on the
   * sky, zenith angle and azimuth from {@code altaz_begin}, and an end before the begin replaced by the begin
   * (a zero-length timespan, padded to 1 ns as daf_butler's Timespan does).
   */
  public static Map<String, Object> exposureRecord(ObservationInfo info) {
    Double ra = null;
    Double dec = null;
    Double skyAngle = null;
    RaDec tracking = info.trackingRadec();
    if (tracking != null) {
      ra = tracking.ra();
      dec = tracking.dec();
      if ("sky".equals(info.boresightRotationCoord()) && info.boresightRotationAngle() != null) {
        skyAngle = info.boresightRotationAngle();
      }
    }
    Double zenithAngle = null;
    Double azimuth = null;
    AltAz altaz = info.altazBegin();
    if (altaz != null) {
      zenithAngle = altaz.zenithAngle();
      azimuth = altaz.az();
    }
    TaiTime begin = info.datetimeBegin();
    TaiTime end = info.datetimeEnd().isBefore(begin) ? begin : info.datetimeEnd();
    Timespan timespan = Timespan.of(begin, end);

    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", checked("instrument", info.instrument()));
    record.put("id", info.exposureId());
    record.put("physical_filter", checked("physical_filter", info.physicalFilter()));
    record.put("group", checked("group", info.exposureGroup()));
    record.put("day_obs", info.observingDay());
    record.put("obs_id", checked("obs_id", info.observationId()));
    record.put("exposure_time", info.exposureTime());
    record.put("dark_time", info.darkTime());
    record.put("observation_type", checked("observation_type", info.observationType()));
    record.put("observation_reason", checked("observation_reason", info.observationReason()));
    record.put("seq_num", info.observationCounter());
    record.put("seq_start", info.groupCounterStart());
    record.put("seq_end", info.groupCounterEnd());
    record.put("target_name", checked("target_name", info.object()));
    record.put("science_program", checked("science_program", info.scienceProgram()));
    record.put("tracking_ra", ra);
    record.put("tracking_dec", dec);
    record.put("sky_angle", skyAngle);
    record.put("azimuth", azimuth);
    record.put("zenith_angle", zenithAngle);
    record.put("has_simulated", info.hasSimulatedContent());
    record.put("can_see_sky", info.canSeeSky());
    record.put("datetime_begin", timespan.beginNanos());
    record.put("datetime_end", timespan.endNanos());
    return record;
  }

  /** The exposures' end-before-begin cases, for a warning as obs_base logs one. */
  public static boolean endsBeforeBegin(ObservationInfo info) {
    return info.datetimeEnd() != null && info.datetimeBegin() != null
        && info.datetimeEnd().isBefore(info.datetimeBegin());
  }

  private static String checked(String field, String value) {
    Integer limit = LENGTHS.get(field);
    if (value != null && limit != null && value.length() > limit) {
      throw new IllegalArgumentException(field + " '" + abbreviate(value) + "' has " + value.length()
          + " characters; the registry allows " + limit);
    }
    return value;
  }

  private static String abbreviate(String value) {
    return value.length() > 40 ? value.substring(0, 37) + "..." : value;
  }
}
