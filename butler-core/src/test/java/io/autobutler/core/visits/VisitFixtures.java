package io.autobutler.core.visits;

/** Exposure records for visit tests, shaped like obs_base's test exposures 2022040500347..349. */
final class VisitFixtures {

  static final long DAY = 20220405L;
  /** 2022-04-06 02:56:00 TAI in registry nanoseconds. */
  static final long NIGHT_NS = 1_649_213_760_000_000_000L;

  private VisitFixtures() {
  }

  /** A science exposure of sequence {@code [seqStart, seqEnd]} at RA 150, Dec -30, sky angle 0. */
  static ExposureRecord exposure(long seqNum, long seqStart, long seqEnd) {
    long begin = NIGHT_NS + seqNum * 40_000_000_000L;
    return new ExposureRecord("LSSTComCam", DAY * 100_000 + seqNum, String.format("CC_O_%d_%06d", DAY, seqNum),
        "r_03", DAY, "2022-04-06T02:56:00.000", seqNum, seqStart, seqEnd, 15.0, "science", "science", "field",
        "BLOCK-1", 150.0, -30.0, 0.0, 180.0, 20.0, true, begin, begin + 15_000_000_000L);
  }

  /** The same exposure with other values of some fields. */
  static ExposureRecord with(ExposureRecord e, String reason, String target, Double azimuth, Double zenith) {
    return new ExposureRecord(e.instrument(), e.id(), e.obsId(), e.physicalFilter(), e.dayObs(), e.group(),
        e.seqNum(), e.seqStart(), e.seqEnd(), e.exposureTime(), e.observationType(), reason, target,
        e.scienceProgram(), e.trackingRa(), e.trackingDec(), e.skyAngle(), azimuth, zenith, e.canSeeSky(), e.begin(),
        e.end());
  }
}
