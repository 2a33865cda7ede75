package io.autobutler.core.instrument;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.dimensions.DimensionRecordManager;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;

/**
 * What {@code butler register-instrument <class>} writes for one instrument: the {@code instrument} record, one
 * {@code detector} record per camera detector and one {@code physical_filter} record per filter definition, plus the
 * facts the curated-calibration step needs (policy name, collection prefix).
 *
 * <p>Records are {@code Map<String, Object>} keyed by the dimension-universe field names, in the column order daf_butler
 * uses ({@code instrument} first for dependent elements, then the key field, then the other fields), so a caller can
 * insert them as they are. All three record lists are meant to be written in one transaction, each record through an
 * "insert, or compare with the existing row" step ({@code syncDimensionData} upstream).
 *
 * @param name          instrument name, e.g. {@code LSSTComCam} (also the default collection prefix)
 * @param className     fully qualified Python class name, stored in {@code instrument.class_name}
 * @param visitMax      {@code instrument.visit_max}
 * @param exposureMax   {@code instrument.exposure_max}
 * @param detectorMax   {@code instrument.detector_max}
 * @param visitSystem   {@code instrument.visit_system} (0 one-to-one, 1 by-group-metadata, 2 by-seq-start-end)
 * @param policyName    the obs package policy name; also the top directory of the instrument's curated files in the
 *                      obs data package
 * @param detectors     the camera's detectors, in id order
 * @param filters       the filter definitions, in registration order
 */
public record InstrumentDefinition(
    String name,
    String className,
    long visitMax,
    long exposureMax,
    int detectorMax,
    Integer visitSystem,
    String policyName,
    List<Detector> detectors,
    List<PhysicalFilter> filters) {

  public InstrumentDefinition {
    detectors = detectors.stream().sorted(Comparator.comparingInt(Detector::id)).toList();
    filters = List.copyOf(filters);
    Set<Integer> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Detector detector : detectors) {
      if (!ids.add(detector.id()) || !names.add(detector.fullName())) {
        throw new IllegalArgumentException("duplicate detector " + detector + " in " + name);
      }
    }
    Set<String> filterNames = new HashSet<>();
    for (PhysicalFilter filter : filters) {
      if (!filterNames.add(filter.name())) {
        throw new IllegalArgumentException("duplicate physical_filter " + filter.name() + " in " + name);
      }
    }
  }

  /** The name after the last dot of {@link #className()}, e.g. {@code LsstComCam}. */
  public String shortClassName() {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * The formatter ingest-raws records for this instrument's raws ({@code Instrument.getRawFormatter}): obs_lsst
   * w.2025.20 names it after the instrument class in its {@code rawFormatter} module, e.g.
   * {@code lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter} and {@code lsst.obs.lsst.rawFormatter.LsstCamRawFormatter}.
   */
  public String rawFormatter() {
    return className.substring(0, className.lastIndexOf('.')) + ".rawFormatter." + shortClassName() + "RawFormatter";
  }

  /** The {@code instrument} dimension record. */
  public Map<String, Object> instrumentRecord() {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("name", name);
    record.put("visit_max", visitMax);
    record.put("visit_system", visitSystem);
    record.put("exposure_max", exposureMax);
    record.put("detector_max", detectorMax);
    record.put("class_name", className);
    return record;
  }

  /** One {@code detector} record per detector, in id order. */
  public List<Map<String, Object>> detectorRecords() {
    List<Map<String, Object>> records = new ArrayList<>(detectors.size());
    for (Detector detector : detectors) {
      records.add(detector.toRecord(name));
    }
    return records;
  }

  /** One {@code physical_filter} record per filter definition, in registration order. */
  public List<Map<String, Object>> physicalFilterRecords() {
    List<Map<String, Object>> records = new ArrayList<>(filters.size());
    for (PhysicalFilter filter : filters) {
      records.add(filter.toRecord(name));
    }
    return records;
  }

  /**
   * {@code register-instrument}: the three record lists in one transaction, each record synced (an existing equal row
   * is kept, a different one is a conflict), so registering again changes nothing.
   *
   * @return how many records were new
   */
  public int register(Registry registry) {
    return registry.transaction(c -> {
      DimensionRecordManager dimensions = registry.dimensions();
      return dimensions.insert(c, "instrument", List.of(instrumentRecord()), Mode.SYNC)
          + dimensions.insert(c, "detector", detectorRecords(), Mode.SYNC)
          + dimensions.insert(c, "physical_filter", physicalFilterRecords(), Mode.SYNC);
    });
  }

  public Optional<Detector> detector(int id) {
    return detectors.stream().filter(d -> d.id() == id).findFirst();
  }

  public Optional<Detector> detector(String fullName) {
    return detectors.stream().filter(d -> d.fullName().equals(fullName)).findFirst();
  }

  public Optional<PhysicalFilter> filter(String physicalFilter) {
    return filters.stream().filter(f -> f.name().equals(physicalFilter)).findFirst();
  }

  /** Collection names with this instrument's name as prefix (pipe_base's default). */
  public CollectionNames collections() {
    return new CollectionNames(name);
  }

  /**
   * A camera detector.
   *
   * @param id       the cameraGeom detector id ({@code detector.id})
   * @param fullName the cameraGeom name, {@code <raft>_<sensor>}, e.g. {@code R22_S11}
   * @param purpose  the cameraGeom detector type name: {@code SCIENCE}, {@code FOCUS}, {@code GUIDER} or
   *                 {@code WAVEFRONT}
   */
  public record Detector(int id, String fullName, String purpose) {

    public Detector {
      int underscore = fullName.indexOf('_');
      if (underscore <= 0 || underscore != fullName.lastIndexOf('_') || underscore == fullName.length() - 1) {
        // obs_lsst splits the name at "_" into exactly two parts.
        throw new IllegalArgumentException("detector name '" + fullName + "' is not <raft>_<sensor>");
      }
    }

    /** The part before the underscore, e.g. {@code R22}. */
    public String raft() {
      return fullName.substring(0, fullName.indexOf('_'));
    }

    /** The part after the underscore, e.g. {@code S11}. */
    public String nameInRaft() {
      return fullName.substring(fullName.indexOf('_') + 1);
    }

    Map<String, Object> toRecord(String instrument) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("instrument", instrument);
      record.put("id", id);
      record.put("full_name", fullName);
      record.put("name_in_raft", nameInRaft());
      record.put("raft", raft());
      record.put("purpose", purpose);
      return record;
    }
  }

  /**
   * A filter definition as registered.
   *
   * @param name the physical filter name ({@code physical_filter.name})
   * @param band the band; obs_base registers the physical filter name as band when a definition has none
   */
  public record PhysicalFilter(String name, String band) {

    public PhysicalFilter {
      if (band == null) {
        band = name;
      }
    }

    Map<String, Object> toRecord(String instrument) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("instrument", instrument);
      record.put("name", name);
      record.put("band", band);
      return record;
    }
  }
}
