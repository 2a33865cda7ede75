package io.autobutler.core.replica;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.registry.RegistryMigrations;

/**
 * The replicas ingest-service has been told about, one row per (scope, name, RSE), with what became of each
 * ({@link State}). Recording is one statement per batch (arrays unnested server-side) and idempotent: a replayed
 * event only refreshes {@code last_seen} and never changes a replica's state.
 */
public final class ReplicaLedger {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final String schema;

  public ReplicaLedger(DataSource dataSource, String schema) {
    if (!RegistryMigrations.isValidSchemaName(schema)) {
      throw new IllegalArgumentException("invalid index schema name '" + schema + "'");
    }
    this.dataSource = dataSource;
    this.schema = schema;
  }

  /**
   * What recording a batch found: how many replicas were new, and the entry of every replica of the batch as it
   * stands after the batch (a replica recorded earlier keeps its state).
   */
  public record Recorded(int added, List<Entry> entries) {
  }

  /** Records a batch of replica events in one statement and returns their entries with it (no second read). */
  public Recorded record(List<ReplicaEvent> events) throws SQLException {
    // One row per key: ON CONFLICT cannot touch the same row twice in one statement.
    Map<String, ReplicaEvent> unique = new LinkedHashMap<>();
    for (ReplicaEvent e : events) {
      unique.put(e.scope() + '\u0000' + e.name() + '\u0000' + e.rse(), e);
    }
    if (unique.isEmpty()) {
      return new Recorded(0, List.of());
    }
    int n = unique.size();
    String[][] text = new String[9][n];
    Long[] bytes = new Long[n];
    int i = 0;
    for (ReplicaEvent e : unique.values()) {
      text[0][i] = e.scope();
      text[1][i] = e.name();
      text[2][i] = e.rse();
      text[3][i] = e.pfn();
      text[4][i] = e.adler32();
      text[5][i] = e.datasetScope();
      text[6][i] = e.datasetName();
      text[7][i] = metadataJson(e);
      text[8][i] = e.source() == null ? "unknown" : e.source();
      bytes[i] = e.bytes();
      i++;
    }
    String sql = "INSERT INTO " + schema + ".replica"
        + " (scope, name, rse, pfn, adler32, dataset_scope, dataset_name, metadata, source, bytes)"
        + " SELECT s, n, r, p, a, ds, dn, m::jsonb, src, b FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS t(s, n, r, p, a, ds, dn, m, src, b)"
        + " ON CONFLICT (scope, name, rse) DO UPDATE SET last_seen = now(), pfn = EXCLUDED.pfn"
        + " RETURNING " + ENTRY_COLUMNS + ", (xmax = 0)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int column = 0; column < text.length; column++) {
        ps.setArray(column + 1, c.createArrayOf("text", text[column]));
      }
      Array bytesArray = c.createArrayOf("bigint", bytes);
      ps.setObject(text.length + 1, bytesArray, Types.ARRAY);
      int inserted = 0;
      List<Entry> entries = new ArrayList<>(n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(entry(rs));
          if (rs.getBoolean(ENTRY_COLUMN_COUNT + 1)) {
            inserted++;
          }
        }
      }
      return new Recorded(inserted, entries);
    }
  }

  /** The recorded replicas of one Rucio dataset, by file name. */
  public List<Replica> forDataset(String datasetScope, String datasetName) throws SQLException {
    String sql = "SELECT scope, name, rse, pfn, bytes, adler32, dataset_scope, dataset_name, source, first_seen,"
        + " last_seen FROM " + schema + ".replica WHERE dataset_scope = ? AND dataset_name = ? ORDER BY name, rse";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, datasetScope);
      ps.setString(2, datasetName);
      List<Replica> result = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new Replica(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              (Long) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
              rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class)));
        }
      }
      return result;
    }
  }

  /** What became of a replica recorded at an RSE: its state, why, and the dataset its file became. */
  public record Outcome(String scope, String name, String pfn, String datasetScope, String datasetName, State state,
                        String reason, UUID datasetId) {

    /** Its Rucio dataset's DID, or null. */
    public String datasetDid() {
      return datasetName == null ? null : datasetScope + ":" + datasetName;
    }
  }

  /** Every replica recorded at an RSE with what became of it, handed over one by one (read in one query). */
  public void outcomes(String rse, java.util.function.Consumer<Outcome> outcomes) throws SQLException {
    String sql = "SELECT scope, name, pfn, dataset_scope, dataset_name, state, reason, dataset_id FROM " + schema
        + ".replica WHERE rse = ?";
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(10_000);
        ps.setString(1, rse);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            outcomes.accept(new Outcome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), State.of(rs.getString(6)), rs.getString(7),
                rs.getObject(8, UUID.class)));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /** How many replicas are recorded in all. */
  public long count() throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema + ".replica");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What became of a replica in the ingest pipeline. */
  public enum State {
    /** Recorded, not ingested yet: e.g. a raw whose directory's {@code _index.json} has not landed. */
    PENDING,
    /** In the registry ({@code dataset_id} set for a dataset), or consumed (an {@code _index.json}). */
    INGESTED,
    /** Refused, with the reason; it went to the dead-letter topic. */
    REJECTED,
    /** Nothing to do here: no manifest rule takes it, or its rule works on the whole Rucio dataset. */
    SKIPPED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /** A replica's identity. */
  public record Key(String scope, String name, String rse) {
  }

  /**
   * A recorded replica with its pipeline state.
   *
   * @param directory the PFN's parent, ending with {@code /}
   */
  public record Entry(Key key, String pfn, Long bytes, String adler32, String datasetScope, String datasetName,
                      String rubinButler, String rubinSidecar, String source, OffsetDateTime firstSeen,
                      String directory, State state, String reason, UUID datasetId) {

    /** The DID of the Rucio dataset that holds it (its own DID when it has none): the key of its events. */
    public String sourceDid() {
      return ReplicaEvent.key(key.scope(), key.name(), datasetScope, datasetName);
    }

    /** The replica event this entry records (observed when first seen). */
    public ReplicaEvent event() {
      return new ReplicaEvent(key.scope(), key.name(), key.rse(), pfn, bytes, adler32, datasetScope, datasetName,
          rubinButler, rubinSidecar, source, firstSeen == null ? null : firstSeen.toInstant());
    }
  }

  /** A new state for a replica; {@code reason} for a rejection or skip, {@code datasetId} for an ingested dataset. */
  public record Settlement(Key key, State state, String reason, UUID datasetId) {
  }

  private static final String ENTRY_COLUMNS = "scope, name, rse, pfn, bytes, adler32, dataset_scope, dataset_name,"
      + " metadata->>'rubin_butler', metadata->>'rubin_sidecar', source, first_seen, directory, state, reason,"
      + " dataset_id";
  private static final int ENTRY_COLUMN_COUNT = 16;

  /** The entries of these replicas (those recorded), in no particular order. */
  public List<Entry> entries(Collection<Key> keys) throws SQLException {
    if (keys.isEmpty()) {
      return List.of();
    }
    String sql = "SELECT " + ENTRY_COLUMNS + " FROM " + schema + ".replica WHERE (scope, name, rse) IN"
        + " (SELECT * FROM unnest(?::text[], ?::text[], ?::text[]))";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", keys.stream().map(Key::scope).toArray()));
      ps.setArray(2, c.createArrayOf("text", keys.stream().map(Key::name).toArray()));
      ps.setArray(3, c.createArrayOf("text", keys.stream().map(Key::rse).toArray()));
      return readEntries(ps);
    }
  }

  /** The pending replicas of these directories, by PFN. */
  public List<Entry> pendingIn(Collection<String> directories) throws SQLException {
    if (directories.isEmpty()) {
      return List.of();
    }
    String sql = "SELECT " + ENTRY_COLUMNS + " FROM " + schema + ".replica WHERE state = 'pending'"
        + " AND directory = ANY (?) ORDER BY pfn";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", directories.toArray()));
      return readEntries(ps);
    }
  }

  /**
   * The pending replicas of those of these directories that hold a replica named {@code fileName} (e.g.
   * {@code _index.json}, which makes an exposure directory's raws ready), by PFN: one statement instead of asking
   * first which directories are ready.
   */
  public List<Entry> pendingInDirectoriesHolding(Collection<String> directories, String fileName)
      throws SQLException {
    if (directories.isEmpty()) {
      return List.of();
    }
    String sql = "SELECT " + ENTRY_COLUMNS + " FROM " + schema + ".replica AS p WHERE p.state = 'pending'"
        + " AND p.directory = ANY (?) AND EXISTS (SELECT 1 FROM " + schema + ".replica AS i"
        + " WHERE i.directory = p.directory AND i.pfn = i.directory || ?) ORDER BY p.pfn";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", directories.toArray()));
      ps.setString(2, fileName);
      return readEntries(ps);
    }
  }

  /**
   * Directories that hold pending replicas and a replica named {@code fileName} (e.g. {@code _index.json}): raws
   * that could go in but were left waiting (a crash between recording and ingesting), at most {@code limit}.
   */
  public List<String> pendingDirectoriesHolding(String fileName, int limit) throws SQLException {
    String sql = "SELECT DISTINCT p.directory FROM " + schema + ".replica AS p WHERE p.state = 'pending' AND EXISTS"
        + " (SELECT 1 FROM " + schema + ".replica AS i WHERE i.directory = p.directory AND i.pfn = i.directory || ?)"
        + " ORDER BY p.directory LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, fileName);
      ps.setInt(2, limit);
      List<String> found = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }
  }

  /** Sets the state of these replicas, in one statement (a 'skipped' one only if it is still pending). */
  public void settle(List<Settlement> settlements) throws SQLException {
    Map<Key, Settlement> unique = new LinkedHashMap<>();
    settlements.forEach(s -> unique.put(s.key(), s));
    if (unique.isEmpty()) {
      return;
    }
    List<Settlement> all = List.copyOf(unique.values());
    String sql = "UPDATE " + schema + ".replica AS r SET state = t.st, reason = t.re, dataset_id = t.id::uuid,"
        + " settled_at = now() FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
        + " AS t(s, n, rs, st, re, id) WHERE r.scope = t.s AND r.name = t.n AND r.rse = t.rs"
        // 'skipped' only settles what is still pending: a replica that a whole-dataset action (ingest-files) has
        // ingested in the meantime keeps that state.
        + " AND (t.st <> 'skipped' OR r.state = 'pending')";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", all.stream().map(s -> s.key().scope()).toArray()));
      ps.setArray(2, c.createArrayOf("text", all.stream().map(s -> s.key().name()).toArray()));
      ps.setArray(3, c.createArrayOf("text", all.stream().map(s -> s.key().rse()).toArray()));
      ps.setArray(4, c.createArrayOf("text", all.stream().map(s -> s.state().label()).toArray()));
      ps.setArray(5, c.createArrayOf("text", all.stream().map(Settlement::reason).toArray()));
      ps.setArray(6, c.createArrayOf("text", all.stream()
          .map(s -> s.datasetId() == null ? null : s.datasetId().toString()).toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * Keeps these replicas pending, waiting for something that has not landed yet, with the reason; the first time a
   * replica waits is recorded ({@link #waitingSince}), a replay or a retry keeps it. One statement.
   */
  public void keepWaiting(List<Settlement> waiting) throws SQLException {
    Map<Key, Settlement> unique = new LinkedHashMap<>();
    waiting.forEach(s -> unique.put(s.key(), s));
    if (unique.isEmpty()) {
      return;
    }
    List<Settlement> all = List.copyOf(unique.values());
    String sql = "UPDATE " + schema + ".replica AS r SET state = 'pending', reason = t.re, dataset_id = NULL,"
        + " waiting_since = coalesce(r.waiting_since, now()), settled_at = now()"
        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS t(s, n, rs, re)"
        + " WHERE r.scope = t.s AND r.name = t.n AND r.rse = t.rs";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", all.stream().map(s -> s.key().scope()).toArray()));
      ps.setArray(2, c.createArrayOf("text", all.stream().map(s -> s.key().name()).toArray()));
      ps.setArray(3, c.createArrayOf("text", all.stream().map(s -> s.key().rse()).toArray()));
      ps.setArray(4, c.createArrayOf("text", all.stream().map(Settlement::reason).toArray()));
      ps.executeUpdate();
    }
  }

  /** Since when these replicas have been waiting ({@link #keepWaiting}), for those still pending that have waited. */
  public Map<Key, OffsetDateTime> waitingSince(Collection<Key> keys) throws SQLException {
    Map<Key, OffsetDateTime> since = new LinkedHashMap<>();
    if (keys.isEmpty()) {
      return since;
    }
    String sql = "SELECT scope, name, rse, waiting_since FROM " + schema + ".replica WHERE state = 'pending'"
        + " AND waiting_since IS NOT NULL AND (scope, name, rse) IN (SELECT * FROM unnest(?::text[], ?::text[],"
        + " ?::text[]))";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", keys.stream().map(Key::scope).toArray()));
      ps.setArray(2, c.createArrayOf("text", keys.stream().map(Key::name).toArray()));
      ps.setArray(3, c.createArrayOf("text", keys.stream().map(Key::rse).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          since.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)),
              rs.getObject(4, OffsetDateTime.class));
        }
      }
    }
    return since;
  }

  /** Pending replicas that are waiting ({@link #keepWaiting}), the longest-waiting first, at most {@code limit}. */
  public List<Entry> waiting(int limit) throws SQLException {
    String sql = "SELECT " + ENTRY_COLUMNS + " FROM " + schema + ".replica WHERE state = 'pending'"
        + " AND waiting_since IS NOT NULL ORDER BY waiting_since, scope, name LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      return readEntries(ps);
    }
  }

  /** How many pending replicas are waiting ({@link #keepWaiting}). */
  public long waitingCount() throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
        + schema + ".replica WHERE state = 'pending' AND waiting_since IS NOT NULL");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How many replicas are in each state. */
  public Map<State, Long> stateCounts() throws SQLException {
    Map<State, Long> counts = new EnumMap<>(State.class);
    for (State state : State.values()) {
      counts.put(state, 0L);
    }
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM " + schema + ".replica GROUP BY state");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.put(State.of(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }

  /** Pending replicas whose directory holds no replica named {@code indexName}: files waiting for their index. */
  public long waitingFor(String indexName) throws SQLException {
    String sql = "SELECT count(*) FROM " + schema + ".replica AS p WHERE p.state = 'pending' AND NOT EXISTS"
        + " (SELECT 1 FROM " + schema + ".replica AS i WHERE i.directory = p.directory AND i.pfn = i.directory || ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, indexName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<Entry> readEntries(PreparedStatement ps) throws SQLException {
    List<Entry> result = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(entry(rs));
      }
    }
    return result;
  }

  /** The entry in the current row of a result whose first columns are {@link #ENTRY_COLUMNS}. */
  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(new Key(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4),
        (Long) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        rs.getString(10), rs.getString(11), rs.getObject(12, OffsetDateTime.class), rs.getString(13),
        State.of(rs.getString(14)), rs.getString(15), rs.getObject(16, UUID.class));
  }

  private static String metadataJson(ReplicaEvent e) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (e.rubinButler() != null) {
      metadata.put("rubin_butler", e.rubinButler());
    }
    if (e.rubinSidecar() != null) {
      metadata.put("rubin_sidecar", e.rubinSidecar());
    }
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** A recorded replica. */
  public record Replica(String scope, String name, String rse, String pfn, Long bytes, String adler32,
                        String datasetScope, String datasetName, String source, OffsetDateTime firstSeen,
                        OffsetDateTime lastSeen) {
  }
}
