package io.autobutler.cli.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.autobutler.cli.CliException;

/** A PostgreSQL server as the stack sees it: is it there, can we log in, does the registry database exist. */
public record PostgresServer(JdbcUrl url, String user, String password) {

  /** What a connection attempt to the registry database found. */
  public enum Probe {
    /** Logged in to the registry database. */
    UP,
    /** The server answers and accepts us, but the database does not exist yet. */
    DATABASE_MISSING,
    /** The server answers and refuses the user or password. */
    LOGIN_REFUSED,
    /** Nothing answers at that address. */
    UNREACHABLE,
    /** The server answers but fails otherwise (starting up, too many connections…). */
    ERROR
  }

  public Probe probe() {
    try (Connection ignored = connect(url)) {
      return Probe.UP;
    } catch (SQLException e) {
      return classify(e);
    }
  }

  static Probe classify(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("3D000")) {
      return Probe.DATABASE_MISSING;
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return Probe.LOGIN_REFUSED;
    }
    if (state.startsWith("08")) {
      return Probe.UNREACHABLE;
    }
    return Probe.ERROR;
  }

  /** Creates the registry database when it does not exist (from the server's {@code postgres} database). */
  public boolean ensureDatabase() {
    Probe probe = probe();
    if (probe == Probe.UP) {
      return false;
    }
    if (probe != Probe.DATABASE_MISSING) {
      throw new CliException("cannot use PostgreSQL at " + url.display() + " as " + user + ": " + probe);
    }
    try (Connection c = connect(url.withDatabase("postgres"))) {
      try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, url.database());
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE \"" + url.database().replace("\"", "\"\"") + "\"");
      }
      return true;
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return false; // created meanwhile by someone else
      }
      throw new CliException("cannot create database " + url.database() + " on " + url.display() + " as " + user
          + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(JdbcUrl target) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "3");
    props.setProperty("loginTimeout", "5");
    props.setProperty("socketTimeout", "30");
    props.setProperty("ApplicationName", "autobutler-cli");
    return DriverManager.getConnection(target.jdbc(), props);
  }
}
