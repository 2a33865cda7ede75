package io.autobutler.core.registry.datasets;

import static io.autobutler.core.registry.RegistryException.Kind.COLLECTION_TYPE;
import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.autobutler.core.db.CopyRows;
import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.Timespan;

/**
 * Datasets, their datastore records and their TAGGED and CALIBRATION memberships, with daf_butler's import rules:
 * UUIDs are kept; the same dataset again is a no-op; the same UUID with another type, run or data ID, or the same
 * run, type and data ID under another UUID, is a ConflictingDefinitionError. Each call is one set-based statement
 * per table, whatever the number of datasets.
 */
public final class DatasetManager {

  /** The dimension columns of the dataset table (V1__registry.sql), in universe order. */
  public static final List<String> DIMENSION_COLUMNS = List.of("band", "htm7", "instrument", "skymap", "day_obs",
      "detector", "group", "physical_filter", "subfilter", "tract", "visit_system", "exposure", "patch", "visit");
  /** daf_butler's NULL_STRING for a file record that is not a component. */
  public static final String NO_COMPONENT = "__NULL_STRING__";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String EXCLUSION_VIOLATION = "23P01";
  /** From this many rows on, new datasets and file records are loaded with COPY rather than INSERT. */
  private static final int COPY_MIN_ROWS = 200;

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /** A file as the datastore records it: for transfer {@code direct}, {@code path} is the absolute URI. */
  public record FileRecord(String path, String formatter, String storageClass, String checksum, Long size) {
  }

  /** A dataset to insert: its UUID, its required data ID and, optionally, its file. */
  public record NewDataset(UUID id, Map<String, Object> dataId, FileRecord file) {
  }

  /** How many datasets were new and how many were there already, identical. */
  public record InsertResult(int inserted, int unchanged) {
  }

  /** The canonical text of a required data ID: {@code name=value} in universe order, comma-joined. */
  public static String dataIdKey(DatasetType type, Map<String, Object> requiredDataId) {
    StringBuilder key = new StringBuilder(64);
    for (String dimension : type.dimensions().required()) {
      if (key.length() > 0) {
        key.append(',');
      }
      key.append(dimension).append('=').append(requiredDataId.get(dimension));
    }
    return key.toString();
  }

  /** Checks and normalises a data ID to the type's required dimensions (implied values given too are dropped). */
  public Map<String, Object> standardize(DatasetType type, Map<String, ?> dataId) {
    Map<String, Object> required = new LinkedHashMap<>();
    for (String dimension : type.dimensions().required()) {
      Object value = dataId.get(dimension);
      if (value == null) {
        throw new RegistryException(INVALID_ARGUMENT, "data ID " + dataId + " of dataset type " + type.name()
            + " lacks dimension '" + dimension + "' (required: " + type.dimensions().required() + ")");
      }
      FieldType keyType = universe.element(dimension).map(DimensionElement::keyType).orElse(FieldType.STRING);
      if (keyType == FieldType.INT) {
        try {
          value = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
          throw new RegistryException(INVALID_ARGUMENT, "data ID " + dataId + ": " + dimension + " must be an"
              + " integer, not '" + value + "'");
        }
      } else {
        value = value.toString();
      }
      required.put(dimension, value);
    }
    for (String key : dataId.keySet()) {
      if (!type.dimensions().names().contains(key)) {
        throw new RegistryException(INVALID_ARGUMENT, "data ID " + dataId + " has dimension '" + key
            + "', which dataset type " + type.name() + " does not have (" + type.dimensions().names() + ")");
      }
    }
    return required;
  }

  /** Inserts datasets of one type into one RUN, with their file records. */
  public InsertResult insert(Connection c, DatasetType type, CollectionRecord run, List<NewDataset> datasets)
      throws SQLException {
    if (run.type() != CollectionType.RUN) {
      throw new RegistryException(COLLECTION_TYPE, "Collection '" + run.name() + "' has type " + run.type()
          + ", not RUN: datasets can only be added to a RUN.");
    }
    if (datasets.isEmpty()) {
      return new InsertResult(0, 0);
    }
    int n = datasets.size();
    UUID[] ids = new UUID[n];
    String[] keys = new String[n];
    String[][] dims = new String[DIMENSION_COLUMNS.size()][n];
    Map<UUID, String> keyById = new HashMap<>();
    for (int i = 0; i < n; i++) {
      NewDataset dataset = datasets.get(i);
      Map<String, Object> dataId = standardize(type, dataset.dataId());
      ids[i] = dataset.id();
      keys[i] = dataIdKey(type, dataId);
      if (keyById.put(ids[i], keys[i]) != null) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Dataset " + ids[i] + " is given twice.");
      }
      for (int d = 0; d < DIMENSION_COLUMNS.size(); d++) {
        Object value = dataId.get(DIMENSION_COLUMNS.get(d));
        dims[d][i] = value == null ? null : value.toString();
      }
    }
    Set<UUID> inserted = n >= COPY_MIN_ROWS ? copyNew(c, type, run, ids, keys, dims) : null;
    if (inserted == null) {
      inserted = insertOnConflict(c, type, run, ids, keys, dims);
    }
    int unchanged = 0;
    if (inserted.size() < n) {
      List<UUID> others = new ArrayList<>();
      for (UUID id : ids) {
        if (!inserted.contains(id)) {
          others.add(id);
        }
      }
      unchanged = checkExisting(c, type, run, others, keyById);
    }
    insertFiles(c, type, datasets, inserted);
    return new InsertResult(inserted.size(), unchanged);
  }

  /**
   * The bulk path: the datasets not in the registry yet (found by their UUIDs) loaded with {@code COPY}. Returns
   * their UUIDs, or null when one of them clashes with a stored dataset of the same run, type and data ID: the copy
   * is rolled back to its savepoint and {@link #insertOnConflict} sorts them out with daf_butler's messages.
   */
  private Set<UUID> copyNew(Connection c, DatasetType type, CollectionRecord run, UUID[] ids, String[] keys,
                            String[][] dims) throws SQLException {
    Set<UUID> stored = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM dataset WHERE id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getObject(1, UUID.class));
        }
      }
    }
    StringBuilder columns = new StringBuilder("id, dataset_type_id, run_id, data_id_key");
    DIMENSION_COLUMNS.forEach(col -> columns.append(", \"").append(col).append('"'));
    Set<UUID> fresh = new HashSet<>();
    Savepoint savepoint = c.setSavepoint();
    try (CopyRows copy = new CopyRows(c, "dataset", columns.toString())) {
      Object[] row = new Object[4 + dims.length];
      for (int i = 0; i < ids.length; i++) {
        if (stored.contains(ids[i])) {
          continue;
        }
        row[0] = ids[i];
        row[1] = type.id();
        row[2] = run.id();
        row[3] = keys[i];
        for (int d = 0; d < dims.length; d++) {
          row[4 + d] = dims[d][i];
        }
        copy.add(row);
        fresh.add(ids[i]);
      }
      copy.finish();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(savepoint);
      return null;
    }
    c.releaseSavepoint(savepoint);
    return fresh;
  }

  /** The row-by-row-safe path: {@code INSERT ... ON CONFLICT DO NOTHING}; returns the UUIDs it inserted. */
  private Set<UUID> insertOnConflict(Connection c, DatasetType type, CollectionRecord run, UUID[] ids, String[] keys,
                                     String[][] dims) throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO dataset (id, dataset_type_id, run_id, data_id_key");
    DIMENSION_COLUMNS.forEach(col -> sql.append(", \"").append(col).append('"'));
    sql.append(") SELECT t.id, ?, ?, t.k");
    for (String col : DIMENSION_COLUMNS) {
      boolean numeric = universe.element(col).map(DimensionElement::keyType).orElse(FieldType.STRING) == FieldType.INT;
      sql.append(", t.\"").append(col).append('"').append(numeric ? "::bigint" : "");
    }
    sql.append(" FROM unnest(?::uuid[], ?::text[]");
    DIMENSION_COLUMNS.forEach(col -> sql.append(", ?::text[]"));
    sql.append(") AS t(id, k");
    DIMENSION_COLUMNS.forEach(col -> sql.append(", \"").append(col).append('"'));
    sql.append(") ON CONFLICT DO NOTHING RETURNING id");
    Set<UUID> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, type.id());
      ps.setLong(2, run.id());
      ps.setArray(3, c.createArrayOf("uuid", ids));
      ps.setArray(4, c.createArrayOf("text", keys));
      for (int d = 0; d < dims.length; d++) {
        ps.setArray(5 + d, c.createArrayOf("text", dims[d]));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return inserted;
  }

  /** What the registry holds under a dataset UUID: its dataset type, RUN and data ID key. */
  public record Definition(String datasetType, String run, String dataIdKey) {

    /** {@code type@{data ID key} in run run}, as conflict messages spell a dataset. */
    @Override
    public String toString() {
      return datasetType + "@{" + dataIdKey + "} in run " + run;
    }
  }

  /** The definitions the registry holds for these UUIDs (those it has), by UUID. */
  public static Map<UUID, Definition> definitions(Connection c, Collection<UUID> ids) throws SQLException {
    Map<UUID, Definition> stored = new HashMap<>();
    if (ids.isEmpty()) {
      return stored;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT d.id, t.name, r.name, d.data_id_key FROM dataset d"
        + " JOIN dataset_type t ON t.id = d.dataset_type_id JOIN collection r ON r.collection_id = d.run_id"
        + " WHERE d.id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getObject(1, UUID.class), new Definition(rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return stored;
  }

  /** Datasets that were not inserted must be the very same datasets; anything else is a conflict. */
  private int checkExisting(Connection c, DatasetType type, CollectionRecord run, List<UUID> ids,
                            Map<UUID, String> keyById) throws SQLException {
    Map<UUID, Definition> stored = definitions(c, ids);
    for (UUID id : ids) {
      Definition existing = stored.get(id);
      Definition wanted = new Definition(type.name(), run.name(), keyById.get(id));
      if (existing == null) {
        UUID other = idFor(c, type, run, keyById.get(id));
        throw new RegistryException(CONFLICTING_DEFINITION, "Conflicting definition for dataset " + id + " ("
            + wanted + "): dataset " + other + " already has that dataset type, data ID and run.");
      }
      if (!existing.equals(wanted)) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Conflicting definition for dataset " + id + ": the"
            + " registry has " + existing + ", the import has " + wanted + ".");
      }
    }
    return ids.size();
  }

  private static UUID idFor(Connection c, DatasetType type, CollectionRecord run, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM dataset WHERE run_id = ? AND dataset_type_id = ? AND data_id_key = ?")) {
      ps.setLong(1, run.id());
      ps.setLong(2, type.id());
      ps.setString(3, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1, UUID.class) : null;
      }
    }
  }

  /**
   * The datasets' file records. Those of datasets inserted by this call ({@code fresh}) cannot exist yet: copied
   * when there are many. The others are inserted if missing, compared if present.
   */
  private static void insertFiles(Connection c, DatasetType type, List<NewDataset> datasets, Set<UUID> fresh)
      throws SQLException {
    List<NewDataset> withFiles = datasets.stream().filter(d -> d.file() != null).toList();
    if (withFiles.size() >= COPY_MIN_ROWS) {
      try (CopyRows copy = new CopyRows(c, "file_datastore_records",
          "dataset_id, component, path, formatter, storage_class, checksum, file_size")) {
        for (NewDataset dataset : withFiles) {
          if (fresh.contains(dataset.id())) {
            FileRecord file = dataset.file();
            copy.add(dataset.id(), NO_COMPONENT, file.path(), file.formatter(),
                file.storageClass() != null ? file.storageClass() : type.storageClass(), file.checksum(), file.size());
          }
        }
        copy.finish();
      }
      withFiles = withFiles.stream().filter(d -> !fresh.contains(d.id())).toList();
    }
    if (withFiles.isEmpty()) {
      return;
    }
    int n = withFiles.size();
    UUID[] ids = new UUID[n];
    String[] paths = new String[n];
    String[] formatters = new String[n];
    String[] storageClasses = new String[n];
    String[] checksums = new String[n];
    Long[] sizes = new Long[n];
    for (int i = 0; i < n; i++) {
      NewDataset dataset = withFiles.get(i);
      ids[i] = dataset.id();
      paths[i] = dataset.file().path();
      formatters[i] = dataset.file().formatter();
      storageClasses[i] = dataset.file().storageClass() != null ? dataset.file().storageClass() : type.storageClass();
      checksums[i] = dataset.file().checksum();
      sizes[i] = dataset.file().size();
    }
    String rows = " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])"
        + " AS t(id, path, formatter, storage_class, checksum, file_size)";
    Set<UUID> added = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_datastore_records (dataset_id, component, path,"
        + " formatter, storage_class, checksum, file_size) SELECT t.id, '" + NO_COMPONENT + "', t.path, t.formatter,"
        + " t.storage_class, t.checksum, t.file_size" + rows + " ON CONFLICT (dataset_id, component) DO NOTHING"
        + " RETURNING dataset_id")) {
      bindFiles(c, ps, ids, paths, formatters, storageClasses, checksums, sizes);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          added.add(rs.getObject(1, UUID.class));
        }
      }
    }
    if (added.size() == n) {
      return;
    }
    UUID[] existing = java.util.Arrays.stream(ids).filter(id -> !added.contains(id)).toArray(UUID[]::new);
    // A file record that differs from the stored one: daf_butler replaces it for deterministic (v5) IDs and
    // refuses it for the others. The update is undone with the transaction when one is refused. Only the records
    // that were there already are compared, found through the primary key ("= ANY"): a join on the unnested rows
    // alone made the planner scan the whole table for every call.
    try (PreparedStatement ps = c.prepareStatement("UPDATE file_datastore_records f SET path = t.path,"
        + " formatter = t.formatter, storage_class = t.storage_class, checksum = t.checksum, file_size = t.file_size"
        + rows + " WHERE f.dataset_id = ANY (?) AND f.dataset_id = t.id AND f.component = '" + NO_COMPONENT + "'"
        + " AND (f.path, f.formatter, f.storage_class, f.checksum, f.file_size) IS DISTINCT FROM (t.path,"
        + " t.formatter, t.storage_class, t.checksum, t.file_size) RETURNING f.dataset_id")) {
      bindFiles(c, ps, ids, paths, formatters, storageClasses, checksums, sizes);
      ps.setArray(7, c.createArrayOf("uuid", existing));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject(1, UUID.class);
          if (id.version() != 5) {
            throw new RegistryException(CONFLICTING_DEFINITION, "Dataset " + id + " already has a different file"
                + " record in the datastore.");
          }
        }
      }
    }
  }

  private static void bindFiles(Connection c, PreparedStatement ps, UUID[] ids, String[] paths, String[] formatters,
                                String[] storageClasses, String[] checksums, Long[] sizes) throws SQLException {
    ps.setArray(1, c.createArrayOf("uuid", ids));
    ps.setArray(2, c.createArrayOf("text", paths));
    ps.setArray(3, c.createArrayOf("text", formatters));
    ps.setArray(4, c.createArrayOf("text", storageClasses));
    ps.setArray(5, c.createArrayOf("text", checksums));
    ps.setArray(6, c.createArrayOf("bigint", sizes));
  }

  /**
   * Adds datasets to a TAGGED collection. Already there: no-op. Another dataset with the same type and data ID
   * there: ConflictingDefinitionError. Returns how many were added.
   */
  public int associate(Connection c, CollectionRecord tagged, List<UUID> ids) throws SQLException {
    requireType(tagged, CollectionType.TAGGED, "associate");
    requireExisting(c, ids);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_tags (collection_id, dataset_id,"
        + " dataset_type_id, data_id_key) SELECT ?, d.id, d.dataset_type_id, d.data_id_key FROM dataset d"
        + " WHERE d.id = ANY (?) ON CONFLICT (collection_id, dataset_id) DO NOTHING")) {
      ps.setLong(1, tagged.id());
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      return ps.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Constraint violation while associating datasets with"
            + " collection '" + tagged.name() + "': it already holds another dataset with the same dataset type"
            + " and data ID (" + detail(e) + ").");
      }
      throw e;
    }
  }

  /**
   * Those of {@code ids} that a TAGGED collection does not hold yet, in the given order: what an idempotent associate
   * has left to add (one statement, so that a convergence that finds nothing new writes nothing).
   */
  public List<UUID> notAssociated(Connection c, CollectionRecord tagged, List<UUID> ids) throws SQLException {
    requireType(tagged, CollectionType.TAGGED, "associate");
    if (ids.isEmpty()) {
      return List.of();
    }
    Set<UUID> held = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT dataset_id FROM dataset_tags WHERE collection_id = ? AND dataset_id = ANY (?)")) {
      ps.setLong(1, tagged.id());
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return ids.stream().filter(id -> !held.contains(id)).toList();
  }

  /** How many datasets a TAGGED collection holds. */
  public long associatedCount(Connection c, CollectionRecord tagged) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dataset_tags WHERE collection_id = ?")) {
      ps.setLong(1, tagged.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Removes datasets from a TAGGED collection; returns how many were there. */
  public int disassociate(Connection c, CollectionRecord tagged, List<UUID> ids) throws SQLException {
    requireType(tagged, CollectionType.TAGGED, "disassociate");
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM dataset_tags WHERE collection_id = ? AND dataset_id = ANY (?)")) {
      ps.setLong(1, tagged.id());
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      return ps.executeUpdate();
    }
  }

  /**
   * Certifies datasets into a CALIBRATION collection over {@code [beginNs, endNs)} (TAI ns; null for unbounded).
   * The dataset types must be calibration types; an overlap with a range already certified for the same type and
   * data ID is refused by the database's exclusion constraint and reported as a ConflictingDefinitionError.
   */
  public int certify(Connection c, CollectionRecord calibration, List<UUID> ids, Long beginNs, Long endNs)
      throws SQLException {
    requireType(calibration, CollectionType.CALIBRATION, "certify");
    requireExisting(c, ids);
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT t.name FROM dataset d JOIN dataset_type t"
        + " ON t.id = d.dataset_type_id WHERE d.id = ANY (?) AND NOT t.is_calibration ORDER BY t.name")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          throw new RegistryException(INVALID_ARGUMENT, "Cannot certify datasets of dataset type '" + rs.getString(1)
              + "', which is not a calibration dataset type.");
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_calibs (collection_id, dataset_id,"
        + " dataset_type_id, data_id_key, timespan) SELECT ?, d.id, d.dataset_type_id, d.data_id_key,"
        + " int8range(coalesce(?::bigint, 0), coalesce(?::bigint, "
        + io.autobutler.core.registry.dimensions.DimensionRecordManager.MAX_TIME_NS + "), '[)')"
        + " FROM dataset d WHERE d.id = ANY (?)")) {
      ps.setLong(1, calibration.id());
      ps.setObject(2, beginNs);
      ps.setObject(3, endNs);
      ps.setArray(4, c.createArrayOf("uuid", ids.toArray()));
      return ps.executeUpdate();
    } catch (SQLException e) {
      if (EXCLUSION_VIOLATION.equals(e.getSQLState())) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Validity range conflict certifying datasets into"
            + " collection '" + calibration.name() + "': a dataset with the same dataset type and data ID is"
            + " already certified over an overlapping range (" + detail(e) + ").");
      }
      throw e;
    }
  }

  /** What a decertify did: the certifications it touched, and the ranges left of them (truncated or split). */
  public record Decertified(int certifications, int remainingRanges) {
  }

  /**
   * daf_butler's {@code Registry.decertify}: within a CALIBRATION collection, takes {@code span} out of every
   * certification of {@code type} that overlaps it. A certification inside the span is removed; one that sticks out
   * on one side is truncated; one that covers the span is split in two. {@code dataIdsOf} restricts this to the
   * data IDs of those datasets (null: every data ID of the type; empty: none).
   */
  public Decertified decertify(Connection c, CollectionRecord calibration, DatasetType type, Timespan span,
                               List<UUID> dataIdsOf) throws SQLException {
    requireType(calibration, CollectionType.CALIBRATION, "decertify");
    if (!type.isCalibration()) {
      throw new RegistryException(INVALID_ARGUMENT, "Cannot decertify datasets of dataset type '" + type.name()
          + "', which is not a calibration dataset type.");
    }
    if (span.isEmpty() || (dataIdsOf != null && dataIdsOf.isEmpty())) {
      return new Decertified(0, 0);
    }
    List<UUID> ids = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Long> begins = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    int touched = 0;
    // The deleted rows' ranges free their place in the exclusion constraint before the pieces go back in.
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset_calibs k WHERE k.collection_id = ?"
        + " AND k.dataset_type_id = ? AND k.timespan && ?::int8range"
        + (dataIdsOf == null ? "" : " AND k.data_id_key IN (SELECT d.data_id_key FROM dataset d"
            + " WHERE d.id = ANY (?) AND d.dataset_type_id = k.dataset_type_id)")
        + " RETURNING k.dataset_id, k.data_id_key, lower(k.timespan), upper(k.timespan)")) {
      ps.setLong(1, calibration.id());
      ps.setLong(2, type.id());
      ps.setString(3, span.toPostgresRange());
      if (dataIdsOf != null) {
        ps.setArray(4, c.createArrayOf("uuid", dataIdsOf.toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          touched++;
          for (Timespan piece : Timespan.ofNanos(rs.getLong(3), rs.getLong(4)).difference(span)) {
            ids.add(rs.getObject(1, UUID.class));
            keys.add(rs.getString(2));
            begins.add(piece.beginNanos());
            ends.add(piece.endNanos());
          }
        }
      }
    }
    if (!ids.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_calibs (collection_id, dataset_id,"
          + " dataset_type_id, data_id_key, timespan) SELECT ?, t.id, ?, t.k, int8range(t.b, t.e, '[)')"
          + " FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[]) AS t(id, k, b, e)")) {
        ps.setLong(1, calibration.id());
        ps.setLong(2, type.id());
        ps.setArray(3, c.createArrayOf("uuid", ids.toArray()));
        ps.setArray(4, c.createArrayOf("text", keys.toArray()));
        ps.setArray(5, c.createArrayOf("bigint", begins.toArray()));
        ps.setArray(6, c.createArrayOf("bigint", ends.toArray()));
        ps.executeUpdate();
      }
    }
    return new Decertified(touched, ids.size());
  }

  /** PostgreSQL's DETAIL line of a constraint violation, which names the conflicting key. */
  private static String detail(SQLException e) {
    if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null
        && pe.getServerErrorMessage().getDetail() != null) {
      return pe.getServerErrorMessage().getDetail();
    }
    return e.getMessage();
  }

  private static void requireType(CollectionRecord collection, CollectionType type, String operation) {
    if (collection.type() != type) {
      throw new RegistryException(COLLECTION_TYPE, "Cannot " + operation + " datasets with collection '"
          + collection.name() + "' of type " + collection.type() + "; it must be " + type + ".");
    }
  }

  private static void requireExisting(Connection c, List<UUID> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT i FROM unnest(?::uuid[]) AS i WHERE NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = i) LIMIT 5")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        List<String> missing = new ArrayList<>();
        while (rs.next()) {
          missing.add(rs.getString(1));
        }
        if (!missing.isEmpty()) {
          throw new RegistryException(INVALID_ARGUMENT, "No dataset with id " + String.join(", ", missing) + " in this registry.");
        }
      }
    }
  }
}
