package io.autobutler.core.ingest.obsinfo;

import static io.autobutler.core.ingest.obsinfo.ObservationProperty.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.core.ingest.obsinfo.SkyAngles.AltAz;
import io.autobutler.core.ingest.obsinfo.SkyAngles.Geocentric;
import io.autobutler.core.ingest.obsinfo.SkyAngles.RaDec;
import io.autobutler.core.time.TaiTime;

/**
 * Translated observation metadata, as astro_metadata_translator's {@code ObservationInfo} (tag w.2025.20) holds it
 * once read from its JSON form ({@code ObservationInfo.from_simple}): times are TAI instants, durations seconds,
 * angles degrees. Absent properties are null.
 *
 * <p>Values by kind: STRING {@link String}, INT {@link Long}, FLOAT/SECONDS/ANGLE {@link Double}, BOOL
 * {@link Boolean}, TIME {@link TaiTime}, RADEC {@link RaDec}, ALTAZ {@link AltAz}, GEOCENTRIC {@link Geocentric}.
 */
public final class ObservationInfo {

  private final Map<ObservationProperty, Object> values;

  private ObservationInfo(Map<ObservationProperty, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * An ObservationInfo of the given values, with {@code from_simple}'s defaults for what older files lack:
   * {@code group_counter_start} and {@code group_counter_end} from {@code observation_counter}, and
   * {@code has_simulated_content} false.
   *
   * @throws ObservationInfoException when a value does not have its property's type
   */
  public static ObservationInfo of(Map<ObservationProperty, ?> properties) {
    EnumMap<ObservationProperty, Object> values = new EnumMap<>(ObservationProperty.class);
    properties.forEach((property, value) -> {
      if (value != null) {
        requireType(property, value);
        values.put(property, value);
      }
    });
    Object counter = values.get(OBSERVATION_COUNTER);
    if (counter != null) {
      values.putIfAbsent(GROUP_COUNTER_START, counter);
      values.putIfAbsent(GROUP_COUNTER_END, counter);
    }
    values.putIfAbsent(HAS_SIMULATED_CONTENT, Boolean.FALSE);
    return new ObservationInfo(values);
  }

  /**
   * Reads the JSON ("simple") form: every key a standard property (null values skipped), plus an optional
   * {@code _translator} naming the translator that wrote it.
   *
   * @throws ObservationInfoException naming the first property that is unknown or not of its JSON form
   */
  public static ObservationInfo fromSimple(Map<String, JsonNode> simple) {
    return of(decodeSimple(simple.entrySet()));
  }

  /**
   * The properties of a JSON ("simple") form, decoded but not yet an ObservationInfo: a property given as
   * {@code null} maps to null, so that merged over other values ({@code dict.update}) it removes theirs.
   *
   * @throws ObservationInfoException naming the first property that is unknown or not of its JSON form
   */
  public static EnumMap<ObservationProperty, Object> decodeSimple(Iterable<Map.Entry<String, JsonNode>> simple) {
    EnumMap<ObservationProperty, Object> values = new EnumMap<>(ObservationProperty.class);
    for (Map.Entry<String, JsonNode> entry : simple) {
      String name = entry.getKey();
      JsonNode node = entry.getValue();
      if (name.equals("_translator")) {
        if (node != null && !node.isNull() && !node.isTextual()) {
          throw new ObservationInfoException(name, "_translator must be a translator name, not " + node);
        }
        continue;
      }
      ObservationProperty property = ObservationProperty.byName(name).orElseThrow(() -> new ObservationInfoException(
          name, "'" + name + "' is not an ObservationInfo property"));
      values.put(property, node == null || node.isNull() ? null : decode(property, node));
    }
    return values;
  }

  /** The JSON ("simple") form, as {@code ObservationInfo.to_simple} writes it: absent properties left out. */
  public Map<String, Object> toSimple() {
    Map<String, Object> simple = new LinkedHashMap<>();
    values.forEach((property, value) -> simple.put(property.jsonName(), switch (property.kind()) {
      case TIME -> {
        double[] jd = TaiJulianDate.fromTaiTime((TaiTime) value);
        yield List.of(jd[0], jd[1]);
      }
      case RADEC -> List.of(((RaDec) value).ra(), ((RaDec) value).dec());
      case ALTAZ -> List.of(((AltAz) value).az(), ((AltAz) value).alt());
      case GEOCENTRIC -> List.of(((Geocentric) value).x(), ((Geocentric) value).y(), ((Geocentric) value).z());
      default -> value;
    }));
    return simple;
  }

  /** The properties of {@code wanted} that have no value, by JSON name, in declaration order. */
  public List<String> missing(Collection<ObservationProperty> wanted) {
    List<String> missing = new ArrayList<>();
    for (ObservationProperty property : ObservationProperty.values()) {
      if (wanted.contains(property) && !values.containsKey(property)) {
        missing.add(property.jsonName());
      }
    }
    return missing;
  }

  public Object get(ObservationProperty property) {
    return values.get(property);
  }

  public String instrument() {
    return (String) values.get(INSTRUMENT);
  }

  public Long exposureId() {
    return (Long) values.get(EXPOSURE_ID);
  }

  public Long detectorNum() {
    return (Long) values.get(DETECTOR_NUM);
  }

  public String observationId() {
    return (String) values.get(OBSERVATION_ID);
  }

  public TaiTime datetimeBegin() {
    return (TaiTime) values.get(DATETIME_BEGIN);
  }

  public TaiTime datetimeEnd() {
    return (TaiTime) values.get(DATETIME_END);
  }

  /** Seconds. */
  public Double exposureTime() {
    return (Double) values.get(EXPOSURE_TIME);
  }

  /** Seconds. */
  public Double darkTime() {
    return (Double) values.get(DARK_TIME);
  }

  public String observationType() {
    return (String) values.get(OBSERVATION_TYPE);
  }

  public String observationReason() {
    return (String) values.get(OBSERVATION_REASON);
  }

  /** {@code YYYYMMDD}. */
  public Long observingDay() {
    return (Long) values.get(OBSERVING_DAY);
  }

  /** Seconds from TAI midnight to the start of the observing day, or null when the instrument has none. */
  public Double observingDayOffset() {
    return (Double) values.get(OBSERVING_DAY_OFFSET);
  }

  public Long observationCounter() {
    return (Long) values.get(OBSERVATION_COUNTER);
  }

  public String physicalFilter() {
    return (String) values.get(PHYSICAL_FILTER);
  }

  public String scienceProgram() {
    return (String) values.get(SCIENCE_PROGRAM);
  }

  /** The {@code object} property (the target's name). */
  public String object() {
    return (String) values.get(OBJECT);
  }

  public RaDec trackingRadec() {
    return (RaDec) values.get(TRACKING_RADEC);
  }

  /** Degrees. */
  public Double boresightRotationAngle() {
    return (Double) values.get(BORESIGHT_ROTATION_ANGLE);
  }

  public String boresightRotationCoord() {
    return (String) values.get(BORESIGHT_ROTATION_COORD);
  }

  public AltAz altazBegin() {
    return (AltAz) values.get(ALTAZ_BEGIN);
  }

  public Boolean hasSimulatedContent() {
    return (Boolean) values.get(HAS_SIMULATED_CONTENT);
  }

  public Long groupCounterStart() {
    return (Long) values.get(GROUP_COUNTER_START);
  }

  public Long groupCounterEnd() {
    return (Long) values.get(GROUP_COUNTER_END);
  }

  public Boolean canSeeSky() {
    return (Boolean) values.get(CAN_SEE_SKY);
  }

  public String exposureGroup() {
    return (String) values.get(EXPOSURE_GROUP);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ObservationInfo info && info.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "ObservationInfo" + toSimple();
  }

  private static Object decode(ObservationProperty property, JsonNode node) {
    String name = property.jsonName();
    try {
      return switch (property.kind()) {
        case STRING -> {
          if (!node.isTextual()) {
            throw new IllegalArgumentException("must be a string");
          }
          yield node.textValue();
        }
        case INT -> {
          if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("must be an integer");
          }
          yield node.longValue();
        }
        case BOOL -> {
          if (!node.isBoolean()) {
            throw new IllegalArgumentException("must be true or false");
          }
          yield node.booleanValue();
        }
        case FLOAT, SECONDS, ANGLE -> number(node);
        case TIME -> {
          double[] jd = numbers(node, 2, "a TAI Julian Date pair [jd1, jd2]");
          yield TaiJulianDate.toTaiTime(jd[0], jd[1]);
        }
        case RADEC -> {
          double[] radec = numbers(node, 2, "an ICRS pair [ra, dec] in degrees");
          yield new RaDec(radec[0], radec[1]);
        }
        case ALTAZ -> {
          double[] azAlt = numbers(node, 2, "a pair [az, alt] in degrees");
          yield new AltAz(azAlt[0], azAlt[1]);
        }
        case GEOCENTRIC -> {
          double[] xyz = numbers(node, 3, "geocentric [x, y, z] in metres");
          yield new Geocentric(xyz[0], xyz[1], xyz[2]);
        }
      };
    } catch (IllegalArgumentException e) {
      throw new ObservationInfoException(name, name + " " + abbreviate(node) + ": " + e.getMessage());
    }
  }

  private static double number(JsonNode node) {
    if (!node.isNumber()) {
      throw new IllegalArgumentException("must be a number");
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("must be a finite number");
    }
    return value;
  }

  private static double[] numbers(JsonNode node, int count, String what) {
    if (!node.isArray() || node.size() != count) {
      throw new IllegalArgumentException("must be " + what);
    }
    double[] values = new double[count];
    Iterator<JsonNode> elements = node.elements();
    for (int i = 0; i < count; i++) {
      JsonNode element = elements.next();
      if (!element.isNumber()) {
        throw new IllegalArgumentException("must be " + what);
      }
      values[i] = element.doubleValue();
    }
    return values;
  }

  private static void requireType(ObservationProperty property, Object value) {
    Class<?> expected = switch (property.kind()) {
      case STRING -> String.class;
      case INT -> Long.class;
      case FLOAT, SECONDS, ANGLE -> Double.class;
      case BOOL -> Boolean.class;
      case TIME -> TaiTime.class;
      case RADEC -> RaDec.class;
      case ALTAZ -> AltAz.class;
      case GEOCENTRIC -> Geocentric.class;
    };
    if (!expected.isInstance(value)) {
      throw new ObservationInfoException(property.jsonName(), property.jsonName() + " must be a "
          + expected.getSimpleName() + ", not " + value.getClass().getSimpleName() + " " + value);
    }
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
