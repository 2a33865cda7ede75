package io.autobutler.core.skymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.ConvexPolygonTest;
import io.autobutler.core.sphgeom.UnitVector3d;

/**
 * The regions of tract and patch records: against the one upstream record at hand (daf_butler's ci_hsc tract),
 * against lsst/skymap's own test facts, and for consistency over the whole of lsst_cells_v1.
 */
class TractRegionsTest {

  private static final SkyMapDefinition CELLS = SkyMapConfig.bundled("lsst_cells_v1").definition();

  @Test
  void ciHscTractRegionMatchesTheRecordDafButlerShips() {
    TractGeometry tract = SkyMapConfig.parse(SkyMapConfigTest.CI_HSC, "ci_hsc").definition().tract(0);
    List<UnitVector3d> ours = tract.outerRegion().vertices();
    List<UnitVector3d> upstream = ConvexPolygon.decode(HexFormat.of().parseHex(ConvexPolygonTest.CI_HSC_TRACT_0))
        .vertices();
    // Same vertices in the same order; coordinates within a few units in the last place (1e-15 ≈ 2e-10 arcsec).
    assertThat(ours).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(ours.get(i).x()).as("vertex %d x", i).isCloseTo(upstream.get(i).x(), within(1e-15));
      assertThat(ours.get(i).y()).as("vertex %d y", i).isCloseTo(upstream.get(i).y(), within(1e-15));
      assertThat(ours.get(i).z()).as("vertex %d z", i).isCloseTo(upstream.get(i).z(), within(1e-15));
    }
    // 16×16 patches of 4000 px (the record's patch_nx_max/patch_ny_max), legacy patches clipped to the tract.
    assertThat(tract.numPatchesX()).isEqualTo(16);
    assertThat(tract.width()).isEqualTo(64000);
    assertThat(tract.patchOuterBox(0, 0)).containsExactly(0, 0, 4099, 4099);
    assertThat(tract.patchOuterBox(15, 15)).containsExactly(59900, 59900, 63999, 63999);
    assertThat(tract.patchOuterBox(3, 7)).containsExactly(11900, 27900, 16099, 32099);
  }

  @Test
  void ringCentresMatchLsstSkymapTests() {
    // lsst/skymap tests/test_ringsSkyMap.py, same 120 rings: COSMOS's tract 9813 and the tract at RA 0 that
    // DM-14809 was about (9712 in the version-0 numbering; register-skymap uses version 1, where it is the first
    // tract of its ring).
    assertThat(CELLS.tract(9813).centerRaDeg()).isCloseTo(150.2479338842975, within(1e-12));
    assertThat(CELLS.tract(9813).centerDecDeg()).isCloseTo(2.2314049586776834, within(1e-13));
    int atRa0 = findTract(0, Math.toRadians(0.7438016528925696));
    assertThat(CELLS.ringIndices(atRa0)).containsExactly(60, 0);
    assertThat(CELLS.tract(atRa0).centerRaDeg()).isEqualTo(0.0);
    assertThat(CELLS.tract(atRa0).centerDecDeg()).isCloseTo(0.7438016528925696, within(1e-13));
  }

  @Test
  void cellPatchesReachBeyondTheTract() {
    TractGeometry tract = CELLS.tract(5063);
    assertThat(tract.width()).isEqualTo(30000);
    // 20 cells of 150 px inside, one cell plus the 50 px cell border around, not clipped to the tract.
    assertThat(tract.patchOuterBox(0, 0)).containsExactly(-200, -200, 3199, 3199);
    assertThat(tract.patchOuterBox(9, 9)).containsExactly(26800, 26800, 30199, 30199);
    ConvexPolygon patch = tract.patchOuterRegion(0, 0);
    for (UnitVector3d vertex : patch.vertices()) {
      double[] pixel = tract.skyToPixel(vertex);
      assertThat(Math.abs(pixel[0])).isCloseTo(pixel[0] < 0 ? 200.5 : 3199.5, within(1e-6));
      assertThat(Math.abs(pixel[1])).isCloseTo(pixel[1] < 0 ? 200.5 : 3199.5, within(1e-6));
    }
    double[] corners = tract.skyToPixel(tract.outerRegion().vertices().get(0));
    assertThat(Math.abs(corners[0] + 0.5) < 1e-6 || Math.abs(corners[0] - 29999.5) < 1e-6).isTrue();
    // The tract's centre is at its reference pixel, near the middle of the box.
    double[] crpix = tract.centrePixel();
    assertThat(crpix[0]).isBetween(14999.0, 15001.0);
    UnitVector3d centre = tract.pixelToSky(crpix[0], crpix[1]);
    assertThat(centre.lonDegrees()).isCloseTo(tract.centerRaDeg(), within(1e-12));
    assertThat(centre.latDegrees()).isCloseTo(tract.centerDecDeg(), within(1e-12));
  }

  @Test
  void polarCaps() {
    UnitVector3d southPole = new UnitVector3d(0, 0, -1);
    UnitVector3d northPole = new UnitVector3d(0, 0, 1);
    TractGeometry south = CELLS.tract(0);
    TractGeometry north = CELLS.tract(CELLS.tractCount() - 1);
    assertThat(south.centerDecDeg()).isEqualTo(-90.0);
    assertThat(north.centerDecDeg()).isEqualTo(90.0);
    assertThat(south.outerRegion().contains(southPole)).isTrue();
    assertThat(north.outerRegion().contains(northPole)).isTrue();
    assertThat(south.outerRegion().contains(northPole)).isFalse();
    // AST's default LONPOLE: +y points towards RA 0° on both caps; +x towards RA 270° in the south, 90° in the north.
    double[] c = south.centrePixel();
    assertThat(south.pixelToSky(c[0], south.height() - 1).lonDegrees()).isCloseTo(0.0, within(1e-9));
    assertThat(south.pixelToSky(south.width() - 1, c[1]).lonDegrees()).isCloseTo(270.0, within(1e-9));
    assertThat(north.pixelToSky(c[0], north.height() - 1).lonDegrees()).isCloseTo(0.0, within(1e-9));
    assertThat(north.pixelToSky(north.width() - 1, c[1]).lonDegrees()).isCloseTo(90.0, within(1e-9));
    // And on an ordinary tract: north up, east (increasing RA) to the left.
    TractGeometry ecdfs = CELLS.tract(5063);
    double[] e = ecdfs.centrePixel();
    assertThat(ecdfs.pixelToSky(e[0], ecdfs.height() - 1).latDegrees()).isGreaterThan(ecdfs.centerDecDeg());
    assertThat(ecdfs.pixelToSky(e[0], ecdfs.height() - 1).lonDegrees()).isCloseTo(ecdfs.centerRaDeg(), within(1e-9));
    assertThat(ecdfs.pixelToSky(0, e[1]).lonDegrees()).isGreaterThan(ecdfs.centerRaDeg());
  }

  @Test
  void everyTractContainsItsCentreAndOverlapsItsNeighbours() {
    double ringSize = CELLS.ringSize();
    int first = 1;
    for (int ring = 0; ring < CELLS.ringNums().size(); ring++) {
      int n = CELLS.ringNums().get(ring);
      double dec = ringSize * (ring + 1) - Math.PI / 2;
      for (int j = 0; j < n; j++) {
        TractGeometry tract = CELLS.tract(first + j);
        ConvexPolygon region = tract.outerRegion();
        assertThat(region.contains(UnitVector3d.fromLonLat(Math.toRadians(tract.centerRaDeg()), dec))).isTrue();
        // The meridian halfway to the next tract of the ring lies in both, on the ring's centre line and at the
        // ring's edges.
        ConvexPolygon nextRegion = CELLS.tract(first + (j + 1) % n).outerRegion();
        double boundaryRa = Math.toRadians(tract.centerRaDeg()) + Math.PI / n;
        for (double edge : new double[] {-0.5, 0, 0.5}) {
          UnitVector3d point = UnitVector3d.fromLonLat(boundaryRa, dec + edge * ringSize);
          assertThat(region.contains(point)).as("tract %d", tract.id()).isTrue();
          assertThat(nextRegion.contains(point)).as("tract %d", tract.id() + 1).isTrue();
        }
      }
      first += n;
    }
    assertThat(first).isEqualTo(CELLS.tractCount() - 1);
  }

  @Test
  void randomPointsFallInTheirTractAndPatch() {
    Random random = new Random(20250520);
    for (int i = 0; i < 20000; i++) {
      double ra = random.nextDouble() * 2 * Math.PI;
      double dec = Math.asin(2 * random.nextDouble() - 1);
      UnitVector3d point = UnitVector3d.fromLonLat(ra, dec);
      TractGeometry tract = CELLS.tract(findTract(ra, dec));
      assertThat(tract.outerRegion().contains(point)).as("tract %d, point (%s, %s)", tract.id(), ra, dec).isTrue();
      double[] pixel = tract.skyToPixel(point);
      int x = (int) (Math.floor(pixel[0] + 0.5) / 3000);
      int y = (int) (Math.floor(pixel[1] + 0.5) / 3000);
      assertThat(x).isBetween(0, 9);
      assertThat(y).isBetween(0, 9);
      assertThat(tract.patchInnerRegion(x, y).contains(point)).isTrue();
      assertThat(tract.patchOuterRegion(x, y).contains(point)).isTrue();
    }
  }

  /** lsst/skymap {@code RingsSkyMap.findTract} (version 1), written out for the test. */
  private static int findTract(double ra, double dec) {
    double ringSize = CELLS.ringSize();
    List<Integer> rings = CELLS.ringNums();
    double firstRingStart = ringSize * 0.5 - 0.5 * Math.PI;
    if (dec < firstRingStart) {
      return 0;
    }
    if (dec > -firstRingStart) {
      return CELLS.tractCount() - 1;
    }
    int ring = (int) ((dec - firstRingStart) / ringSize);
    int tractNum = (int) (ra / (2 * Math.PI / rings.get(ring)) + 0.5);
    if (tractNum == rings.get(ring)) {
      tractNum = 0;
    }
    int index = tractNum + 1;
    for (int r = 0; r < ring; r++) {
      index += rings.get(r);
    }
    return index;
  }
}
