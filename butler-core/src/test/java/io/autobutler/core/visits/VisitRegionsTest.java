package io.autobutler.core.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.autobutler.core.instrument.CameraGeometry;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.ConvexPolygonTest;
import io.autobutler.core.sphgeom.UnitVector3d;
import io.autobutler.core.transfer.DimensionBlock;
import io.autobutler.core.transfer.DimensionRecordData;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.Region;
import io.autobutler.core.time.TaiTime;

/** Visit and detector regions from the boresight, the sky angle and the camera geometry. */
class VisitRegionsTest {

  private static final CameraGeometry COMCAM = CameraGeometry.of("LSSTComCam").orElseThrow();
  /** Focal-plane mm between neighbouring ComCam detectors, as an angle on the sky in degrees (20.018 arcsec/mm). */
  private static final double STEP_DEG = 42.25 * 20.018130891688713 / 3600;
  /**
   * Unit-vector coordinates within this are the same vertex: our corners and afw's differ in the last bits (a few
   * 1e-16 for lsstcam-subset.yaml), well under a microarcsecond.
   */
  static final double SAME_VERTEX = 1e-14;

  @Test
  void theCameraGeometryHasTheRegisteredDetectors() {
    for (InstrumentDefinition instrument : Instruments.all()) {
      CameraGeometry camera = CameraGeometry.of(instrument.name()).orElseThrow();
      assertThat(camera.detectors()).extracting(CameraGeometry.DetectorGeometry::id)
          .containsExactlyElementsOf(instrument.detectors().stream().map(InstrumentDefinition.Detector::id).toList());
      assertThat(camera.detectors()).extracting(CameraGeometry.DetectorGeometry::name)
          .containsExactlyElementsOf(instrument.detectors().stream().map(InstrumentDefinition.Detector::fullName)
              .toList());
    }
    CameraGeometry.DetectorGeometry s11 = COMCAM.detectors().get(4);
    assertThat(s11.name()).isEqualTo("R22_S11");
    assertThat(s11.focalPlane(2036.5, 2000.5)).containsExactly(0.0, 0.0);
    assertThat(s11.paddedCorners(250).get(0)).containsExactly(-250.5, -250.5);
    assertThat(s11.paddedCorners(250).get(2)).containsExactly(4321.5, 4249.5);
    assertThat(CameraGeometry.of("HSC")).isEmpty();
  }

  @Test
  void withSkyAngleZeroFocalPlaneXPointsWestAndYNorth() {
    VisitRegions.Regions regions = new VisitRegions(COMCAM).compute(pointing(150.0, -30.0, 0.0));
    double ra = 150.0;
    double dec = -30.0;
    double dRa = STEP_DEG / Math.cos(Math.toRadians(dec));
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra, dec), 4);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra - dRa, dec), 5);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra + dRa, dec), 3);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra, dec + STEP_DEG), 7);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra, dec - STEP_DEG), 1);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(ra - dRa, dec + STEP_DEG), 8);
    assertVisitHoldsItsDetectors(regions);
  }

  @Test
  void theSkyAngleRotatesTheFocalPlane() {
    // Sky angle 90: focal-plane x points north and y east.
    VisitRegions.Regions regions = new VisitRegions(COMCAM).compute(pointing(0.2, 45.0, 90.0));
    double dRa = STEP_DEG / Math.cos(Math.toRadians(45.0));
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(0.2, 45.0), 4);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(0.2, 45.0 + STEP_DEG), 5);
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(0.2 + dRa, 45.0), 7);
    // Across RA 0.
    assertOnlyIn(regions, UnitVector3d.fromLonLatDegrees(360.2 - dRa, 45.0), 1);
    assertVisitHoldsItsDetectors(regions);
  }

  @Test
  void regionsHaveTheCamerasSizeAndWorkAtThePole() {
    VisitRegions.Regions regions = new VisitRegions(COMCAM).compute(pointing(10.0, -89.9, 33.0));
    UnitVector3d boresight = UnitVector3d.fromLonLatDegrees(10.0, -89.9);
    assertOnlyIn(regions, boresight, 4);
    assertVisitHoldsItsDetectors(regions);
    // The outer corners: a detector offset of 42.25 mm plus half a detector and the padding, 2036 + 250 pixels of
    // 10 microns along x and 2000 + 250 along y; about 0.51 degrees from the boresight.
    double halfDiagonal = Math.hypot(42.25 + 22.86, 42.25 + 22.50) * 20.018 / 3600;
    for (UnitVector3d corner : regions.visit().vertices()) {
      assertThat(Math.toDegrees(corner.angleTo(boresight))).isCloseTo(halfDiagonal, within(0.01));
    }
    assertThat(regions.visit().vertices()).hasSize(4);
    regions.detectors().values().forEach(ConvexPolygonTest::assertCounterClockwise);
    ConvexPolygonTest.assertCounterClockwise(regions.visit());
  }

  /**
   * The regions obs_base's define-visits wrote for two LSSTCam exposures of 2025-12-02 (daf_butler's
   * lsstcam-subset.yaml): sphgeom's hull of the corners in upstream's order gives the detector regions and the
   * 71-vertex visit regions with the same vertices in the same order, from the same first vertex, to rounding.
   */
  @Test
  void reproducesTheButlersLsstCamRegions() throws IOException {
    ExportFile subset = readSubset();
    Map<Long, ExposureRecord> exposures = new HashMap<>();
    for (DimensionRecordData r : records(subset, "exposure")) {
      exposures.put((Long) r.get("id"), new ExposureRecord("LSSTCam", (Long) r.get("id"), (String) r.get("obs_id"),
          (String) r.get("physical_filter"), (Long) r.get("day_obs"), (String) r.get("group"), (Long) r.get("seq_num"),
          (Long) r.get("seq_start"), (Long) r.get("seq_end"), (Double) r.get("exposure_time"),
          (String) r.get("observation_type"), (String) r.get("observation_reason"), (String) r.get("target_name"),
          (String) r.get("science_program"), (Double) r.get("tracking_ra"), (Double) r.get("tracking_dec"),
          (Double) r.get("sky_angle"), (Double) r.get("azimuth"), (Double) r.get("zenith_angle"),
          (Boolean) r.get("can_see_sky"), ((TaiTime) r.get("datetime_begin")).toRegistryNanos(),
          ((TaiTime) r.get("datetime_end")).toRegistryNanos()));
    }
    VisitRegions lsstCam = new VisitRegions(CameraGeometry.of("LSSTCam").orElseThrow());
    Map<Long, VisitRegions.Regions> computed = new HashMap<>();
    exposures.forEach((id, exposure) -> computed.put(id, lsstCam.compute(exposure)));
    assertThat(computed.values()).allSatisfy(r -> assertThat(r.detectors()).hasSize(205));

    List<DimensionRecordData> detectorRegions = records(subset, "visit_detector_region");
    assertThat(detectorRegions).hasSize(4);
    for (DimensionRecordData r : detectorRegions) {
      ConvexPolygon butlers = ConvexPolygon.decode(((Region) r.get("region")).encoded());
      ConvexPolygon ours = computed.get((Long) r.get("visit")).detectors().get(((Long) r.get("detector")).intValue());
      assertThat(ours.sameWithin(butlers, SAME_VERTEX))
          .as("detector %s of visit %s: %s != %s", r.get("detector"), r.get("visit"), ours, butlers).isTrue();
    }
    for (DimensionRecordData r : records(subset, "visit")) {
      ConvexPolygon butlers = ConvexPolygon.decode(((Region) r.get("region")).encoded());
      ConvexPolygon ours = computed.get((Long) r.get("id")).visit();
      assertThat(ours.vertices()).hasSize(71);
      assertThat(ours.sameWithin(butlers, SAME_VERTEX)).as("visit %s: %s != %s", r.get("id"), ours, butlers)
          .isTrue();
    }
  }

  static ExportFile readSubset() throws IOException {
    try (Reader in = new InputStreamReader(VisitRegionsTest.class.getResourceAsStream("/visits/lsstcam-subset.yaml"),
        StandardCharsets.UTF_8)) {
      return new ExportFileReader().read(in);
    }
  }

  static List<DimensionRecordData> records(ExportFile file, String element) {
    return file.blocks(DimensionBlock.class).stream().filter(b -> b.element().equals(element))
        .flatMap(b -> b.records().stream()).toList();
  }

  private static ExposureRecord pointing(double ra, double dec, double skyAngle) {
    ExposureRecord e = VisitFixtures.exposure(1, 1, 1);
    return new ExposureRecord(e.instrument(), e.id(), e.obsId(), e.physicalFilter(), e.dayObs(), e.group(),
        e.seqNum(), e.seqStart(), e.seqEnd(), e.exposureTime(), e.observationType(), e.observationReason(),
        e.targetName(), e.scienceProgram(), ra, dec, skyAngle, e.azimuth(), e.zenithAngle(), e.canSeeSky(), e.begin(),
        e.end());
  }

  /** The point is in that detector's region and in no other's, and in the visit's. */
  private static void assertOnlyIn(VisitRegions.Regions regions, UnitVector3d point, int detector) {
    regions.detectors().forEach((id, polygon) -> assertThat(polygon.contains(point))
        .as("detector %d holds %s (%.4f, %.4f)", id, point, point.lonDegrees(), point.latDegrees())
        .isEqualTo(id == detector));
    assertThat(regions.visit().contains(point)).isTrue();
  }

  private static void assertVisitHoldsItsDetectors(VisitRegions.Regions regions) {
    for (ConvexPolygon detector : regions.detectors().values()) {
      for (UnitVector3d corner : detector.vertices()) {
        assertThat(regions.visit().contains(corner)).isTrue();
      }
    }
  }
}
