package io.autobutler.core.visits;

/**
 * The fields of an {@code exposure} record that visit definition reads. Times are the registry's TAI nanoseconds;
 * a null begin and end is an exposure without a timespan.
 */
public record ExposureRecord(String instrument, long id, String obsId, String physicalFilter, long dayObs,
                             String group, Long seqNum, Long seqStart, Long seqEnd, Double exposureTime,
                             String observationType, String observationReason, String targetName,
                             String scienceProgram, Double trackingRa, Double trackingDec, Double skyAngle,
                             Double azimuth, Double zenithAngle, Boolean canSeeSky, Long begin, Long end) {

  /**
   * Whether a visit can be defined for it (obs_base {@code DefineVisitsTask.run}): a pointing (tracking RA/Dec and
   * a sky rotation angle) and not known to be unable to see the sky (a null {@code can_see_sky} counts as able).
   */
  public boolean seesTheSky() {
    return trackingRa != null && trackingDec != null && skyAngle != null && !Boolean.FALSE.equals(canSeeSky);
  }
}
