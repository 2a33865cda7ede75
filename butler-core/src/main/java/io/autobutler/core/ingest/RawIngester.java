package io.autobutler.core.ingest;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.RawTranslation.Translated;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.instrument.CollectionNames;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.SyncConflict;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.SyncResult;

/**
 * Raw ingest in bulk: many raw files, each with its translated metadata, registered the way obs_base w_2025_20's
 * {@code RawIngestTask} registers them (the {@code day_obs}, {@code group} and {@code exposure} records synced, the
 * {@code raw} dataset type and the RUN registered if missing, each file a {@code raw} dataset
 * {instrument, detector, exposure} with daf_butler's UUIDv5 and a datastore record holding its absolute URI) but
 * with one registry transaction per batch of thousands of files instead of one per exposure: the records of a
 * batch are de-duplicated and synced in a few set-based statements, and its datasets go through the dataset
 * manager's bulk insert.
 *
 * <p>An exposure's files always share a batch. A file that cannot go in is rejected on its own, with the reason,
 * and the rest of the batch goes in: missing metadata or an unknown instrument ({@link Stage#METADATA}), an
 * exposure record that differs from the registry's or names an unknown physical filter (all that exposure's files,
 * {@link Stage#EXPOSURE_REGISTRATION}), an unknown detector or a raw that the run already holds under another id
 * ({@link Stage#FILE_INGEST}). Ingesting the same files again changes nothing.
 */
public final class RawIngester {

  public static final String DATASET_TYPE = "raw";
  public static final String STORAGE_CLASS = "Exposure";
  public static final List<String> DIMENSIONS = List.of("instrument", "detector", "exposure");
  public static final int DEFAULT_BATCH_SIZE = 5000;
  private static final java.util.regex.Pattern ADLER32_HEX = java.util.regex.Pattern.compile("[0-9a-f]{1,8}");

  /**
   * A raw file to ingest.
   *
   * @param uri     its absolute URI, recorded as the datastore path (transfer {@code direct})
   * @param size    bytes, when known
   * @param adler32 Rucio's adler32 checksum (up to 8 hex digits), when known
   * @param info    its translated metadata (from the {@code _index.json} of its folder)
   */
  public record RawFile(String uri, Long size, String adler32, ObservationInfo info) {
  }

  /**
   * How to ingest.
   *
   * @param outputRun     the RUN for every raw; null for each instrument's {@code <INSTRUMENT>/raw/all}
   * @param updateRecords overwrite existing dimension records that differ instead of rejecting their files
   * @param failFast      stop at the first rejection: nothing of the batch that has it is written
   * @param requiredRoot  a datastore root URI the files must lie under, or null (transfer {@code direct})
   * @param batchSize     files per registry transaction (exposures are never split)
   */
  public record Options(String outputRun, boolean updateRecords, boolean failFast, String requiredRoot,
                        int batchSize) {

    public Options {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
      }
    }

    public static Options defaults() {
      return new Options(null, false, false, null, DEFAULT_BATCH_SIZE);
    }

    public Options withOutputRun(String run) {
      return new Options(run, updateRecords, failFast, requiredRoot, batchSize);
    }

    public Options withUpdateRecords(boolean update) {
      return new Options(outputRun, update, failFast, requiredRoot, batchSize);
    }

    public Options withFailFast(boolean fail) {
      return new Options(outputRun, updateRecords, fail, requiredRoot, batchSize);
    }

    public Options withRequiredRoot(String root) {
      return new Options(outputRun, updateRecords, failFast, root, batchSize);
    }

    public Options withBatchSize(int size) {
      return new Options(outputRun, updateRecords, failFast, requiredRoot, size);
    }
  }

  /** Where a file failed, which is also how obs_base counts failures. */
  public enum Stage {
    /** Its metadata cannot make a raw: obs_base's "could not extract observation metadata". */
    METADATA,
    /** Its exposure's records cannot be registered: obs_base's "failures from exposure registration". */
    EXPOSURE_REGISTRATION,
    /** The raw itself cannot be recorded: obs_base's "failures from file ingest". */
    FILE_INGEST
  }

  /**
   * A file that was not ingested.
   *
   * @param exposure {@code INSTRUMENT:obs_id} when the file's exposure is known, else null
   */
  public record Rejection(String uri, Stage stage, String exposure, String reason) {
  }

  /**
   * What one call did.
   *
   * @param exposures         exposures whose files all went in (or were there already)
   * @param exposureFailures  exposures whose records could not be registered
   * @param ingestFailures    exposures with at least one file that could not be recorded
   * @param datasets          raws in the registry for the given files: new ones and ones that were there
   * @param newDatasets       raws that were new
   * @param newExposures      exposure records that were new
   * @param rejections        the files that did not go in, with why
   * @param runs              the RUN collections written to
   */
  public record Result(int exposures, int exposureFailures, int ingestFailures, int datasets, int newDatasets,
                       int newExposures, List<Rejection> rejections, List<String> runs) {

    public Result {
      rejections = List.copyOf(rejections);
      runs = List.copyOf(runs);
    }
  }

  /** One file ready to go: its records, data ID, run, dataset id and file record. */
  private record Prepared(RawFile file, Translated records, String run, UUID id, FileRecord fileRecord) {
  }

  /** The files of one exposure, in input order; its records come from the first. */
  private static final class Exposure {
    final String instrument;
    final List<Prepared> files = new ArrayList<>();

    Exposure(String instrument) {
      this.instrument = instrument;
    }

    Translated records() {
      return files.get(0).records();
    }
  }

  /** What the registry holds of the instruments: their detectors and physical filters. */
  private record InstrumentContent(Set<Long> detectors, Set<String> physicalFilters) {
  }

  /**
   * Ingests {@code files} into {@code registry}.
   *
   * @throws RegistryException with {@code options.failFast()}, for the first rejection (the batch that has it is
   *                           rolled back; earlier batches stay); also when the raw dataset type or a RUN conflicts
   *                           with what the registry holds
   */
  public Result ingest(Registry registry, List<RawFile> files, Options options) {
    List<Rejection> rejections = new ArrayList<>();
    Map<String, InstrumentContent> instruments = registry.transaction(c -> registeredInstruments(c, files));
    Map<List<Object>, Exposure> exposures = prepare(files, options, instruments, rejections);
    failFast(options, rejections);

    int exposureCount = 0;
    int newDatasets = 0;
    int datasets = 0;
    int newExposures = 0;
    Set<String> runs = new LinkedHashSet<>();
    Set<String> failedRegistration = new HashSet<>();
    Set<String> failedIngest = new HashSet<>();
    List<Exposure> batch = new ArrayList<>();
    int batchFiles = 0;
    List<Exposure> all = new ArrayList<>(exposures.values());
    for (int i = 0; i < all.size(); i++) {
      Exposure exposure = all.get(i);
      batch.add(exposure);
      batchFiles += exposure.files.size();
      if (batchFiles < options.batchSize() && i < all.size() - 1) {
        continue;
      }
      List<Exposure> current = List.copyOf(batch);
      BatchOutcome outcome = registry.transaction(c -> {
        BatchOutcome result = ingestBatch(c, registry, current, instruments, options);
        failFast(options, result.rejections);
        return result;
      });
      rejections.addAll(outcome.rejections);
      newDatasets += outcome.newDatasets;
      datasets += outcome.datasets;
      newExposures += outcome.newExposures;
      runs.addAll(outcome.runs);
      for (Rejection rejection : outcome.rejections) {
        (rejection.stage() == Stage.EXPOSURE_REGISTRATION ? failedRegistration : failedIngest)
            .add(rejection.exposure());
      }
      for (Exposure done : current) {
        String label = done.records().exposureLabel();
        if (!failedRegistration.contains(label) && !failedIngest.contains(label)) {
          exposureCount++;
        }
      }
      batch.clear();
      batchFiles = 0;
    }
    if (newDatasets >= Registry.STALE_ROWS) {
      registry.analyze(List.of("dataset", "file_datastore_records", "exposure", "day_obs", "group"));
    }
    return new Result(exposureCount, failedRegistration.size(), failedIngest.size(), datasets, newDatasets,
        newExposures, rejections, List.copyOf(runs));
  }

  private static void failFast(Options options, List<Rejection> rejections) {
    if (!options.failFast() || rejections.isEmpty()) {
      return;
    }
    Rejection first = rejections.get(0);
    String message = switch (first.stage()) {
      case METADATA -> "Problem extracting metadata for file " + first.uri() + ": " + first.reason();
      case EXPOSURE_REGISTRATION -> "Exposure " + first.exposure() + " could not be registered: " + first.reason();
      case FILE_INGEST -> "Failed to ingest " + first.uri() + " (exposure " + first.exposure() + "): "
          + first.reason();
    };
    throw new RegistryException(first.stage() == Stage.METADATA ? INVALID_ARGUMENT : CONFLICTING_DEFINITION,
        message);
  }

  /**
   * Translates every file and groups them by exposure, in input order. A file given twice is ingested once; two
   * files with the same data ID are a rejection of the second.
   */
  private static Map<List<Object>, Exposure> prepare(List<RawFile> files, Options options,
                                                     Map<String, InstrumentContent> registered,
                                                     List<Rejection> rejections) {
    Map<List<Object>, Exposure> exposures = new LinkedHashMap<>();
    Map<UUID, Prepared> byId = new HashMap<>();
    for (RawFile file : files) {
      Translated records;
      InstrumentDefinition instrument;
      FileRecord fileRecord;
      try {
        if (file.info() == null) {
          throw new IllegalArgumentException("no metadata: the file has no entry in an _index.json");
        }
        records = RawTranslation.translate(file.info());
        instrument = knownInstrument(records.instrument(), registered).orElse(null);
        if (instrument == null) {
          throw new IllegalArgumentException("Instrument " + records.instrument() + " for file " + file.uri()
              + " not known to registry" + (registered.containsKey(records.instrument())
              ? " (registered, but autobutler does not know its raw formatter)" : ""));
        }
        requireUnderRoot(file.uri(), options.requiredRoot());
        fileRecord = new FileRecord(file.uri(), instrument.rawFormatter(), STORAGE_CLASS, checksum(file.adler32()),
            file.size());
      } catch (IllegalArgumentException e) {
        rejections.add(new Rejection(file.uri(), Stage.METADATA, null, e.getMessage()));
        continue;
      }
      String run = options.outputRun() != null ? options.outputRun()
          : new CollectionNames(instrument.name()).rawRun();
      UUID id = DatasetIds.forRun(DATASET_TYPE, run, records.dataId());
      Prepared prepared = new Prepared(file, records, run, id, fileRecord);
      Prepared earlier = byId.putIfAbsent(id, prepared);
      if (earlier != null) {
        if (!earlier.file().uri().equals(file.uri())) {
          rejections.add(new Rejection(file.uri(), Stage.FILE_INGEST, records.exposureLabel(), "raw "
              + records.dataId() + " is also given by " + earlier.file().uri()));
        }
        continue;
      }
      exposures.computeIfAbsent(List.of(records.instrument(), records.exposureId()),
          k -> new Exposure(records.instrument())).files.add(prepared);
    }
    return exposures;
  }

  /** The instrument autobutler knows by that name, provided the registry has it registered. */
  private static Optional<InstrumentDefinition> knownInstrument(String name, Map<String, InstrumentContent> registered) {
    if (!registered.containsKey(name)) {
      return Optional.empty();
    }
    return Instruments.all().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** Refuses a file outside {@code root} (null: anywhere): transfer direct records files where they are. */
  public static void requireUnderRoot(String uri, String root) {
    if (root == null) {
      return;
    }
    if (!DatastoreFiles.isUnder(uri, root)) {
      throw new IllegalArgumentException("file " + uri + " is outside the datastore root "
          + (root.endsWith("/") ? root : root + "/") + " (only transfer 'direct' records files where they are)");
    }
  }

  /** The datastore checksum of a Rucio adler32: {@code adler32:} and 8 lower-case hex digits. */
  public static String checksum(String adler32) {
    if (adler32 == null || adler32.isBlank()) {
      return null;
    }
    String hex = adler32.strip().toLowerCase(Locale.ROOT);
    if (!ADLER32_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("adler32 '" + adler32 + "' is not up to 8 hex digits");
    }
    return "adler32:" + "0".repeat(8 - hex.length()) + hex;
  }

  /** The registered instruments among those the files name, with their detectors and physical filters. */
  private static Map<String, InstrumentContent> registeredInstruments(Connection c, List<RawFile> files)
      throws SQLException {
    Set<String> named = new HashSet<>();
    for (RawFile file : files) {
      if (file.info() != null && file.info().instrument() != null) {
        named.add(file.info().instrument());
      }
    }
    Map<String, InstrumentContent> content = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM instrument WHERE name = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", named.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          content.put(rs.getString(1), new InstrumentContent(new HashSet<>(), new HashSet<>()));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT instrument, id FROM detector WHERE instrument = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", content.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          content.get(rs.getString(1)).detectors().add(rs.getLong(2));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT instrument, name FROM physical_filter WHERE instrument = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", content.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          content.get(rs.getString(1)).physicalFilters().add(rs.getString(2));
        }
      }
    }
    return content;
  }

  /** What one batch's transaction did. */
  private record BatchOutcome(int datasets, int newDatasets, int newExposures, List<Rejection> rejections,
                              Set<String> runs) {
  }

  private static BatchOutcome ingestBatch(Connection c, Registry registry, List<Exposure> batch,
                                          Map<String, InstrumentContent> instruments, Options options)
      throws SQLException {
    List<Rejection> rejections = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();

    // Records whose element is unknown to the registry would fail on a foreign key: reject them first.
    for (Exposure exposure : batch) {
      String filter = (String) exposure.records().exposure().get("physical_filter");
      if (!instruments.get(exposure.instrument).physicalFilters().contains(filter)) {
        failed.put(exposure.records().exposureLabel(), "physical_filter '" + filter + "' of instrument "
            + exposure.instrument + " is not registered (register-instrument writes the instrument's filters)");
      }
    }
    List<Exposure> candidates = batch.stream().filter(e -> !failed.containsKey(e.records().exposureLabel())).toList();
    syncAndRecordConflicts(c, registry, "day_obs", candidates, Translated::dayObs, options, failed);
    syncAndRecordConflicts(c, registry, "group", candidates, Translated::group, options, failed);
    candidates = candidates.stream().filter(e -> !failed.containsKey(e.records().exposureLabel())).toList();
    int newExposures = syncAndRecordConflicts(c, registry, "exposure", candidates, Translated::exposure, options,
        failed);
    for (Exposure exposure : batch) {
      String reason = failed.get(exposure.records().exposureLabel());
      if (reason != null) {
        for (Prepared file : exposure.files) {
          rejections.add(new Rejection(file.file().uri(), Stage.EXPOSURE_REGISTRATION,
              exposure.records().exposureLabel(), reason));
        }
      }
    }

    // The raws of the registered exposures, per RUN.
    Map<String, List<Prepared>> byRun = new LinkedHashMap<>();
    for (Exposure exposure : batch) {
      if (failed.containsKey(exposure.records().exposureLabel())) {
        continue;
      }
      Set<Long> detectors = instruments.get(exposure.instrument).detectors();
      for (Prepared file : exposure.files) {
        long detector = (Long) file.records().dataId().get("detector");
        if (!detectors.contains(detector)) {
          rejections.add(new Rejection(file.file().uri(), Stage.FILE_INGEST, exposure.records().exposureLabel(),
              "detector " + detector + " of instrument " + exposure.instrument + " is not registered"));
        } else {
          byRun.computeIfAbsent(file.run(), r -> new ArrayList<>()).add(file);
        }
      }
    }
    if (byRun.isEmpty()) {
      return new BatchOutcome(0, 0, newExposures, rejections, Set.of());
    }
    registry.datasetTypes().register(c, DATASET_TYPE, STORAGE_CLASS, DIMENSIONS, false);
    DatasetType type = registry.datasetTypes().get(c, DATASET_TYPE);
    int datasets = 0;
    int inserted = 0;
    for (Map.Entry<String, List<Prepared>> entry : byRun.entrySet()) {
      registry.collections().register(c, entry.getKey(), CollectionType.RUN, null);
      CollectionRecord run = registry.collections().get(c, entry.getKey());
      List<NewDataset> news = new ArrayList<>();
      Map<String, UUID> existing = existingIds(c, type, run, entry.getValue());
      for (Prepared file : entry.getValue()) {
        UUID other = existing.get(DatasetManager.dataIdKey(type, file.records().dataId()));
        if (other != null && !other.equals(file.id())) {
          rejections.add(new Rejection(file.file().uri(), Stage.FILE_INGEST, file.records().exposureLabel(),
              "raw " + file.records().dataId() + " is already in run " + run.name() + " as dataset " + other
                  + " (ingest computes " + file.id() + ")"));
        } else {
          news.add(new NewDataset(file.id(), file.records().dataId(), file.fileRecord()));
        }
      }
      DatasetManager.InsertResult result = registry.datasets().insert(c, type, run, news);
      datasets += result.inserted() + result.unchanged();
      inserted += result.inserted();
    }
    return new BatchOutcome(datasets, inserted, newExposures, rejections, byRun.keySet());
  }

  /**
   * Syncs the batch's records of one element, one per exposure, as obs_base syncs them exposure after exposure: a
   * record that differs from the registry's, or from an earlier exposure's record with the same key, fails its
   * exposure (added to {@code failed} with the reason). Returns how many records were new.
   */
  private static int syncAndRecordConflicts(Connection c, Registry registry, String element, List<Exposure> exposures,
                                            java.util.function.Function<Translated, Map<String, Object>> record,
                                            Options options, Map<String, String> failed) throws SQLException {
    if (exposures.isEmpty()) {
      return 0;
    }
    List<Map<String, Object>> records = new ArrayList<>(exposures.size());
    Map<Map<String, Object>, Exposure> owners = new java.util.IdentityHashMap<>();
    Map<List<Object>, List<Exposure>> byKey = new HashMap<>();
    for (Exposure exposure : exposures) {
      Map<String, Object> r = record.apply(exposure.records());
      records.add(r);
      owners.put(r, exposure);
      byKey.computeIfAbsent(key(element, r), k -> new ArrayList<>()).add(exposure);
    }
    SyncResult result = registry.dimensions().sync(c, element, records, options.updateRecords());
    for (SyncConflict conflict : result.conflicts()) {
      Exposure owner = owners.get(conflict.record());
      List<Exposure> sameKey = byKey.get(key(element, conflict.record()));
      if (owner == sameKey.get(0)) {
        // The registry's record differs: every exposure that brings this same record fails with it.
        for (Exposure exposure : sameKey) {
          if (record.apply(exposure.records()).equals(conflict.record())) {
            failed.putIfAbsent(exposure.records().exposureLabel(), conflict.message());
          }
        }
      } else {
        failed.putIfAbsent(owner.records().exposureLabel(), conflict.message());
      }
    }
    return result.inserted();
  }

  private static List<Object> key(String element, Map<String, Object> record) {
    return List.of(record.get("instrument"), element.equals("group") ? record.get("name") : record.get("id"));
  }

  /** The ids the run already holds for these raws' data IDs, by data ID key. */
  private static Map<String, UUID> existingIds(Connection c, DatasetType type, CollectionRecord run,
                                               List<Prepared> files) throws SQLException {
    String[] keys = files.stream().map(f -> DatasetManager.dataIdKey(type, f.records().dataId()))
        .toArray(String[]::new);
    Map<String, UUID> existing = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT data_id_key, id FROM dataset WHERE run_id = ?"
        + " AND dataset_type_id = ? AND data_id_key = ANY (?)")) {
      ps.setLong(1, run.id());
      ps.setLong(2, type.id());
      ps.setArray(3, c.createArrayOf("text", keys));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.put(rs.getString(1), rs.getObject(2, UUID.class));
        }
      }
    }
    return existing;
  }
}
