package io.autobutler.core.ingest.sidecar;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.autobutler.core.datastore.Formatters;
import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.ingest.RawIngester;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.registry.dimensions.DimensionRecordManager;

/**
 * {@code butler ingest} of files whose DatasetRef comes with them (Rubin's {@code rubin_sidecar}), transfer
 * {@code direct}: many files in, one registry transaction. Dataset types and RUNs are registered when missing; each
 * dataset keeps the sidecar's UUID, its data ID reduced to the type's required dimensions, and a datastore record
 * with the file's absolute URI, size, adler32 and the formatter {@link Formatters} gives. Every check is done for
 * the whole batch with set-based queries before the bulk insert, so one bad file never stops the others:
 * <ul>
 *   <li>a data ID whose dimension records are not in the registry yet → {@link Status#WAITING} (its records may
 *       still land, e.g. in a dimension file);</li>
 *   <li>a conflicting dataset type or RUN, a data ID that contradicts the registry's records, a UUID already used by
 *       another dataset, another dataset with the same type, data ID and run, a file record that differs →
 *       {@link Status#REJECTED} with the reason;</li>
 *   <li>the same dataset again → {@link Status#INGESTED}, nothing changes (a replay is a no-op).</li>
 * </ul>
 */
public final class SidecarIngester {

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /**
   * A file to ingest.
   *
   * @param uri     its absolute URI, recorded as it is
   * @param size    its size in bytes, if known
   * @param adler32 Rucio's adler32 (hex), if known
   */
  public record SidecarFile(String uri, Long size, String adler32, SidecarRef ref) {
  }

  /** What became of a file. */
  public enum Status { INGESTED, WAITING, REJECTED }

  /**
   * A file's outcome. {@code requiredDataId} is set for ingested files; {@code cause} (an error class) and
   * {@code reason} for the others.
   */
  public record Outcome(SidecarFile file, Status status, Map<String, Object> requiredDataId, String cause,
                        String reason) {
  }

  /** The outcome of each file, in input order, and how many datasets were new. */
  public record Result(List<Outcome> outcomes, int inserted) {
  }

  /**
   * Ingests {@code files}.
   *
   * @param requiredRoot a URI every file must lie under, or null
   */
  public Result ingest(Registry registry, List<SidecarFile> files, String requiredRoot) {
    if (files.isEmpty()) {
      return new Result(List.of(), 0);
    }
    Result result = registry.transaction(c -> ingest(c, registry, files, requiredRoot));
    if (result.inserted() >= Registry.STALE_ROWS) {
      registry.analyze(List.of("dataset", "file_datastore_records"));
    }
    return result;
  }

  /** A file that passed a check so far, with what the checks found out. */
  private static final class Candidate {
    final SidecarFile file;
    DatasetType type;
    CollectionRecord run;
    Map<String, Object> requiredDataId;
    String key;
    Outcome outcome;

    Candidate(SidecarFile file) {
      this.file = file;
    }

    boolean open() {
      return outcome == null;
    }

    void reject(String cause, String reason) {
      outcome = new Outcome(file, Status.REJECTED, null, cause, reason);
    }
  }

  private Result ingest(Connection c, Registry registry, List<SidecarFile> files, String requiredRoot)
      throws SQLException {
    List<Candidate> candidates = files.stream().map(Candidate::new).toList();
    defineTypesAndRuns(c, registry, candidates);
    for (Candidate candidate : open(candidates)) {
      SidecarRef ref = candidate.file.ref();
      try {
        RawIngester.requireUnderRoot(candidate.file.uri(), requiredRoot);
        Map<String, Object> required = new LinkedHashMap<>();
        candidate.type.dimensions().required().forEach(d -> {
          if (ref.dataId().containsKey(d)) {
            required.put(d, ref.dataId().get(d));
          }
        });
        candidate.requiredDataId = registry.datasets().standardize(candidate.type, required);
        candidate.key = DatasetManager.dataIdKey(candidate.type, candidate.requiredDataId);
        RawIngester.checksum(candidate.file.adler32());
      } catch (RegistryException | IllegalArgumentException e) {
        candidate.reject(e.getClass().getName(), e.getMessage());
      }
    }
    checkDimensionRecords(c, registry, open(candidates));
    // Against the registry first: a file refused for its UUID must not keep another one of the batch out.
    checkExisting(c, open(candidates));
    checkDuplicatesInBatch(open(candidates));

    Map<List<Object>, List<Candidate>> groups = new LinkedHashMap<>();
    for (Candidate candidate : open(candidates)) {
      groups.computeIfAbsent(List.of(candidate.type.id(), candidate.run.id()), k -> new ArrayList<>()).add(candidate);
    }
    int inserted = 0;
    for (List<Candidate> group : groups.values()) {
      List<NewDataset> datasets = new ArrayList<>();
      Set<UUID> seen = new LinkedHashSet<>();
      for (Candidate candidate : group) {
        if (seen.add(candidate.file.ref().id())) {
          datasets.add(new NewDataset(candidate.file.ref().id(), candidate.requiredDataId, fileRecord(candidate)));
        }
      }
      inserted += registry.datasets().insert(c, group.get(0).type, group.get(0).run, datasets).inserted();
      for (Candidate candidate : group) {
        candidate.outcome = new Outcome(candidate.file, Status.INGESTED, candidate.requiredDataId, null, null);
      }
    }
    return new Result(candidates.stream().map(cd -> cd.outcome).toList(), inserted);
  }

  private static List<Candidate> open(List<Candidate> candidates) {
    return candidates.stream().filter(Candidate::open).toList();
  }

  /** Dataset types and RUNs registered when missing; a conflicting definition rejects the files that use it. */
  private static void defineTypesAndRuns(Connection c, Registry registry, List<Candidate> candidates)
      throws SQLException {
    Map<String, Object> types = new HashMap<>();
    Map<String, Object> runs = new HashMap<>();
    for (Candidate candidate : candidates) {
      SidecarRef ref = candidate.file.ref();
      String typeKey = ref.datasetType() + '\u0000' + ref.storageClass() + '\u0000' + ref.dimensions() + '\u0000'
          + ref.isCalibration();
      Object type = types.get(typeKey);
      if (type == null) {
        try {
          registry.datasetTypes().register(c, ref.datasetType(), ref.storageClass(), ref.dimensions(),
              ref.isCalibration());
          type = registry.datasetTypes().get(c, ref.datasetType());
        } catch (RegistryException e) {
          type = e;
        }
        types.put(typeKey, type);
      }
      Object run = runs.get(ref.run());
      if (run == null) {
        try {
          registry.collections().register(c, ref.run(), CollectionType.RUN, null);
          run = registry.collections().get(c, ref.run());
        } catch (RegistryException e) {
          run = e;
        }
        runs.put(ref.run(), run);
      }
      if (type instanceof RegistryException e) {
        candidate.reject(e.getClass().getName(), e.getMessage());
      } else if (run instanceof RegistryException e) {
        candidate.reject(e.getClass().getName(), e.getMessage());
      } else {
        candidate.type = (DatasetType) type;
        candidate.run = (CollectionRecord) run;
      }
    }
  }

  /**
   * The records of the required dimensions of each data ID must be there: a missing one makes the file wait. An
   * implied value the sidecar gives (e.g. the exposure's physical_filter) must agree with the registry's record.
   */
  private void checkDimensionRecords(Connection c, Registry registry, List<Candidate> candidates)
      throws SQLException {
    Map<String, Map<List<String>, Map<String, Object>>> found = new HashMap<>();
    Map<String, Set<List<Object>>> wanted = new LinkedHashMap<>();
    for (Candidate candidate : candidates) {
      for (String dimension : candidate.type.dimensions().required()) {
        DimensionElement element = universe.element(dimension).orElseThrow();
        if (element.hasTable()) {
          wanted.computeIfAbsent(dimension, d -> new LinkedHashSet<>()).add(key(element, candidate.requiredDataId));
        }
      }
    }
    for (Map.Entry<String, Set<List<Object>>> entry : wanted.entrySet()) {
      found.put(entry.getKey(), existingRecords(c, registry, entry.getKey(), entry.getValue()));
    }
    for (Candidate candidate : candidates) {
      List<String> missing = new ArrayList<>();
      List<String> conflicts = new ArrayList<>();
      for (String dimension : candidate.type.dimensions().required()) {
        DimensionElement element = universe.element(dimension).orElseThrow();
        if (!element.hasTable()) {
          continue;
        }
        List<Object> key = key(element, candidate.requiredDataId);
        Map<String, Object> record = found.get(dimension).get(text(key));
        if (record == null) {
          missing.add(describe(element, key));
          continue;
        }
        for (String implied : element.implied()) {
          Object given = candidate.file.ref().dataId().get(implied);
          Object stored = record.get(implied);
          if (given != null && stored != null && !String.valueOf(given).equals(String.valueOf(stored))) {
            conflicts.add(describe(element, key) + " has " + implied + "=" + stored + ", the sidecar says " + given);
          }
        }
      }
      if (!missing.isEmpty()) {
        candidate.outcome = new Outcome(candidate.file, Status.WAITING, null, null,
            "waiting for dimension records: " + String.join("; ", missing));
      } else if (!conflicts.isEmpty()) {
        candidate.reject(RegistryException.class.getName(), "data ID " + candidate.file.ref().dataId()
            + " conflicts with the registry: " + String.join("; ", conflicts));
      }
    }
  }

  /** The records of {@code element} among {@code keys}, by their key as text. */
  private Map<List<String>, Map<String, Object>> existingRecords(Connection c, Registry registry, String element,
                                                                 Set<List<Object>> keys) throws SQLException {
    DimensionElement definition = universe.element(element).orElseThrow();
    List<String> columns = DimensionRecordManager.keyColumns(element);
    StringBuilder select = new StringBuilder("SELECT * FROM unnest(");
    List<Object> arrays = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      boolean numeric = keyType(definition, columns.get(i)) == FieldType.INT;
      select.append(i == 0 ? "" : ", ").append(numeric ? "?::bigint[]" : "?::text[]");
      int column = i;
      arrays.add(c.createArrayOf(numeric ? "bigint" : "text", keys.stream().map(k -> k.get(column)).toArray()));
    }
    select.append(")");
    Map<List<String>, Map<String, Object>> records = new HashMap<>();
    for (Map<String, Object> record : registry.dimensions().read(c, element, select.toString(), arrays)) {
      records.put(text(columns.stream().map(record::get).toList()), record);
    }
    return records;
  }

  private FieldType keyType(DimensionElement element, String column) {
    if (element.isDimension() && column.equals(element.key())) {
      return element.keyType();
    }
    return universe.element(column).map(DimensionElement::keyType).orElse(FieldType.STRING);
  }

  /** The key of a dimension's record in a data ID: its required dimensions' values, then its own. */
  private static List<Object> key(DimensionElement element, Map<String, Object> dataId) {
    List<Object> key = new ArrayList<>();
    for (String column : DimensionRecordManager.keyColumns(element.name())) {
      key.add(dataId.get(element.isDimension() && column.equals(element.key()) ? element.name() : column));
    }
    return key;
  }

  private static List<String> text(List<Object> key) {
    return key.stream().map(String::valueOf).toList();
  }

  private static String describe(DimensionElement element, List<Object> key) {
    List<String> columns = DimensionRecordManager.keyColumns(element.name());
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      parts.add(columns.get(i) + "=" + key.get(i));
    }
    return element.name() + " {" + String.join(", ", parts) + "}";
  }

  /**
   * Within the batch: the same UUID twice is one dataset when it is the same file, a conflict otherwise; two UUIDs
   * for the same dataset type, run and data ID are a conflict (the first one given wins).
   */
  private static void checkDuplicatesInBatch(List<Candidate> candidates) {
    Map<UUID, Candidate> byId = new HashMap<>();
    Map<List<Object>, Candidate> byDataId = new HashMap<>();
    for (Candidate candidate : candidates) {
      UUID id = candidate.file.ref().id();
      Candidate first = byId.putIfAbsent(id, candidate);
      if (first != null) {
        if (!first.type.equals(candidate.type) || !first.run.equals(candidate.run) || !first.key.equals(candidate.key)
            || !first.file.uri().equals(candidate.file.uri())) {
          candidate.reject(RegistryException.class.getName(), "dataset " + id + " is also given by "
              + first.file.uri() + " with another definition or file");
        }
        continue;
      }
      Candidate sameDataId = byDataId.putIfAbsent(List.of(candidate.type.id(), candidate.run.id(), candidate.key),
          candidate);
      if (sameDataId != null) {
        candidate.reject(RegistryException.class.getName(), "Conflicting definition for dataset " + id + " ("
            + candidate.type.name() + "@{" + candidate.key + "} in run " + candidate.run.name() + "): dataset "
            + sameDataId.file.ref().id() + " of " + sameDataId.file.uri() + " has that dataset type, data ID and run");
      }
    }
  }

  /**
   * Against the registry: a UUID already used by another dataset, another dataset with the same type, run and data
   * ID, or the same dataset with a different file (refused for UUIDs that are not deterministic, as daf_butler does).
   */
  private static void checkExisting(Connection c, List<Candidate> candidates) throws SQLException {
    if (candidates.isEmpty()) {
      return;
    }
    Map<UUID, String[]> stored = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT d.id, t.name, r.name, d.data_id_key, f.path FROM dataset d"
        + " JOIN dataset_type t ON t.id = d.dataset_type_id JOIN collection r ON r.collection_id = d.run_id"
        + " LEFT JOIN file_datastore_records f ON f.dataset_id = d.id AND f.component = '"
        + DatasetManager.NO_COMPONENT + "' WHERE d.id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", candidates.stream().map(cd -> cd.file.ref().id()).distinct().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5)});
        }
      }
    }
    Map<List<Object>, UUID> taken = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT t.ty, t.ru, t.k, d.id FROM unnest(?::bigint[], ?::bigint[],"
        + " ?::text[]) AS t(ty, ru, k) JOIN dataset d ON d.dataset_type_id = t.ty AND d.run_id = t.ru"
        + " AND d.data_id_key = t.k")) {
      ps.setArray(1, c.createArrayOf("bigint", candidates.stream().map(cd -> cd.type.id()).toArray()));
      ps.setArray(2, c.createArrayOf("bigint", candidates.stream().map(cd -> cd.run.id()).toArray()));
      ps.setArray(3, c.createArrayOf("text", candidates.stream().map(cd -> cd.key).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken.put(List.of(rs.getLong(1), rs.getLong(2), rs.getString(3)), rs.getObject(4, UUID.class));
        }
      }
    }
    String conflict = RegistryException.class.getName();
    for (Candidate candidate : candidates) {
      UUID id = candidate.file.ref().id();
      String wanted = candidate.type.name() + "@{" + candidate.key + "} in run " + candidate.run.name();
      String[] existing = stored.get(id);
      if (existing != null) {
        if (!existing[0].equals(candidate.type.name()) || !existing[1].equals(candidate.run.name())
            || !existing[2].equals(candidate.key)) {
          candidate.reject(conflict, "Conflicting definition for dataset " + id + ": the UUID is already used by "
              + existing[0] + "@{" + existing[2] + "} in run " + existing[1] + ", the sidecar has " + wanted + ".");
        } else if (existing[3] != null && !existing[3].equals(candidate.file.uri()) && id.version() != 5) {
          candidate.reject(conflict, "Dataset " + id + " already has a different file record in the datastore ("
              + existing[3] + ").");
        }
        continue;
      }
      UUID other = taken.get(List.of(candidate.type.id(), candidate.run.id(), candidate.key));
      if (other != null && !Objects.equals(other, id)) {
        candidate.reject(conflict, "Conflicting definition for dataset " + id + " (" + wanted + "): dataset "
            + other + " already has that dataset type, data ID and run.");
      }
    }
  }

  private static FileRecord fileRecord(Candidate candidate) {
    Object instrument = candidate.requiredDataId.get("instrument");
    String formatter = Formatters.forDataset(candidate.type.name(), candidate.type.storageClass(),
        instrument == null ? null : instrument.toString()).orElse(null);
    return new FileRecord(candidate.file.uri(), formatter, candidate.type.storageClass(),
        RawIngester.checksum(candidate.file.adler32()), candidate.file.size());
  }
}
