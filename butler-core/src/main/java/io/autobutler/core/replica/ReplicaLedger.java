package io.autobutler.core.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  /** What recording a batch found: how many replicas were new, and the entry of every replica of the batch. */
  public record Recorded(int added, List<Entry> entries) {
  }

  /**
   * Records a batch of replica events as pending in one statement and returns their entries with it (a replica
   * recorded earlier keeps its state).
   */
  public Recorded record(List<ReplicaEvent> events) throws SQLException {
    Collection<ReplicaEvent> unique = unique(events);
    if (unique.isEmpty()) {
      return new Recorded(0, List.of());
    }
    String sql = "INSERT INTO " + schema + ".replica"
        + " (scope, name, rse, pfn, adler32, dataset_scope, dataset_name, metadata, source, bytes)"
        + " SELECT s, n, r, p, a, ds, dn, m::jsonb, src, b FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS t(s, n, r, p, a, ds, dn, m, src, b)"
        + " ON CONFLICT (scope, name, rse) DO UPDATE SET last_seen = now(), pfn = EXCLUDED.pfn"
        + " RETURNING " + ENTRY_COLUMNS + ", (xmax = 0)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      setEventArrays(c, ps, 1, unique);
      int inserted = 0;
      List<Entry> entries = new ArrayList<>(unique.size());
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

  /**
   * What the ledger holds for a batch about to be processed: the entries of the batch's replicas recorded before
   * (by key), and, in the directories asked about, what earlier batches left there: their other pending replicas,
   * and which of those directories hold a replica named as asked (e.g. {@code _index.json}).
   */
  public record Before(Map<Key, Entry> recorded, List<Entry> pendingBefore, Set<String> holdingBefore) {
  }

  /**
   * Reads, in one statement, what {@link Before} says of a batch: a read, so that the batch is written once, with
   * what became of it ({@link #recordOutcome}). A directory whose files all come in this batch costs one index
   * probe and returns nothing.
   */
  public Before lookup(List<ReplicaEvent> events, Set<String> directories, String fileName) throws SQLException {
    Collection<ReplicaEvent> unique = unique(events);
    if (unique.isEmpty()) {
      return new Before(Map.of(), List.of(), Set.of());
    }
    String sql = "SELECT " + ENTRY_COLUMNS + ", true FROM " + schema + ".replica WHERE (scope, name, rse) IN"
        + " (SELECT * FROM unnest(?::text[], ?::text[], ?::text[]))"
        + " UNION ALL SELECT " + ENTRY_COLUMNS + ", false FROM " + schema + ".replica"
        + " WHERE directory = ANY (?) AND (state = 'pending' OR pfn = directory || ?)";
    Map<Key, Entry> recorded = new HashMap<>();
    Map<Key, Entry> around = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", unique.stream().map(ReplicaEvent::scope).toArray()));
      ps.setArray(2, c.createArrayOf("text", unique.stream().map(ReplicaEvent::name).toArray()));
      ps.setArray(3, c.createArrayOf("text", unique.stream().map(ReplicaEvent::rse).toArray()));
      ps.setArray(4, c.createArrayOf("text", directories.toArray()));
      ps.setString(5, fileName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Entry entry = entry(rs);
          (rs.getBoolean(ENTRY_COLUMN_COUNT + 1) ? recorded : around).put(entry.key(), entry);
        }
      }
    }
    List<Entry> pendingBefore = new ArrayList<>();
    Set<String> holdingBefore = new HashSet<>();
    for (Entry e : around.values()) {
      if (recorded.containsKey(e.key())) {
        continue; // the batch's own
      }
      if (e.pfn().equals(e.directory() + fileName)) {
        holdingBefore.add(e.directory());
      }
      if (e.state() == State.PENDING) {
        pendingBefore.add(e);
      }
    }
    return new Before(recorded, pendingBefore, holdingBefore);
  }

  /**
   * Records a batch with what became of its replicas, in one statement, so that a replica is written once rather
   * than recorded and then settled: a replica {@code settled} gets that state (a {@code skipped} one only if it is
   * new or still pending), one {@code waiting} stays pending with the reason and the time it started waiting, and
   * one with neither is recorded as pending if new and otherwise keeps its state. Returns how many were new.
   */
  public int recordOutcome(List<ReplicaEvent> events, Map<Key, Settlement> settled, Map<Key, Settlement> waiting)
      throws SQLException {
    Collection<ReplicaEvent> unique = unique(events);
    if (unique.isEmpty()) {
      return 0;
    }
    int n = unique.size();
    String[] states = new String[n];
    String[] reasons = new String[n];
    String[] ids = new String[n];
    Boolean[] decided = new Boolean[n];
    Boolean[] waits = new Boolean[n];
    int i = 0;
    for (ReplicaEvent e : unique) {
      Key key = Key.of(e);
      Settlement s = settled.get(key);
      Settlement w = s == null ? waiting.get(key) : null;
      states[i] = s != null ? s.state().label() : State.PENDING.label();
      reasons[i] = s != null ? s.reason() : w != null ? w.reason() : null;
      ids[i] = s != null && s.datasetId() != null ? s.datasetId().toString() : null;
      decided[i] = s != null || w != null;
      waits[i] = w != null;
      i++;
    }
    // r is the row as it was; EXCLUDED the batch's: its settled_at is set only when something was decided.
    String keep = "EXCLUDED.settled_at IS NULL OR (EXCLUDED.state = 'skipped' AND r.state <> 'pending')";
    String sql = "WITH written AS (INSERT INTO " + schema + ".replica AS r"
        + " (scope, name, rse, pfn, adler32, dataset_scope, dataset_name, metadata, source, bytes, state, reason,"
        + " dataset_id, settled_at, waiting_since)"
        + " SELECT s, n, rs, p, a, ds, dn, m::jsonb, src, b, st, re, id::uuid,"
        + " CASE WHEN dec THEN now() END, CASE WHEN w THEN now() END"
        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::boolean[])"
        + " AS t(s, n, rs, p, a, ds, dn, m, src, b, st, re, id, dec, w)"
        + " ON CONFLICT (scope, name, rse) DO UPDATE SET last_seen = now(), pfn = EXCLUDED.pfn,"
        + " state = CASE WHEN " + keep + " THEN r.state ELSE EXCLUDED.state END,"
        + " reason = CASE WHEN " + keep + " THEN r.reason ELSE EXCLUDED.reason END,"
        + " dataset_id = CASE WHEN " + keep + " THEN r.dataset_id ELSE EXCLUDED.dataset_id END,"
        + " settled_at = CASE WHEN " + keep + " THEN r.settled_at ELSE EXCLUDED.settled_at END,"
        + " waiting_since = CASE WHEN EXCLUDED.waiting_since IS NOT NULL"
        + " THEN coalesce(r.waiting_since, EXCLUDED.waiting_since) ELSE r.waiting_since END"
        + " RETURNING (xmax = 0) AS added) SELECT count(*) FILTER (WHERE added) FROM written";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int next = setEventArrays(c, ps, 1, unique);
      ps.setArray(next, c.createArrayOf("text", states));
      ps.setArray(next + 1, c.createArrayOf("text", reasons));
      ps.setArray(next + 2, c.createArrayOf("text", ids));
      ps.setArray(next + 3, c.createArrayOf("boolean", decided));
      ps.setArray(next + 4, c.createArrayOf("boolean", waits));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The events with one per replica (the last one wins): a statement cannot touch the same row twice. */
  private static Collection<ReplicaEvent> unique(List<ReplicaEvent> events) {
    Map<Key, ReplicaEvent> unique = new LinkedHashMap<>();
    for (ReplicaEvent e : events) {
      unique.put(Key.of(e), e);
    }
    return unique.values();
  }

  /**
   * Binds the ten arrays of an event's recorded columns (scope, name, rse, pfn, adler32, dataset scope and name,
   * metadata, source, bytes) from parameter {@code first} on; returns the next parameter's index.
   */
  private static int setEventArrays(Connection c, PreparedStatement ps, int first, Collection<ReplicaEvent> events)
      throws SQLException {
    int n = events.size();
    String[][] text = new String[9][n];
    Long[] bytes = new Long[n];
    int i = 0;
    for (ReplicaEvent e : events) {
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
    for (int column = 0; column < text.length; column++) {
      ps.setArray(first + column, c.createArrayOf("text", text[column]));
    }
    ps.setObject(first + text.length, c.createArrayOf("bigint", bytes), Types.ARRAY);
    return first + text.length + 1;
  }

  /** The directory a PFN lies in, with its trailing {@code /}: as the ledger's {@code directory} column has it. */
  public static String directoryOf(String pfn) {
    return pfn.substring(0, pfn.lastIndexOf('/') + 1);
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

    public static Key of(ReplicaEvent event) {
      return new Key(event.scope(), event.name(), event.rse());
    }
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

    /** The entry of a replica first seen in this event, as {@link #recordOutcome} records it: pending. */
    public static Entry of(ReplicaEvent e) {
      return new Entry(Key.of(e), e.pfn(), e.bytes(), e.adler32(), e.datasetScope(), e.datasetName(),
          e.rubinButler(), e.rubinSidecar(), e.source() == null ? "unknown" : e.source(),
          (e.observedAt() == null ? java.time.Instant.now() : e.observedAt()).atOffset(java.time.ZoneOffset.UTC),
          directoryOf(e.pfn()), State.PENDING, null, null);
    }

    /** This entry with the PFN a later event gives (recording a replica again keeps the latest PFN). */
    public Entry withPfn(String newPfn) {
      return newPfn.equals(pfn) ? this : new Entry(key, newPfn, bytes, adler32, datasetScope, datasetName,
          rubinButler, rubinSidecar, source, firstSeen, directoryOf(newPfn), state, reason, datasetId);
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
