package io.autobutler.core.ingest.zip;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.ingest.zip.ZipIndex.Artifact;
import io.autobutler.core.ingest.zip.ZipIndex.IndexedDatasetType;
import io.autobutler.core.ingest.zip.ZipIndex.IndexedRef;
import io.autobutler.core.ingest.zip.ZipIndexReader.ZipContents;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetManager.Definition;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;

/**
 * daf_butler's {@code Butler.ingest_zip} for many zips at once: each zip's {@value ZipIndex#INDEX_NAME} is read
 * (never the zip), then, in one registry transaction for all of them, the dimension records of the indexes are
 * inserted (existing ones kept, as {@code transfer_dimensions} and the importer do), dataset types registered, RUNs
 * created, and the datasets inserted with the index's UUIDs through the dataset manager's bulk insert, one statement
 * per dataset type and run whatever the number of zips. Each dataset's datastore record points into the zip as
 * daf_butler's file datastore records a zipped artifact: {@code <zip URI>#zip-path=<member>}, with the member's
 * formatter, storage class, checksum and size from the index.
 *
 * <p>A zip that cannot go in is rejected with the reason and the others go in: unreadable zips and malformed indexes,
 * dataset types that conflict with the registry's, datasets that conflict with the registry's (or another zip's),
 * and, as daf_butler, a zip some of whose datasets are there already. A zip all of whose datasets are there is
 * skipped with {@link Options#skipExisting()} and rejected without. Should the bulk write itself fail (a data ID
 * naming a record neither the registry nor the index has), it is rolled back and each zip is ingested in a
 * transaction of its own so that only the culprit is rejected.
 *
 * <p>Only transfer {@code direct}: the zip stays where it is and its absolute URI is recorded (daf_butler would copy
 * it to {@code zips/} in the datastore for the other modes). Disassembled composites (component artifacts) are not
 * supported.
 */
public final class ZipIngester {

  /** The logger of daf_butler's {@code Butler.ingest_zip}, whose lines the command prints. */
  public static final String LOGGER = "lsst.daf.butler.direct_butler._direct_butler";
  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

  private final ZipIndexReader reader;

  /** A zip to ingest: its URI (or absolute path), and its size and Adler-32 when Rucio gave them. */
  public record ZipSource(String uri, Long bytes, String adler32) {
  }

  /**
   * @param transfer     only {@code direct} (the default when null)
   * @param skipExisting a zip whose datasets are all in the registry already is skipped (counted unchanged)
   *                     instead of rejected
   */
  public record Options(String transfer, boolean skipExisting) {

    public static Options defaults() {
      return new Options("direct", false);
    }

    public Options withSkipExisting(boolean skip) {
      return new Options(transfer, skip);
    }
  }

  /**
   * What an ingest did: datasets inserted, datasets that were there already (skipped zips), dimension records
   * inserted, the zips that did not go in, and what each zip that is in the registry holds.
   */
  public record Result(int datasets, int unchanged, int dimensionRecords, List<Rejection> rejections,
                       List<ZipDatasets> contents) {

    public Result {
      rejections = List.copyOf(rejections);
      contents = List.copyOf(contents);
    }
  }

  /** The datasets of one dataset type and run that a zip holds, their data IDs in index order. */
  public record ZipDatasets(String uri, String datasetType, String run, List<Map<String, Object>> dataIds) {
  }

  /** A zip that did not go in: its URI as given, the error class, and the reason for the operator. */
  public record Rejection(String uri, String cause, String reason) {
  }

  public ZipIngester(DatastoreFiles files) {
    this.reader = new ZipIndexReader(files);
  }

  public ZipIngester() {
    this(new DatastoreFiles());
  }

  /** A zip whose index was read. */
  private record Loaded(ZipSource source, String zipUri, ZipContents contents) {

    ZipIndex index() {
      return contents.index();
    }
  }

  /** A zip's datasets, ready to go in, by dataset type and run. */
  private record Planned(Loaded zip, Map<TypeAndRun, List<NewDataset>> datasets, int count) {
  }

  private record TypeAndRun(String datasetType, String run) {
  }

  /** What one transaction did. */
  private record Outcome(int datasets, int unchanged, int records, List<Rejection> rejections) {
  }

  public Result ingest(Registry registry, List<ZipSource> zips, Options options) {
    String transfer = options.transfer() == null || options.transfer().isBlank() ? "direct" : options.transfer();
    if (!transfer.equals("direct")) {
      throw new RegistryException(INVALID_ARGUMENT, "transfer mode '" + transfer + "' is not supported: autobutler"
          + " records zips where they are (--transfer direct) and never copies them");
    }
    List<Rejection> rejections = new ArrayList<>();
    List<Loaded> loaded = new ArrayList<>();
    for (ZipSource source : zips) {
      try {
        loaded.add(load(source));
      } catch (ZipIndexException | IOException | IllegalArgumentException e) {
        rejections.add(new Rejection(source.uri(), e.getClass().getName(), e.getMessage()));
      }
    }
    int datasets = 0;
    int unchanged = 0;
    int records = 0;
    List<Outcome> outcomes = new ArrayList<>();
    if (!loaded.isEmpty()) {
      try {
        outcomes.add(registry.transaction(c -> ingestTogether(c, registry, loaded, options)));
      } catch (RuntimeException together) {
        if (loaded.size() == 1) {
          rejections.add(rejection(loaded.get(0), together));
        } else {
          // Something only the database could see (a data ID without its record...): find the zip it belongs to.
          LOG.debugf("bulk zip ingest failed (%s); ingesting the %d zips one by one", together.getMessage(),
              loaded.size());
          for (Loaded zip : loaded) {
            try {
              outcomes.add(registry.transaction(c -> ingestTogether(c, registry, List.of(zip), options)));
            } catch (RuntimeException alone) {
              rejections.add(rejection(zip, alone));
            }
          }
        }
      }
    }
    for (Outcome outcome : outcomes) {
      datasets += outcome.datasets();
      unchanged += outcome.unchanged();
      records += outcome.records();
      rejections.addAll(outcome.rejections());
    }
    if (datasets + records >= Registry.STALE_ROWS) {
      Set<String> tables = new LinkedHashSet<>(List.of("dataset", "file_datastore_records", "collection"));
      loaded.forEach(zip -> tables.addAll(zip.index().dimensionRecords().keySet()));
      registry.analyze(tables);
    }
    for (Rejection rejection : rejections) {
      LOG.warnf("zip not ingested: %s", rejection.reason());
    }
    Set<String> rejected = new HashSet<>();
    rejections.forEach(r -> rejected.add(r.uri()));
    List<ZipDatasets> contents = new ArrayList<>();
    for (Loaded zip : loaded) {
      if (rejected.contains(zip.source().uri())) {
        continue;
      }
      Map<TypeAndRun, List<Map<String, Object>>> byTypeAndRun = new LinkedHashMap<>();
      zip.index().refs().values().forEach(ref -> byTypeAndRun.computeIfAbsent(
          new TypeAndRun(ref.datasetType(), ref.run()), k -> new ArrayList<>()).add(ref.dataId()));
      byTypeAndRun.forEach((key, dataIds) -> contents.add(new ZipDatasets(zip.source().uri(), key.datasetType(),
          key.run(), dataIds)));
    }
    return new Result(datasets, unchanged, records, rejections, contents);
  }

  /** Reads a zip's index and checks what can be checked without the registry. */
  private Loaded load(ZipSource source) throws ZipIndexException, IOException {
    URI uri = zipUri(source.uri());
    String text = DatastoreFiles.text(uri);
    ZipContents contents = reader.read(uri);
    if (source.bytes() != null && source.bytes() != contents.size()) {
      throw new ZipIndexException(text + " has " + contents.size() + " bytes, not the " + source.bytes()
          + " the replica should have: an incomplete or different copy");
    }
    ZipIndex index = contents.index();
    if (!DimensionUniverse.NAMESPACE.equals(index.universeNamespace())) {
      throw new ZipIndexException(text + ": its datasets are of universe namespace '" + index.universeNamespace()
          + "', this registry's is '" + DimensionUniverse.NAMESPACE + "'");
    }
    if (index.universeVersion() != DimensionUniverse.VERSION) {
      LOG.warnf("%s was written with dimension universe %d, this registry has %d", text, index.universeVersion(),
          DimensionUniverse.VERSION);
    }
    Set<UUID> seen = new HashSet<>();
    for (Artifact artifact : index.artifacts()) {
      if (!contents.members().containsKey(artifact.pathInZip())) {
        throw new ZipIndexException(text + ": " + ZipIndex.INDEX_NAME + " lists '" + artifact.pathInZip()
            + "', which is not a member of the zip");
      }
      if (artifact.component() != null) {
        throw new ZipIndexException(text + ": '" + artifact.pathInZip() + "' is component '" + artifact.component()
            + "' of a disassembled composite, which autobutler does not ingest");
      }
      for (UUID id : artifact.ids()) {
        if (!seen.add(id)) {
          throw new ZipIndexException(text + ": dataset " + id + " is in several members (a disassembled"
              + " composite), which autobutler does not ingest");
        }
      }
    }
    return new Loaded(source, text, contents);
  }

  /**
   * The zips' datasets in one transaction. Zips refused by the checks come back as rejections (nothing of theirs
   * is written); anything thrown rolls the whole transaction back.
   */
  private static Outcome ingestTogether(Connection c, Registry registry, List<Loaded> zips, Options options)
      throws SQLException {
    List<Rejection> rejections = new ArrayList<>();
    List<Planned> planned = new ArrayList<>();
    Map<String, DatasetType> types = new HashMap<>();
    for (Loaded zip : zips) {
      try {
        planned.add(plan(c, registry, zip, types));
      } catch (RegistryException e) {
        rejections.add(rejection(zip, e));
      }
    }

    // Datasets there already, by UUID: a whole zip is skipped or refused, a part of one is refused (daf_butler).
    Map<UUID, Definition> existing = existingDefinitions(c, planned);
    Map<UUID, Definition> claimed = new HashMap<>();
    Map<String, UUID> claimedKeys = new HashMap<>();
    List<Planned> accepted = new ArrayList<>();
    int unchanged = 0;
    for (Planned zip : planned) {
      try {
        if (zip.count() == 0) {
          accepted.add(zip);
          continue;
        }
        int known = known(zip, types, existing, claimed);
        if (known == zip.count() && options.skipExisting()) {
          LOG.infof("Skipping %d datasets from zip file %s which already exist in the repository.", known,
              zip.zip().zipUri());
          unchanged += known;
          continue;
        }
        if (known == zip.count()) {
          UUID example = zip.datasets().values().iterator().next().get(0).id();
          throw conflict("Datastore already contains " + known + " of the given datasets."
              + " Example: " + example);
        }
        if (known > 0) {
          throw new RegistryException(INVALID_ARGUMENT, "The given zip file from " + zip.zip().zipUri()
              + " contains " + (zip.count() - known) + " datasets not known to this butler but also contains "
              + known + " datasets already known to this butler. Currently butler can not ingest zip files with"
              + " overlapping content.");
        }
        claimDataIds(c, registry, zip, types, claimedKeys);
        for (Map.Entry<TypeAndRun, List<NewDataset>> entry : zip.datasets().entrySet()) {
          for (NewDataset dataset : entry.getValue()) {
            claimed.put(dataset.id(), definition(entry.getKey(), types, dataset));
          }
        }
        accepted.add(zip);
      } catch (RegistryException e) {
        rejections.add(rejection(zip.zip(), e));
      }
    }

    // Dimension records first, in universe order, existing ones kept.
    int records = 0;
    Map<String, List<Map<String, Object>>> byElement = new LinkedHashMap<>();
    DimensionUniverse universe = DimensionUniverse.v7();
    accepted.forEach(zip -> zip.zip().index().dimensionRecords().forEach((element, rows) ->
        byElement.computeIfAbsent(element, e -> new ArrayList<>()).addAll(rows)));
    for (var element : universe.elements()) {
      List<Map<String, Object>> rows = byElement.get(element.name());
      if (rows != null && !rows.isEmpty()) {
        records += registry.dimensions().insert(c, element.name(), rows, Mode.SKIP_EXISTING);
      }
    }
    // RUNs in name order (daf_butler sorts them so that concurrent ingests lock them in the same order).
    Map<TypeAndRun, List<NewDataset>> all = new LinkedHashMap<>();
    Set<String> runs = new TreeSet<>();
    for (Planned zip : accepted) {
      zip.datasets().forEach((key, datasets) -> {
        all.computeIfAbsent(key, k -> new ArrayList<>()).addAll(datasets);
        runs.add(key.run());
      });
    }
    for (String run : runs) {
      registry.collections().register(c, run, CollectionType.RUN, null);
    }
    int inserted = 0;
    for (Map.Entry<TypeAndRun, List<NewDataset>> entry : all.entrySet()) {
      CollectionRecord run = registry.collections().get(c, entry.getKey().run());
      inserted += registry.datasets().insert(c, types.get(entry.getKey().datasetType()), run, entry.getValue())
          .inserted();
    }
    for (Planned zip : accepted) {
      LOG.debugf("Ingesting zip file %s with %d datasets", zip.zip().zipUri(), zip.count());
    }
    return new Outcome(inserted, unchanged, records, rejections);
  }

  /**
   * A zip's datasets: its dataset types registered (or found identical), each ref's data ID checked against its
   * type, and a datastore record pointing into the zip for each.
   */
  private static Planned plan(Connection c, Registry registry, Loaded zip, Map<String, DatasetType> types)
      throws SQLException {
    ZipIndex index = zip.index();
    Map<TypeAndRun, List<NewDataset>> datasets = new LinkedHashMap<>();
    Map<String, String> dataIds = new HashMap<>();
    int count = 0;
    for (Artifact artifact : index.artifacts()) {
      FileRecord file = new FileRecord(zip.zipUri() + "#zip-path=" + artifact.pathInZip(), artifact.formatter(),
          artifact.storageClass(), artifact.checksum(), artifact.fileSize());
      for (UUID id : artifact.ids()) {
        IndexedRef ref = index.refs().get(id);
        DatasetType type = datasetType(c, registry, index.datasetTypes().get(ref.datasetType()), types);
        Map<String, Object> dataId = registry.datasets().standardize(type, ref.dataId());
        String key = DatasetManager.dataIdKey(type, dataId);
        String other = dataIds.put(type.name() + "\u0000" + ref.run() + "\u0000" + key, artifact.pathInZip());
        if (other != null) {
          throw conflict("Ingest conflict. Dataset " + artifact.pathInZip() + " has same DataId as"
              + " other ingest dataset " + other + "  (" + dataId + ")");
        }
        datasets.computeIfAbsent(new TypeAndRun(type.name(), ref.run()), k -> new ArrayList<>())
            .add(new NewDataset(id, dataId, file));
        count++;
      }
    }
    for (TypeAndRun key : datasets.keySet()) {
      registry.collections().find(c, key.run()).filter(run -> run.type() != CollectionType.RUN).ifPresent(run -> {
        throw new RegistryException(RegistryException.Kind.COLLECTION_TYPE, "Collection '" + run.name() + "' has"
            + " type " + run.type() + ", not RUN: datasets can only be added to a RUN.");
      });
    }
    return new Planned(zip, datasets, count);
  }

  /** The registry's dataset type, registered from the index's definition when missing. */
  private static DatasetType datasetType(Connection c, Registry registry, IndexedDatasetType indexed,
                                         Map<String, DatasetType> types) throws SQLException {
    DatasetType known = types.get(indexed.name());
    if (known != null) {
      DatasetType wanted;
      try {
        wanted = new DatasetType(0, indexed.name(), indexed.storageClass(),
            DimensionUniverse.v7().group(indexed.dimensions()), indexed.isCalibration());
      } catch (IllegalArgumentException e) {
        throw new RegistryException(INVALID_ARGUMENT, "dataset type '" + indexed.name() + "': " + e.getMessage());
      }
      if (!known.sameDefinition(wanted)) {
        throw conflict("Given dataset type " + wanted.describe() + " is inconsistent with"
            + " database definition " + known.describe() + ".");
      }
      return known;
    }
    if (indexed.parentStorageClass() != null) {
      throw new RegistryException(INVALID_ARGUMENT, "dataset type '" + indexed.name() + "' is a component"
          + " (parent storage class " + indexed.parentStorageClass() + "), which autobutler does not ingest");
    }
    registry.datasetTypes().register(c, indexed.name(), indexed.storageClass(), indexed.dimensions(),
        indexed.isCalibration());
    DatasetType type = registry.datasetTypes().get(c, indexed.name());
    types.put(type.name(), type);
    return type;
  }

  /** The definitions the registry holds for the zips' dataset UUIDs, by UUID. */
  private static Map<UUID, Definition> existingDefinitions(Connection c, List<Planned> zips) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    zips.forEach(zip -> zip.datasets().values().forEach(list -> list.forEach(d -> ids.add(d.id()))));
    return DatasetManager.definitions(c, ids);
  }

  private static Definition definition(TypeAndRun key, Map<String, DatasetType> types, NewDataset dataset) {
    return new Definition(key.datasetType(), key.run(),
        DatasetManager.dataIdKey(types.get(key.datasetType()), dataset.dataId()));
  }

  /**
   * How many of the zip's datasets the registry (or an earlier zip of this call) has already; one with the same UUID
   * but another dataset type, run or data ID is a conflict.
   */
  private static int known(Planned zip, Map<String, DatasetType> types, Map<UUID, Definition> existing,
                           Map<UUID, Definition> claimed) {
    int known = 0;
    for (Map.Entry<TypeAndRun, List<NewDataset>> entry : zip.datasets().entrySet()) {
      for (NewDataset dataset : entry.getValue()) {
        Definition there = existing.containsKey(dataset.id()) ? existing.get(dataset.id())
            : claimed.get(dataset.id());
        if (there == null) {
          continue;
        }
        Definition wanted = definition(entry.getKey(), types, dataset);
        if (!there.equals(wanted)) {
          throw conflict("Conflicting definition for dataset " + dataset.id() + ": the registry"
              + " has " + there + ", the zip has " + wanted + ".");
        }
        known++;
      }
    }
    return known;
  }

  /**
   * Refuses a zip whose datasets have the dataset type, run and data ID of a dataset with another UUID, in the
   * registry or in an earlier zip of this call; claims its data IDs otherwise.
   */
  private static void claimDataIds(Connection c, Registry registry, Planned zip, Map<String, DatasetType> types,
                                   Map<String, UUID> claimedKeys) throws SQLException {
    Map<String, UUID> keys = new LinkedHashMap<>();
    for (Map.Entry<TypeAndRun, List<NewDataset>> entry : zip.datasets().entrySet()) {
      DatasetType type = types.get(entry.getKey().datasetType());
      Map<String, UUID> byKey = new LinkedHashMap<>();
      for (NewDataset dataset : entry.getValue()) {
        byKey.put(DatasetManager.dataIdKey(type, dataset.dataId()), dataset.id());
      }
      Map<String, UUID> stored = new HashMap<>();
      var run = registry.collections().find(c, entry.getKey().run());
      if (run.isPresent()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT data_id_key, id FROM dataset WHERE run_id = ?"
            + " AND dataset_type_id = ? AND data_id_key = ANY (?)")) {
          ps.setLong(1, run.get().id());
          ps.setLong(2, type.id());
          ps.setArray(3, c.createArrayOf("text", byKey.keySet().toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              stored.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
          }
        }
      }
      for (Map.Entry<String, UUID> dataset : byKey.entrySet()) {
        String claim = type.name() + "\u0000" + entry.getKey().run() + "\u0000" + dataset.getKey();
        UUID other = stored.containsKey(dataset.getKey()) ? stored.get(dataset.getKey()) : claimedKeys.get(claim);
        if (other != null && !other.equals(dataset.getValue())) {
          throw conflict("Conflicting definition for dataset " + dataset.getValue() + " ("
              + type.name() + "@{" + dataset.getKey() + "} in run " + entry.getKey().run() + "): dataset " + other
              + " already has that dataset type, data ID and run.");
        }
        keys.put(claim, dataset.getValue());
      }
    }
    claimedKeys.putAll(keys);
  }

  private static RegistryException conflict(String message) {
    return new RegistryException(RegistryException.Kind.CONFLICTING_DEFINITION, message);
  }

  /** A zip's failure as a rejection; a database that cannot be reached is not the zip's fault and is thrown. */
  private static Rejection rejection(Loaded zip, RuntimeException e) {
    if (e instanceof RegistryException registry) {
      return new Rejection(zip.source().uri(), RegistryException.class.getName() + "." + registry.kind(),
          zip.zipUri() + ": " + registry.getMessage());
    }
    SQLException sql = e instanceof Registry.RegistryDatabaseException && e.getCause() instanceof SQLException cause
        ? cause : null;
    if (sql instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null) {
      sql = batch.getNextException();
    }
    // Data and integrity errors (SQLSTATE classes 22 and 23) are the zip's; anything else is the database's.
    if (sql != null && sql.getSQLState() != null
        && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
      String reason = sql.getSQLState().equals("23503")
          ? "a data ID or dimension record names a dimension record that is neither in the registry nor in the"
              + " zip's index (" + detail(sql) + ")"
          : detail(sql);
      return new Rejection(zip.source().uri(), sql.getClass().getName(), zip.zipUri() + ": " + reason);
    }
    throw e;
  }

  private static String detail(SQLException e) {
    if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null
        && pe.getServerErrorMessage().getDetail() != null) {
      return pe.getServerErrorMessage().getMessage() + ": " + pe.getServerErrorMessage().getDetail();
    }
    return e.getMessage();
  }

  /** A URI as given, or an absolute path as a {@code file:} URI; a relative path cannot be resolved here. */
  static URI zipUri(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a zip's URI is required");
    }
    try {
      if (URI_SCHEME.matcher(location).matches()) {
        return new URI(location).normalize();
      }
      if (location.startsWith("/")) {
        return new URI("file", null, location, null).normalize();
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + location + "' is not a valid URI: " + e.getReason());
    }
    throw new IllegalArgumentException("'" + location + "' is a relative path: a zip is named by its absolute path"
        + " or URI");
  }
}
