package io.autobutler.core.replica;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.registry.RegistryMigrations;

/**
 * The replicas ingest-service has been told about, one row per (scope, name, RSE). Recording is one statement per
 * batch (arrays unnested server-side) and idempotent: a replayed event only refreshes {@code last_seen}.
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

  /** Records a batch of replica events in one transaction; returns how many replicas were new. */
  public int record(List<ReplicaEvent> events) throws SQLException {
    // One row per key: ON CONFLICT cannot touch the same row twice in one statement.
    Map<String, ReplicaEvent> unique = new LinkedHashMap<>();
    for (ReplicaEvent e : events) {
      unique.put(e.scope() + '\u0000' + e.name() + '\u0000' + e.rse(), e);
    }
    if (unique.isEmpty()) {
      return 0;
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
        + " RETURNING (xmax = 0)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int column = 0; column < text.length; column++) {
        ps.setArray(column + 1, c.createArrayOf("text", text[column]));
      }
      Array bytesArray = c.createArrayOf("bigint", bytes);
      ps.setObject(text.length + 1, bytesArray, Types.ARRAY);
      int inserted = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(1)) {
            inserted++;
          }
        }
      }
      return inserted;
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

  /** How many replicas are recorded in all. */
  public long count() throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema + ".replica");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
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
