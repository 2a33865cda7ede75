package io.autobutler.core.instrument;

import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.instrument.InstrumentDefinition.Detector;
import io.autobutler.core.instrument.InstrumentDefinition.PhysicalFilter;
import io.autobutler.core.time.LeapSeconds;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code butler write-curated-calibrations REPO <instrument class> --label L} puts in the registry and the
 * datastore, as pure data (lsst/obs_base {@code python/lsst/obs/base/_instrument.py}, tag w.2025.20:
 * {@code writeCameraGeom}, {@code writeStandardTextCuratedCalibrations},
 * {@code _writeSpecificCuratedCalibrationDatasets}; {@code _read_curated_calibs.py::read_all}).
 *
 * <p><b>The steps.</b>
 * <ol>
 *   <li>Camera: register the CALIBRATION collection {@code <I>/calib/<L>} and the RUN {@code <I>/calib/<L>/unbounded};
 *       register dataset type {@code camera} (dimensions {@code instrument}, storage class {@code Camera},
 *       calibration); put the camera in the unbounded RUN; certify it over {@code Timespan(None, None)}.</li>
 *   <li>For every standard type that has a directory {@code <policyName>/<type>} in the obs data package: register
 *       the dataset type (calibration); read the files of every series (a series is a detector directory, a filter
 *       directory, a detector/filter pair, or the type directory itself); within a series, sort by validity start
 *       (the file name, an ISO date, taken as UTC) and certify file i over {@code [t_i, t_{i+1})}, the last one
 *       open-ended; each file is put into the RUN {@code <I>/calib/<L>/curated/<CALIBDATE formatted>}; the data ID
 *       is the instrument plus {@code detector} (metadata DETECTOR) and {@code physical_filter} (FILTER) where the
 *       type's dimensions have them. All puts and certifications happen in one transaction, certifications grouped
 *       by timespan.</li>
 *   <li>{@code writeAdditionalCuratedCalibrations}: nothing for LSSTComCam.</li>
 * </ol>
 *
 * <p><b>What exists for LSSTComCam at w_2025_20</b> (lsst/obs_lsst_data tag w.2025.20, directory {@code comCam/};
 * policy name {@code comCam} from obs_lsst {@code LsstComCam.policyName}, data package {@code obs_lsst_data} from
 * {@code LsstCam.obsDataPackage}): {@code crosstalk} (9 detectors), {@code manual_defects} (9 detectors),
 * {@code transmission_filter} (6 filters: g_01, i_06, r_03, u_02, y_04, z_03), {@code transmission_optics} (1) and
 * {@code transmission_sensor} (9 detectors). Every file is named {@code 19700101T000000.ecsv} and carries
 * {@code CALIBDATE: '1970-01-01T00:00:00'}, so each series has one validity range
 * {@code [1970-01-01T00:00:00 UTC, ∞)} and every curated dataset goes to the RUN
 * {@code LSSTComCam/calib/<label>/curated/19700101T000000Z}. There are no {@code defects}, {@code qe_curve},
 * {@code linearizer}, {@code bfk}, {@code transmission_filter_detector}, {@code transmission_atmosphere} or
 * {@code transmission_system} directories for comCam at that tag. The crosstalk files carry {@code FILTER: ''}, which
 * ip_isr's {@code updateMetadata} turns into {@code None}; it is not part of the data ID (crosstalk has no
 * physical_filter dimension and daf_butler drops keys outside a dataset type's dimensions).
 *
 * <p><b>Times.</b> Validity bounds are given as UTC wall-clock times and as butler TAI nanoseconds
 * ({@link LeapSeconds}). At 1970-01-01T00:00:00 UTC, TAI−UTC is 8.000082 s (pre-1972 drift formula, not 37 s), so the
 * stored begin is 8 000 082 000 ns. An open bound is {@code null} here; daf_butler's {@code Timespan} represents an
 * open begin as 0 ns and an open end as {@link LeapSeconds#MAX_NSEC} internally.
 *
 * <p><b>Order.</b> Upstream iterates the standard types through a {@code frozenset}, so the order in which dataset
 * types and RUNs are registered is not specified; here it is the order of
 * {@link #STANDARD_TYPES}, series sorted by path, which is deterministic.
 */
public final class CuratedCalibrations {

  /** Storage class formatter of all curated types and of the camera (daf_butler configs/datastores/formatters.yaml). */
  public static final String FITS_GENERIC_FORMATTER = "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter";
  /** The file extension {@code FitsGenericFormatter} writes ({@code default_extension}). */
  public static final String FITS_EXTENSION = ".fits";

  /** A dataset type definition as obs_base registers it. */
  public record DatasetTypeDefinition(String name, List<String> dimensions, String storageClass,
                                      boolean isCalibration) {
    public DatasetTypeDefinition {
      dimensions = List.copyOf(dimensions);
    }

    /** The closed dimension group in universe 7. */
    public DimensionGroup group() {
      return DimensionUniverse.v7().group(dimensions);
    }

    /** The dimension list an export file writes: required and implied, universe order. */
    public List<String> exportDimensions() {
      return group().names();
    }
  }

  /** {@code camera}: dimensions (instrument), storage class Camera, calibration. */
  public static final DatasetTypeDefinition CAMERA =
      new DatasetTypeDefinition("camera", List.of("instrument"), "Camera", true);

  /** obs_base {@code StandardCuratedCalibrationDatasetTypes}, in its declaration order; all are calibrations. */
  public static final List<DatasetTypeDefinition> STANDARD_TYPES = List.of(
      type("defects", "Defects", "instrument", "detector"),
      type("manual_defects", "Defects", "instrument", "detector"),
      type("qe_curve", "QECurve", "instrument", "detector"),
      type("crosstalk", "CrosstalkCalib", "instrument", "detector"),
      type("linearizer", "Linearizer", "instrument", "detector"),
      type("bfk", "BrighterFatterKernel", "instrument", "detector"),
      type("transmission_optics", "TransmissionCurve", "instrument"),
      type("transmission_filter", "TransmissionCurve", "instrument", "physical_filter"),
      type("transmission_filter_detector", "TransmissionCurve", "instrument", "detector", "physical_filter"),
      type("transmission_sensor", "TransmissionCurve", "instrument", "detector"),
      type("transmission_atmosphere", "TransmissionCurve", "instrument"),
      type("transmission_system", "TransmissionCurve", "instrument", "detector", "physical_filter"));

  private static DatasetTypeDefinition type(String name, String storageClass, String... dimensions) {
    return new DatasetTypeDefinition(name, List.of(dimensions), storageClass, true);
  }

  public static Optional<DatasetTypeDefinition> standardType(String name) {
    return STANDARD_TYPES.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * One curated text file of the obs data package.
   *
   * @param datasetType    the directory (= dataset type) name
   * @param path           path inside the data package, e.g. {@code comCam/crosstalk/r22_s00/19700101T000000.ecsv}
   * @param validStart     validity start: the file name parsed as an ISO date, UTC
   * @param calibDate      the file's {@code CALIBDATE} metadata (used for the RUN name)
   * @param detector       metadata {@code DETECTOR}, or {@code null}
   * @param physicalFilter metadata {@code FILTER}, or {@code null}
   */
  public record CuratedFile(String datasetType, String path, LocalDateTime validStart, String calibDate,
                            Integer detector, String physicalFilter) {

    /** The series the file belongs to: its directory. */
    public String series() {
      return path.substring(0, path.lastIndexOf('/'));
    }
  }

  /**
   * The curated files known for an instrument at a given version of its data package.
   *
   * @param instrument  instrument name
   * @param dataPackage the obs data package, e.g. {@code obs_lsst_data}
   * @param version     the data package git tag the facts come from
   * @param files       all files, any order
   */
  public record Source(String instrument, String dataPackage, String version, List<CuratedFile> files) {
    public Source {
      files = List.copyOf(files);
    }

    /** The standard types that have files, in {@link #STANDARD_TYPES} order. */
    public List<DatasetTypeDefinition> datasetTypes() {
      Set<String> present = new LinkedHashSet<>();
      files.forEach(f -> present.add(f.datasetType()));
      return STANDARD_TYPES.stream().filter(t -> present.contains(t.name())).toList();
    }
  }

  /** A validity range in butler TAI nanoseconds; {@code null} is an open bound. */
  public record Validity(LocalDateTime beginUtc, LocalDateTime endUtc, Long beginNsec, Long endNsec) {

    public static final Validity UNBOUNDED = new Validity(null, null, null, null);

    static Validity of(LocalDateTime beginUtc, LocalDateTime endUtc) {
      return new Validity(beginUtc, endUtc, beginUtc == null ? null : LeapSeconds.utcToTai(beginUtc),
          endUtc == null ? null : LeapSeconds.utcToTai(endUtc));
    }
  }

  /**
   * One dataset the command writes.
   *
   * @param datasetType   the dataset type definition
   * @param run           the RUN it is put into
   * @param dataId        the required dimensions (what an export's {@code data_id} lists)
   * @param fullDataId    required then implied dimensions (e.g. {@code band} for a physical_filter)
   * @param validity      the certified validity range in the CALIBRATION collection
   * @param path          datastore path relative to the root, with extension, from {@link FileTemplate#DEFAULT}
   * @param formatter     formatter class name recorded in the datastore
   * @param source        the data package file, or {@code null} for the camera
   * @param calibDate     the CALIBDATE the RUN name came from, or {@code null} for the camera
   */
  public record CuratedDataset(DatasetTypeDefinition datasetType, String run, Map<String, Object> dataId,
                               Map<String, Object> fullDataId, Validity validity, String path, String formatter,
                               CuratedFile source, String calibDate) {
  }

  /**
   * The complete effect of one {@code write-curated-calibrations} run.
   *
   * @param calibrationCollection the CALIBRATION collection
   * @param runs                  RUN collections, in registration order (unbounded first)
   * @param datasetTypes          dataset types, in registration order (camera first)
   * @param datasets              datasets, camera first
   */
  public record Plan(String calibrationCollection, List<String> runs, List<DatasetTypeDefinition> datasetTypes,
                     List<CuratedDataset> datasets) {

    /** Datasets grouped by validity range, as certified (one certify call per group upstream). */
    public Map<Validity, List<CuratedDataset>> certificationGroups() {
      Map<Validity, List<CuratedDataset>> groups = new LinkedHashMap<>();
      for (CuratedDataset dataset : datasets) {
        groups.computeIfAbsent(dataset.validity(), v -> new ArrayList<>()).add(dataset);
      }
      return groups;
    }

    public List<CuratedDataset> datasets(String datasetType) {
      return datasets.stream().filter(d -> d.datasetType().name().equals(datasetType)).toList();
    }
  }

  private CuratedCalibrations() {
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Facts

  private static final String COMCAM_CALIBDATE = "1970-01-01T00:00:00";
  private static final LocalDateTime UNIX_EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

  /** The comCam curated files of lsst/obs_lsst_data tag w.2025.20 (see the class comment). */
  public static final Source LSST_COM_CAM_W_2025_20 = comCamSource();

  private static Source comCamSource() {
    InstrumentDefinition comCam = Instruments.LSST_COM_CAM;
    List<CuratedFile> files = new ArrayList<>();
    String fileName = "19700101T000000.ecsv";
    for (String type : List.of("crosstalk", "manual_defects", "transmission_sensor")) {
      for (Detector detector : comCam.detectors()) {
        files.add(new CuratedFile(type, "comCam/" + type + "/" + detector.fullName().toLowerCase(Locale.ROOT) + "/"
            + fileName, UNIX_EPOCH, COMCAM_CALIBDATE, detector.id(), null));
      }
    }
    for (String filter : List.of("g_01", "i_06", "r_03", "u_02", "y_04", "z_03")) {
      files.add(new CuratedFile("transmission_filter", "comCam/transmission_filter/" + filter + "/" + fileName,
          UNIX_EPOCH, COMCAM_CALIBDATE, null, filter));
    }
    files.add(new CuratedFile("transmission_optics", "comCam/transmission_optics/" + fileName, UNIX_EPOCH,
        COMCAM_CALIBDATE, null, null));
    return new Source("LSSTComCam", "obs_lsst_data", "w.2025.20", files);
  }

  /** The curated-file facts known for an instrument (only LSSTComCam at w_2025_20 so far). */
  public static Optional<Source> sourceFor(InstrumentDefinition instrument) {
    if (instrument.name().equals(LSST_COM_CAM_W_2025_20.instrument())) {
      return Optional.of(LSST_COM_CAM_W_2025_20);
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Planning

  /**
   * What {@code write-curated-calibrations} does for the instrument with the given labels and the default
   * CALIBRATION collection name.
   */
  public static Plan plan(InstrumentDefinition instrument, String... labels) {
    Source source = sourceFor(instrument).orElseThrow(() -> new IllegalArgumentException(
        "no curated calibration facts for " + instrument.name()));
    return plan(instrument, source, null, null, labels);
  }

  /**
   * Plans the command ({@code write-curated-calibrations REPO INSTRUMENT [--collection C] [--label L]...
   * [--prefix P]}, obs_base {@code script/writeCuratedCalibrations.py}).
   *
   * @param collection the CALIBRATION collection; {@code null} for the default {@code <prefix>/calib/<labels>}
   * @param prefix     collection prefix instead of the instrument name; {@code null} for the instrument name
   * @param labels     the labels; at least one is required when {@code collection} is {@code null} (LSSTComCam
   *                   has no default labels)
   */
  public static Plan plan(InstrumentDefinition instrument, Source source, String collection, String prefix,
                          String... labels) {
    if (!source.instrument().equals(instrument.name())) {
      throw new IllegalArgumentException("curated files of " + source.instrument() + " given for "
          + instrument.name());
    }
    if (collection == null && labels.length == 0) {
      throw new IllegalArgumentException("At least one label or --collection must be provided.");
    }
    CollectionNames names = prefix == null ? instrument.collections() : new CollectionNames(prefix);
    String calibCollection = collection != null ? collection : names.calibCollection(labels);
    List<String> runs = new ArrayList<>();
    List<DatasetTypeDefinition> types = new ArrayList<>();
    List<CuratedDataset> datasets = new ArrayList<>();

    // writeCameraGeom
    String unbounded = names.unboundedRun(labels);
    runs.add(unbounded);
    types.add(CAMERA);
    Map<String, Object> cameraId = new LinkedHashMap<>();
    cameraId.put("instrument", instrument.name());
    datasets.add(new CuratedDataset(CAMERA, unbounded, cameraId, cameraId, Validity.UNBOUNDED,
        path(instrument, CAMERA, unbounded, cameraId), FITS_GENERIC_FORMATTER, null, null));

    // writeStandardTextCuratedCalibrations
    for (DatasetTypeDefinition type : source.datasetTypes()) {
      types.add(type);
      Map<String, List<CuratedFile>> series = new LinkedHashMap<>();
      source.files().stream()
          .filter(f -> f.datasetType().equals(type.name()))
          .sorted(Comparator.comparing(CuratedFile::path))
          .forEach(f -> series.computeIfAbsent(f.series(), k -> new ArrayList<>()).add(f));
      for (List<CuratedFile> files : series.values()) {
        List<CuratedFile> sorted = files.stream().sorted(Comparator.comparing(CuratedFile::validStart)).toList();
        for (int i = 0; i < sorted.size(); i++) {
          CuratedFile file = sorted.get(i);
          LocalDateTime end = i + 1 < sorted.size() ? sorted.get(i + 1).validStart() : null;
          String run = names.curatedRun(file.calibDate(), labels);
          if (!runs.contains(run)) {
            runs.add(run);
          }
          Map<String, Object> dataId = dataId(instrument, type, file);
          datasets.add(new CuratedDataset(type, run, dataId, fullDataId(instrument, type, dataId),
              Validity.of(file.validStart(), end), path(instrument, type, run, dataId), FITS_GENERIC_FORMATTER,
              file, file.calibDate()));
        }
      }
    }
    return new Plan(calibCollection, List.copyOf(runs), List.copyOf(types), List.copyOf(datasets));
  }

  private static Map<String, Object> dataId(InstrumentDefinition instrument, DatasetTypeDefinition type,
                                            CuratedFile file) {
    Map<String, Object> dataId = new LinkedHashMap<>();
    for (String dimension : type.group().required()) {
      switch (dimension) {
        case "instrument" -> dataId.put("instrument", instrument.name());
        case "detector" -> {
          Integer detector = file.detector();
          if (detector == null || instrument.detector(detector).isEmpty()) {
            throw new IllegalArgumentException(file.path() + ": DETECTOR " + detector + " is not a detector of "
                + instrument.name());
          }
          dataId.put("detector", detector);
        }
        case "physical_filter" -> {
          String filter = file.physicalFilter();
          if (filter == null || instrument.filter(filter).isEmpty()) {
            throw new IllegalArgumentException(file.path() + ": FILTER " + filter + " is not a physical_filter of "
                + instrument.name());
          }
          dataId.put("physical_filter", filter);
        }
        default -> throw new IllegalArgumentException("unexpected dimension " + dimension + " of " + type.name());
      }
    }
    return dataId;
  }

  private static Map<String, Object> fullDataId(InstrumentDefinition instrument, DatasetTypeDefinition type,
                                                Map<String, Object> dataId) {
    Map<String, Object> full = new LinkedHashMap<>(dataId);
    for (String implied : type.group().implied()) {
      if (implied.equals("band")) {
        full.put("band", instrument.filter((String) dataId.get("physical_filter")).orElseThrow().band());
      } else {
        throw new IllegalArgumentException("unexpected implied dimension " + implied + " of " + type.name());
      }
    }
    return full;
  }

  /** The datastore path (default template plus {@code .fits}) of a curated dataset. */
  static String path(InstrumentDefinition instrument, DatasetTypeDefinition type, String run,
                     Map<String, Object> dataId) {
    Map<String, Object> full = fullDataId(instrument, type, dataId);
    Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    records.put("instrument", instrument.instrumentRecord());
    if (full.containsKey("detector")) {
      Detector detector = instrument.detector((Integer) full.get("detector")).orElseThrow();
      records.put("detector", instrument.detectorRecords().stream()
          .filter(r -> Objects.equals(r.get("id"), detector.id())).findFirst().orElseThrow());
    }
    if (full.containsKey("physical_filter")) {
      PhysicalFilter filter = instrument.filter((String) full.get("physical_filter")).orElseThrow();
      records.put("physical_filter", instrument.physicalFilterRecords().stream()
          .filter(r -> Objects.equals(r.get("name"), filter.name())).findFirst().orElseThrow());
    }
    return FileTemplate.DEFAULT.format(type.name(), run, full, records) + FITS_EXTENSION;
  }
}
