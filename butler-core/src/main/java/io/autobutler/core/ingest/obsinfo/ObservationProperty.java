package io.autobutler.core.ingest.obsinfo;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The standard properties of astro_metadata_translator's {@code ObservationInfo} (tag w.2025.20,
 * {@code properties.py}) with the JSON ("simple") form each one takes in an {@code _index.json} or sidecar file.
 */
public enum ObservationProperty {
  TELESCOPE(Kind.STRING),
  INSTRUMENT(Kind.STRING),
  LOCATION(Kind.GEOCENTRIC),
  EXPOSURE_ID(Kind.INT),
  VISIT_ID(Kind.INT),
  PHYSICAL_FILTER(Kind.STRING),
  DATETIME_BEGIN(Kind.TIME),
  DATETIME_END(Kind.TIME),
  EXPOSURE_TIME(Kind.SECONDS),
  EXPOSURE_TIME_REQUESTED(Kind.SECONDS),
  DARK_TIME(Kind.SECONDS),
  BORESIGHT_AIRMASS(Kind.FLOAT),
  BORESIGHT_ROTATION_ANGLE(Kind.ANGLE),
  BORESIGHT_ROTATION_COORD(Kind.STRING),
  DETECTOR_NUM(Kind.INT),
  DETECTOR_NAME(Kind.STRING),
  DETECTOR_UNIQUE_NAME(Kind.STRING),
  DETECTOR_SERIAL(Kind.STRING),
  DETECTOR_GROUP(Kind.STRING),
  DETECTOR_EXPOSURE_ID(Kind.INT),
  FOCUS_Z(Kind.FLOAT),
  OBJECT(Kind.STRING),
  TEMPERATURE(Kind.FLOAT),
  PRESSURE(Kind.FLOAT),
  RELATIVE_HUMIDITY(Kind.FLOAT),
  TRACKING_RADEC(Kind.RADEC),
  ALTAZ_BEGIN(Kind.ALTAZ),
  ALTAZ_END(Kind.ALTAZ),
  SCIENCE_PROGRAM(Kind.STRING),
  OBSERVATION_TYPE(Kind.STRING),
  OBSERVATION_ID(Kind.STRING),
  OBSERVATION_REASON(Kind.STRING),
  EXPOSURE_GROUP(Kind.STRING),
  OBSERVING_DAY(Kind.INT),
  OBSERVING_DAY_OFFSET(Kind.SECONDS),
  OBSERVATION_COUNTER(Kind.INT),
  HAS_SIMULATED_CONTENT(Kind.BOOL),
  GROUP_COUNTER_START(Kind.INT),
  GROUP_COUNTER_END(Kind.INT),
  CAN_SEE_SKY(Kind.BOOL);

  /**
   * How a value is written in JSON: {@code TIME} is a TAI Julian Date pair {@code [jd1, jd2]}; {@code SECONDS},
   * {@code ANGLE} (degrees) and {@code FLOAT} (airmass, humidity, K, hPa, m) are numbers; {@code RADEC} is ICRS
   * {@code [ra, dec]} and {@code ALTAZ} {@code [az, alt]}, in degrees; {@code GEOCENTRIC} is {@code [x, y, z]} in
   * metres.
   */
  public enum Kind {
    STRING, INT, FLOAT, BOOL, TIME, SECONDS, ANGLE, RADEC, ALTAZ, GEOCENTRIC
  }

  private static final Map<String, ObservationProperty> BY_NAME = Stream.of(values())
      .collect(Collectors.toUnmodifiableMap(ObservationProperty::jsonName, Function.identity()));

  private final Kind kind;
  /** Kept: every property of every raw's metadata is looked up by it. */
  private final String jsonName;

  ObservationProperty(Kind kind) {
    this.kind = kind;
    this.jsonName = name().toLowerCase(Locale.ROOT);
  }

  public Kind kind() {
    return kind;
  }

  /** The property's name as ObservationInfo and the JSON files spell it, e.g. {@code datetime_begin}. */
  public String jsonName() {
    return jsonName;
  }

  public static Optional<ObservationProperty> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
