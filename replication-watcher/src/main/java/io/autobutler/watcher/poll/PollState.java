package io.autobutler.watcher.poll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.autobutler.watcher.rucio.Did;

/** The poll's persisted state: its cursor per RSE and the datasets it has listed in full once. */
final class PollState {

  /** The cursor: replicas updated after {@code updatedAfter}; when the last full listing was. */
  record Cursor(Instant updatedAfter, Instant lastFullListing) {
  }

  private final DataSource dataSource;
  private final String schema;
  private final String rse;

  PollState(DataSource dataSource, String schema, String rse) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.rse = rse;
  }

  Optional<Cursor> cursor() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT updated_after, last_full_listing FROM " + schema
             + ".poll_cursor WHERE rse = ?")) {
      s.setString(1, rse);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Cursor(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the poll cursor: " + e.getMessage(), e);
    }
  }

  /** Saves the cursor and the datasets listed in full, together: a restart resumes from exactly this point. */
  void advance(Cursor cursor, List<Did> listedInFull) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".poll_cursor (rse, updated_after,"
          + " last_full_listing) VALUES (?, ?, ?) ON CONFLICT (rse) DO UPDATE SET updated_after = excluded.updated_after,"
          + " last_full_listing = excluded.last_full_listing");
           PreparedStatement known = c.prepareStatement("INSERT INTO " + schema + ".known_datasets (scope, name, rse)"
               + " SELECT u.*, ? FROM unnest(?::text[], ?::text[]) AS u ON CONFLICT DO NOTHING")) {
        s.setString(1, rse);
        s.setTimestamp(2, Timestamp.from(cursor.updatedAfter()));
        s.setTimestamp(3, Timestamp.from(cursor.lastFullListing()));
        s.executeUpdate();
        if (!listedInFull.isEmpty()) {
          known.setString(1, rse);
          known.setArray(2, c.createArrayOf("text", listedInFull.stream().map(Did::scope).toArray()));
          known.setArray(3, c.createArrayOf("text", listedInFull.stream().map(Did::name).toArray()));
          known.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot save the poll cursor: " + e.getMessage(), e);
    }
  }

  Set<Did> knownDatasets() {
    Set<Did> known = new HashSet<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT scope, name FROM " + schema
             + ".known_datasets WHERE rse = ?")) {
      s.setString(1, rse);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          known.add(new Did(rs.getString(1), rs.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the known datasets: " + e.getMessage(), e);
    }
    return known;
  }
}
