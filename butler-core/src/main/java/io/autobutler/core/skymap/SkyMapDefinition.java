package io.autobutler.core.skymap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.core.transfer.Region;

/**
 * The tracts of a skymap, their patch grids and the {@code tract} and {@code patch} records {@code register-skymap}
 * writes, computed as lsst/skymap does (tag w.2025.20; geometry and regions in {@link TractGeometry}).
 *
 * <p><b>Rings</b> ({@code ringsSkyMap.py}, version 1 numbering): {@code ringSize = π / (numRings + 1)}; ring i
 * (0-based, south to north) spans {@code [ringSize(i + 0.5) − π/2, +ringSize)} and has
 * {@code int(2π cos(dec) / ringSize) + 1} tracts, dec being the bound nearer the equator. Tract 0 is the south polar
 * cap, then ring 0 from {@code raStart} eastwards, ring 1, ..., and the north cap last. Tract centres: ring i at
 * {@code dec = ringSize(i + 1) − π/2}, {@code ra = raStart + 2π·j / n_i}. Every tract, caps included, is an
 * {@code ExplicitTractInfo} of half-size {@code ringSize / 2}. For lsst_cells_v1 (120 rings) this gives 18938 tracts.
 *
 * <p><b>Discrete</b> ({@code discreteSkyMap.py}): one tract per (ra, dec, radius) entry.
 *
 * <p>The arithmetic of the ring counts is IEEE double, in the same operation order as the Python code, with
 * {@link StrictMath} for the cosine; the two equatorial rings evaluate exactly to 242.0 for 120 rings, which the same
 * operations reproduce.
 */
public final class SkyMapDefinition {

  private final SkyMapConfig config;
  private final int tractCount;
  private final double ringSize;
  private final List<Integer> ringNums;

  private SkyMapDefinition(SkyMapConfig config) {
    this.config = config;
    if (config.skyMapType().equals("rings")) {
      int numRings = Math.toIntExact(config.numRings());
      ringSize = Math.PI / (numRings + 1);
      List<Integer> nums = new ArrayList<>(numRings);
      for (int i = 0; i < numRings; i++) {
        double startDec = ringSize * (i + 0.5) - 0.5 * Math.PI;
        double stopDec = startDec + ringSize;
        double dec = Math.min(Math.abs(startDec), Math.abs(stopDec));
        nums.add((int) (2 * Math.PI * StrictMath.cos(dec) / ringSize) + 1);
      }
      ringNums = List.copyOf(nums);
      tractCount = nums.stream().mapToInt(Integer::intValue).sum() + 2;
    } else {
      ringSize = Double.NaN;
      ringNums = List.of();
      tractCount = config.radiusList().size();
    }
  }

  static SkyMapDefinition of(SkyMapConfig config) {
    return new SkyMapDefinition(config);
  }

  public SkyMapConfig config() {
    return config;
  }

  /** {@code skymap.tract_max}: the number of tracts (ids are 0 .. tractCount − 1). */
  public int tractCount() {
    return tractCount;
  }

  /** Number of tracts in each ring (rings only; empty for discrete). */
  public List<Integer> ringNums() {
    return ringNums;
  }

  /** Ring size in radians (rings only). */
  public double ringSize() {
    return ringSize;
  }

  /**
   * Ring number and tract number within the ring of a tract (rings only): ring −1 is the south cap, ring
   * {@code numRings} the north cap (tract number 0 for both).
   */
  public int[] ringIndices(int tract) {
    checkTract(tract);
    int numRings = ringNums.size();
    if (tract == 0) {
      return new int[] {-1, 0};
    }
    if (tract == tractCount - 1) {
      return new int[] {numRings, 0};
    }
    int ring = 0;
    int tractNum = tract - 1;
    while (ring < numRings && tractNum >= ringNums.get(ring)) {
      tractNum -= ringNums.get(ring);
      ring++;
    }
    return new int[] {ring, tractNum};
  }

  /** The geometry of one tract. */
  public TractGeometry tract(int tract) {
    checkTract(tract);
    double raRad;
    double decRad;
    double radiusRad;
    if (config.skyMapType().equals("rings")) {
      int[] indices = ringIndices(tract);
      int ring = indices[0];
      if (ring == -1) {
        raRad = 0;
        decRad = -0.5 * Math.PI;
      } else if (ring == ringNums.size()) {
        raRad = 0;
        decRad = 0.5 * Math.PI;
      } else {
        decRad = ringSize * (ring + 1) - 0.5 * Math.PI;
        raRad = wrap(2 * Math.PI * indices[1] / ringNums.get(ring) + Math.toRadians(config.raStart()));
      }
      radiusRad = 0.5 * ringSize;
    } else {
      raRad = Math.toRadians(config.raList().get(tract));
      decRad = Math.toRadians(config.decList().get(tract));
      radiusRad = Math.toRadians(config.radiusList().get(tract));
    }
    return TractGeometry.compute(config, tract, raRad, decRad, radiusRad);
  }

  /** All tracts, in id order. */
  public List<TractGeometry> tracts() {
    List<TractGeometry> tracts = new ArrayList<>(tractCount);
    for (int i = 0; i < tractCount; i++) {
      tracts.add(tract(i));
    }
    return tracts;
  }

  /** {@code skymap.patch_nx_max}: the largest number of patches in x over all tracts. */
  public int patchNxMax() {
    return maxPatches(true);
  }

  /** {@code skymap.patch_ny_max}: the largest number of patches in y over all tracts. */
  public int patchNyMax() {
    return maxPatches(false);
  }

  private int maxPatches(boolean x) {
    if (tractCount == 0) {
      throw new IllegalStateException("skymap " + config.name() + " has no tracts");
    }
    int max = 0;
    for (int i = 0; i < tractCount; i++) {
      TractGeometry tract = tract(i);
      max = Math.max(max, x ? tract.numPatchesX() : tract.numPatchesY());
    }
    return max;
  }

  /** The number of patch records: the sum of every tract's patch count. */
  public long patchCount() {
    long count = 0;
    for (int i = 0; i < tractCount; i++) {
      count += tract(i).patchCount();
    }
    return count;
  }

  /** The {@code tract} record: {@code skymap, id, region} (the region as the registry stores it, base64). */
  public Map<String, Object> tractRecord(int tract) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("skymap", config.name());
    record.put("id", tract);
    record.put("region", Region.of(tract(tract).outerRegion()).base64());
    return record;
  }

  /**
   * The {@code patch} records of a tract, in lsst/skymap's order (y, then x): {@code skymap, tract, id, cell_x,
   * cell_y, region} with {@code id = nx·y + x}, {@code cell_x = x}, {@code cell_y = y}.
   */
  public List<Map<String, Object>> patchRecords(int tract) {
    TractGeometry geometry = tract(tract);
    List<Map<String, Object>> records = new ArrayList<>();
    for (int y = 0; y < geometry.numPatchesY(); y++) {
      for (int x = 0; x < geometry.numPatchesX(); x++) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("skymap", config.name());
        record.put("tract", tract);
        record.put("id", geometry.sequentialPatchIndex(x, y));
        record.put("cell_x", x);
        record.put("cell_y", y);
        record.put("region", Region.of(geometry.patchOuterRegion(x, y)).base64());
        records.add(record);
      }
    }
    return records;
  }

  private void checkTract(int tract) {
    if (tract < 0 || tract >= tractCount) {
      throw new IndexOutOfBoundsException("tract " + tract + " is not in [0, " + (tractCount - 1) + "]");
    }
  }

  /** {@code lsst.geom.Angle.wrap()}: into [0, 2π). */
  private static double wrap(double radians) {
    double twoPi = 2 * Math.PI;
    double wrapped = radians % twoPi;
    if (wrapped < 0) {
      wrapped += twoPi;
    }
    if (wrapped >= twoPi) {
      wrapped = 0;
    }
    return wrapped;
  }
}
