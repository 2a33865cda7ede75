package io.autobutler.core.instrument;

import io.autobutler.core.instrument.InstrumentDefinition.Detector;
import io.autobutler.core.instrument.InstrumentDefinition.PhysicalFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instruments autobutler knows how to register, looked up by Python class name
 * ({@code lsst.obs.lsst.LsstComCam}), short class name ({@code LsstComCam}) or instrument name ({@code LSSTComCam}).
 *
 * <p>All facts are those of the middleware weekly w_2025_20 (git tag {@code w.2025.20} of lsst/obs_lsst and
 * lsst/obs_base):
 * <ul>
 *   <li>{@code visit_max = exposure_max = 7050123199999}: {@code LsstBaseTranslator.max_exposure_id()} in obs_lsst
 *       {@code python/lsst/obs/lsst/translators/lsst.py} returns this hard-coded value for both LSSTCam and LSSTComCam
 *       (obs_lsst {@code tests/test_gen3.py::test_exposure_max} checks it for both). Older obs_lsst versions derived
 *       it from the controller codes, which is why older exports (e.g. daf_butler's {@code lsstcam-subset.yaml}) show
 *       6050123199999 for LSSTCam.</li>
 *   <li>{@code detector_max = max(DETECTOR_MAX, 1) = 1000} ({@code LsstBaseTranslator.DETECTOR_MAX}).</li>
 *   <li>{@code visit_system = 2} ({@code VisitSystem.BY_SEQ_START_END}, class attribute of {@code LsstCam}, inherited
 *       by {@code LsstComCam}).</li>
 * </ul>
 */
public final class Instruments {

  /** daf_butler's {@code VisitSystem.BY_SEQ_START_END}. */
  public static final int VISIT_SYSTEM_BY_SEQ_START_END = 2;

  private static final long LSST_MAX_EXPOSURE_ID = 7050123199999L;
  private static final int LSST_DETECTOR_MAX = 1000;

  /** Sensor slots of a 3x3 science raft, in the order of their within-raft ids 0..8 (cameraHeader.yaml RAFT_ITL). */
  static final List<String> SCIENCE_SLOTS = List.of("S00", "S01", "S02", "S10", "S11", "S12", "S20", "S21", "S22");

  /**
   * LSSTComCam, {@code lsst.obs.lsst.LsstComCam}.
   *
   * <p><b>Detector ids (open question 10.4, resolved).</b> obs_lsst builds the camera at build time with
   * {@code bin.src/generateCamera.py} (→ {@code python/lsst/obs/lsst/script/generateCamera.py}) run with the search
   * path {@code comCam:lsstCam:.} ({@code policy/SConscript}). For every raft listed in {@code rafts.yaml} it writes,
   * for each sensor that has a serial in {@code <raft>.yaml}, {@code id = id0 + ccdLayout['id']}, where
   * {@code ccdLayout} is the raft-type layout in {@code policy/cameraHeader.yaml}. At tag w.2025.20:
   * {@code policy/comCam/rafts.yaml} has only {@code R22} with {@code id0: 0}; {@code policy/comCam/R22.yaml} has
   * {@code detectorType: ITL} and serials for S00..S22; {@code cameraHeader.yaml} {@code RAFT_ITL} gives
   * S00..S22 the ids 0..8 in the order S00 S01 S02 S10 S11 S12 S20 S21 S22, all with {@code detectorType: 0}
   * (cameraGeom {@code SCIENCE}); comCam's R22.yaml has no {@code sensorTypes} override. Hence R22_S00..R22_S22 are
   * detectors 0..8 and R22_S11 is 4. The curated calibration files of obs_lsst_data (w.2025.20,
   * {@code comCam/crosstalk/r22_sNN/*.ecsv}) independently carry {@code DETECTOR: n} with {@code DET_NAME: R22_Sxy}
   * matching this mapping for all nine detectors.
   */
  public static final InstrumentDefinition LSST_COM_CAM = new InstrumentDefinition(
      "LSSTComCam",
      "lsst.obs.lsst.LsstComCam",
      LSST_MAX_EXPOSURE_ID,
      LSST_MAX_EXPOSURE_ID,
      LSST_DETECTOR_MAX,
      VISIT_SYSTEM_BY_SEQ_START_END,
      "comCam",
      scienceRaft("R22", 0),
      comCamFilters());

  /**
   * LSSTCam, {@code lsst.obs.lsst.LsstCam}: 205 detectors (189 science in 21 rafts, 8 guiders, 8 wavefront sensors)
   * and 276 physical filters.
   *
   * <p>Detector ids: {@code id0} per raft from obs_lsst {@code policy/rafts.yaml} (science rafts R01..R43 at 0, 9, ...,
   * 180; corner rafts R00/R04/R40/R44 guiders at 189/193/197/201 and their wavefront halves R00W/R04W/R40W/R44W at
   * 191/195/199/203). Corner rafts list SG0, SG1 (type {@code ITL_G}, layout ids 0, 1) or SW0, SW1 (type
   * {@code ITL_WF}, layout ids 0, 1) in {@code policy/lsstCam/R*.yaml}; their {@code sensorTypes} are 2
   * ({@code GUIDER}) and 3 ({@code WAVEFRONT}). The generator renames R00W→R00 etc., so the wavefront sensors are
   * e.g. {@code R00_SW0}. Known checks: R02_S01 is 10 (daf_butler {@code lsstcam-subset.yaml}), R22_S11 is 94.
   *
   * <p>Filters: registration order of obs_lsst {@code LSSTCAM_FILTER_DEFINITIONS} ({@code filters.py}, w.2025.20):
   * the no-filter pair, the baseline filters, the BOT filters with neutral-density combinations and the CCOB
   * combinations, listed in the resource {@code instruments/LSSTCam/physical_filters.tsv}.
   */
  public static final InstrumentDefinition LSST_CAM = new InstrumentDefinition(
      "LSSTCam",
      "lsst.obs.lsst.LsstCam",
      LSST_MAX_EXPOSURE_ID,
      LSST_MAX_EXPOSURE_ID,
      LSST_DETECTOR_MAX,
      VISIT_SYSTEM_BY_SEQ_START_END,
      "lsstCam",
      lsstCamDetectors(),
      readFilters("/instruments/LSSTCam/physical_filters.tsv"));

  private static final List<InstrumentDefinition> ALL = List.of(LSST_COM_CAM, LSST_CAM);

  private Instruments() {
  }

  public static List<InstrumentDefinition> all() {
    return ALL;
  }

  /**
   * Finds an instrument by fully qualified class name, by short class name, or by instrument name. Class names are
   * case-sensitive as in Python; the instrument name is also accepted case-insensitively (daf_butler's identifier
   * rules at w_2025_20 are partly case-insensitive).
   */
  public static Optional<InstrumentDefinition> lookup(String nameOrClass) {
    if (nameOrClass == null) {
      return Optional.empty();
    }
    String key = nameOrClass.strip();
    for (InstrumentDefinition instrument : ALL) {
      if (instrument.className().equals(key) || instrument.shortClassName().equals(key)
          || instrument.name().equals(key)) {
        return Optional.of(instrument);
      }
    }
    String lower = key.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(i -> i.name().toLowerCase(Locale.ROOT).equals(lower)).findFirst();
  }

  /** Like {@link #lookup(String)} but fails with a message listing what is known. */
  public static InstrumentDefinition require(String nameOrClass) {
    return lookup(nameOrClass).orElseThrow(() -> new IllegalArgumentException(
        "unknown instrument '" + nameOrClass + "'; known: "
            + ALL.stream().map(i -> i.className() + " (" + i.name() + ")").toList()));
  }

  /**
   * LSSTComCam filters, obs_lsst {@code filters.py} {@code COMCAM_FILTER_DEFINITIONS} at w.2025.20: the no-filter
   * pair ({@code empty}, {@code none}: band {@code white}), then {@code unknown}, {@code pinhole} (white),
   * {@code OG590_2_5mm} (band OG590), then {@code <band>_<last two digits of the serial number>} for u SN-05/02/06,
   * g SN-07/01, r SN-03, i SN-06, z SN-03/02, y SN-04, grouped by band in first-seen order. The aliases
   * {@code no_filter}/{@code open} are not dimension records.
   */
  private static List<PhysicalFilter> comCamFilters() {
    return List.of(
        new PhysicalFilter("empty", "white"),
        new PhysicalFilter("none", "white"),
        new PhysicalFilter("unknown", "unknown"),
        new PhysicalFilter("pinhole", "white"),
        new PhysicalFilter("OG590_2_5mm", "OG590"),
        new PhysicalFilter("u_05", "u"),
        new PhysicalFilter("u_02", "u"),
        new PhysicalFilter("u_06", "u"),
        new PhysicalFilter("g_07", "g"),
        new PhysicalFilter("g_01", "g"),
        new PhysicalFilter("r_03", "r"),
        new PhysicalFilter("i_06", "i"),
        new PhysicalFilter("z_03", "z"),
        new PhysicalFilter("z_02", "z"),
        new PhysicalFilter("y_04", "y"));
  }

  private static List<Detector> scienceRaft(String raft, int id0) {
    List<Detector> detectors = new ArrayList<>(SCIENCE_SLOTS.size());
    for (int i = 0; i < SCIENCE_SLOTS.size(); i++) {
      detectors.add(new Detector(id0 + i, raft + "_" + SCIENCE_SLOTS.get(i), "SCIENCE"));
    }
    return detectors;
  }

  private static List<Detector> lsstCamDetectors() {
    List<Detector> detectors = new ArrayList<>();
    // Science rafts in rafts.yaml order; id0 = 9 * position.
    String[] scienceRafts = {"R01", "R02", "R03", "R10", "R11", "R12", "R13", "R14", "R20", "R21", "R22", "R23", "R24",
        "R30", "R31", "R32", "R33", "R34", "R41", "R42", "R43"};
    for (int i = 0; i < scienceRafts.length; i++) {
      detectors.addAll(scienceRaft(scienceRafts[i], 9 * i));
    }
    // Corner rafts: guider pair at id0, wavefront pair at id0 + 2.
    String[] cornerRafts = {"R00", "R04", "R40", "R44"};
    int[] cornerId0 = {189, 193, 197, 201};
    for (int i = 0; i < cornerRafts.length; i++) {
      String raft = cornerRafts[i];
      int id0 = cornerId0[i];
      detectors.add(new Detector(id0, raft + "_SG0", "GUIDER"));
      detectors.add(new Detector(id0 + 1, raft + "_SG1", "GUIDER"));
      detectors.add(new Detector(id0 + 2, raft + "_SW0", "WAVEFRONT"));
      detectors.add(new Detector(id0 + 3, raft + "_SW1", "WAVEFRONT"));
    }
    return detectors;
  }

  /** Reads {@code <physical_filter> TAB <band>} lines; blank lines and {@code #} comments are skipped. */
  static List<PhysicalFilter> readFilters(String resource) {
    try (InputStream in = Instruments.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      List<PhysicalFilter> filters = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
          throw new IllegalStateException(resource + " line " + lineNumber + ": expected '<physical_filter>\\t<band>'");
        }
        filters.add(new PhysicalFilter(parts[0], parts[1]));
      }
      return filters;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
