package io.autobutler.core.skymap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.autobutler.core.db.CopyRows;
import io.autobutler.core.transfer.Region;

/**
 * Writes a skymap's {@code tract} and {@code patch} records with their regions, on the caller's connection and
 * inside its transaction, with PostgreSQL's {@code COPY}: lsst_cells_v1 has 18,938 tracts and 1,893,800 patches,
 * too many for row-by-row inserts. Rows are computed and streamed tract by tract; nothing is held in memory.
 *
 * <p>Idempotent: a skymap whose tracts and patches are all there is left alone (only two counts are read). When
 * none is there (a new skymap, or one registered before regions were written), the rows are copied straight into the
 * tables. When some are there already (e.g. tracts an export file brought in), every row goes through a temporary
 * table and only the missing ones are inserted; existing rows are kept as they are, as {@code butler import} keeps
 * existing dimension records.
 */
public final class TractPatchLoader {

  /** Bytes sent per {@code COPY} write. */
  private static final int CHUNK_BYTES = 1 << 20;

  private static final String TRACT_COLUMNS = "skymap, id, region";
  private static final String PATCH_COLUMNS = "skymap, tract, id, cell_x, cell_y, region";

  /** What a load inserted. */
  public record Loaded(long tracts, long patches) {
    public boolean nothing() {
      return tracts == 0 && patches == 0;
    }
  }

  private TractPatchLoader() {
  }

  /** Writes whatever tract and patch records of the skymap are missing; the skymap record must exist. */
  public static Loaded load(Connection c, SkyMapDefinition skymap) throws SQLException {
    String name = skymap.config().name();
    long existingTracts = count(c, "SELECT count(*) FROM tract WHERE skymap = ?", name);
    long existingPatches = count(c, "SELECT count(*) FROM patch WHERE skymap = ?", name);
    if (existingTracts == skymap.tractCount() && existingPatches == skymap.patchCount()) {
      return new Loaded(0, 0);
    }
    boolean staged = existingTracts > 0 || existingPatches > 0;
    String tractTable = staged ? stagingTable(c, "tract") : "tract";
    String patchTable = staged ? stagingTable(c, "patch") : "patch";
    long tracts = copy(c, "COPY " + tractTable + " (" + TRACT_COLUMNS + ") FROM STDIN", skymap, false);
    long patches = copy(c, "COPY " + patchTable + " (" + PATCH_COLUMNS + ") FROM STDIN", skymap, true);
    if (staged) {
      tracts = insertMissing(c, "tract", tractTable, TRACT_COLUMNS);
      patches = insertMissing(c, "patch", patchTable, PATCH_COLUMNS);
    }
    return new Loaded(tracts, patches);
  }

  /** Streams the rows of every tract (or of every patch) into one {@code COPY}; returns the rows copied. */
  private static long copy(Connection c, String sql, SkyMapDefinition skymap, boolean patches) throws SQLException {
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      String name = CopyRows.escape(skymap.config().name());
      ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES + 4096);
      StringBuilder row = new StringBuilder(256);
      for (int id = 0; id < skymap.tractCount(); id++) {
        TractGeometry tract = skymap.tract(id);
        if (!patches) {
          row.setLength(0);
          row.append(name).append('\t').append(id).append('\t')
              .append(Region.of(tract.outerRegion()).base64()).append('\n');
          chunk.writeBytes(row.toString().getBytes(StandardCharsets.UTF_8));
        } else {
          for (int y = 0; y < tract.numPatchesY(); y++) {
            for (int x = 0; x < tract.numPatchesX(); x++) {
              row.setLength(0);
              row.append(name).append('\t').append(id).append('\t').append(tract.sequentialPatchIndex(x, y))
                  .append('\t').append(x).append('\t').append(y).append('\t')
                  .append(Region.of(tract.patchOuterRegion(x, y)).base64()).append('\n');
              chunk.writeBytes(row.toString().getBytes(StandardCharsets.UTF_8));
            }
          }
        }
        if (chunk.size() >= CHUNK_BYTES) {
          copy.writeToCopy(chunk.toByteArray(), 0, chunk.size());
          chunk.reset();
        }
      }
      if (chunk.size() > 0) {
        copy.writeToCopy(chunk.toByteArray(), 0, chunk.size());
      }
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** A temporary table shaped like {@code table}, dropped at commit. */
  private static String stagingTable(Connection c, String table) throws SQLException {
    String staging = table + "_skymap_load";
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMPORARY TABLE " + staging + " (LIKE " + table + ") ON COMMIT DROP");
    }
    return staging;
  }

  private static long insertMissing(Connection c, String table, String staging, String columns) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeLargeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + staging
          + " ON CONFLICT DO NOTHING");
    }
  }

  private static long count(Connection c, String sql, String skymap) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, skymap);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
