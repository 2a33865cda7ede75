package io.autobutler.core.visits;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.transfer.Region;

/**
 * A {@code visit} dimension record (universe 7) as define-visits computes it from the visit's exposures
 * (obs_base {@code DefineVisitsTask._buildVisitRecords}). {@code region} is the base64 text of the sphgeom encoding,
 * as the registry stores it; {@code begin}/{@code end} are TAI nanoseconds.
 */
public record VisitRecord(String instrument, long id, String name, String physicalFilter, long dayObs, Long seqNum,
                          Double exposureTime, String targetName, String observationReason, String scienceProgram,
                          Double azimuth, Double zenithAngle, String region, Long begin, Long end) {

  /** What obs_base writes when the exposures of a visit have different observation reasons (or none). */
  public static final String VARIOUS = "various";
  /** Unit-vector coordinates closer than this (about 0.2 microarcseconds) are the same vertex. */
  private static final double REGION_TOLERANCE = 1e-12;

  /**
   * The record of a visit: timespan from the earliest begin to the latest end, summed exposure time, the common
   * filter, target, program and reason (else null, and {@code various} for the reason), the earliest day_obs and
   * seq_num, the mean zenith angle and the circular mean azimuth. A value missing from any exposure makes a sum,
   * minimum or mean null, as upstream's {@code _reduceOrNone}.
   */
  public static VisitRecord of(VisitDefinition visit, String region) {
    List<ExposureRecord> exposures = visit.exposures();
    String filter = reduce(exposures, ExposureRecord::physicalFilter, VisitRecord::ifEqual);
    if (filter == null) {
      // upstream fails on the NOT NULL column; say why
      throw new RegistryException(RegistryException.Kind.INVALID_ARGUMENT, "Visit " + visit.id() + " ("
          + visit.name() + ") cannot be defined: its exposures " + exposures.stream().map(ExposureRecord::id).toList()
          + " have different physical filters " + exposures.stream().map(ExposureRecord::physicalFilter).distinct()
          .toList());
    }
    String reason = reduce(exposures, ExposureRecord::observationReason, VisitRecord::ifEqual);
    Double zenith = reduce(exposures, ExposureRecord::zenithAngle, Double::sum);
    return new VisitRecord(visit.instrument(), visit.id(), visit.name(), filter,
        exposures.stream().mapToLong(ExposureRecord::dayObs).min().orElseThrow(),
        reduce(exposures, ExposureRecord::seqNum, Math::min),
        reduce(exposures, ExposureRecord::exposureTime, Double::sum),
        reduce(exposures, ExposureRecord::targetName, VisitRecord::ifEqual),
        reason == null ? VARIOUS : reason,
        reduce(exposures, ExposureRecord::scienceProgram, VisitRecord::ifEqual),
        meanAzimuth(exposures),
        zenith == null ? null : zenith / exposures.size(),
        region,
        reduce(exposures, ExposureRecord::begin, Math::min),
        reduce(exposures, ExposureRecord::end, Math::max));
  }

  /**
   * The fields that differ from {@code stored}, as {@code field: stored != this}; empty when the records are the
   * same (doubles compared exactly: define-visits computes them the same way every time).
   */
  public List<String> differencesFrom(VisitRecord stored) {
    List<String> differences = new ArrayList<>();
    compare(differences, "name", stored.name, name);
    compare(differences, "physical_filter", stored.physicalFilter, physicalFilter);
    compare(differences, "day_obs", stored.dayObs, dayObs);
    compare(differences, "seq_num", stored.seqNum, seqNum);
    compare(differences, "exposure_time", stored.exposureTime, exposureTime);
    compare(differences, "target_name", stored.targetName, targetName);
    compare(differences, "observation_reason", stored.observationReason, observationReason);
    compare(differences, "science_program", stored.scienceProgram, scienceProgram);
    compare(differences, "azimuth", stored.azimuth, azimuth);
    compare(differences, "zenith_angle", stored.zenithAngle, zenithAngle);
    compare(differences, "region", stored.region, region);
    compare(differences, "datetime_begin", stored.begin, begin);
    compare(differences, "datetime_end", stored.end, end);
    return differences;
  }

  private static void compare(List<String> differences, String field, Object stored, Object computed) {
    boolean same = field.equals("region") ? sameRegion((String) stored, (String) computed)
        : Objects.equals(stored, computed);
    if (!same) {
      differences.add(field + ": " + (field.equals("region") ? "(old region)" : stored) + " != "
          + (field.equals("region") ? "(new region)" : computed));
    }
  }

  /**
   * Whether two stored regions are the same polygon: the same text, or the same vertices in the same order up to
   * rounding (a region the butler itself wrote went through other arithmetic).
   */
  private static boolean sameRegion(String stored, String computed) {
    if (Objects.equals(stored, computed)) {
      return true;
    }
    if (stored == null || computed == null) {
      return false;
    }
    try {
      return ConvexPolygon.decode(Region.fromBase64(stored).encoded())
          .sameWithin(ConvexPolygon.decode(Region.fromBase64(computed).encoded()), REGION_TOLERANCE);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The mean of angles in degrees on the circle (obs_base {@code _calc_mean_angle}): the phase of the mean of the
   * unit vectors, in (-180, 180]; a single angle is kept as it is.
   */
  static Double meanAzimuth(List<ExposureRecord> exposures) {
    if (exposures.size() == 1) {
      return exposures.get(0).azimuth();
    }
    double sumCos = 0;
    double sumSin = 0;
    for (ExposureRecord exposure : exposures) {
      if (exposure.azimuth() == null) {
        return null;
      }
      double radians = Math.toRadians(exposure.azimuth());
      sumCos += Math.cos(radians);
      sumSin += Math.sin(radians);
    }
    return Math.toDegrees(Math.atan2(sumSin / exposures.size(), sumCos / exposures.size()));
  }

  /**
   * Combines the values pairwise; null when any value is null (obs_base {@code _reduceOrNone}). As upstream, a
   * combination that gives null (values that differ) starts over from the next value: {@code a, b, b} gives b.
   */
  private static <T> T reduce(List<ExposureRecord> exposures, Function<ExposureRecord, T> field,
                              BinaryOperator<T> combine) {
    T result = null;
    for (ExposureRecord exposure : exposures) {
      T value = field.apply(exposure);
      if (value == null) {
        return null;
      }
      result = result == null ? value : combine.apply(result, value);
    }
    return result;
  }

  /** Either value when they are equal, else null (obs_base {@code _value_if_equal}). */
  private static <T> T ifEqual(T a, T b) {
    return Objects.equals(a, b) ? a : null;
  }
}
