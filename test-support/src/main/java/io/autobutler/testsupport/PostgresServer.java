package io.autobutler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests, in this order of preference:
 * <ol>
 *   <li>the one named by {@code AUTOBUTLER_TEST_DB_URL} (a JDBC URL of any database on it, with
 *       {@code AUTOBUTLER_TEST_DB_USER} / {@code AUTOBUTLER_TEST_DB_PASSWORD});</li>
 *   <li>the machine's own server on 127.0.0.1:5432 when it accepts user {@code postgres};</li>
 *   <li>an embedded server (zonky binaries, PostgreSQL 17) started once per JVM.</li>
 * </ol>
 * Tests never share data: each asks for a database of its own with {@link #createDatabase(String)}.
 */
public final class PostgresServer {

  public static final String URL_ENV = "AUTOBUTLER_TEST_DB_URL";
  public static final String USER_ENV = "AUTOBUTLER_TEST_DB_USER";
  public static final String PASSWORD_ENV = "AUTOBUTLER_TEST_DB_PASSWORD";
  private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private static PostgresServer preferred;
  private static PostgresServer embedded;
  private static EmbeddedPostgres embeddedProcess;

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String kind;
  private final List<String> created = new ArrayList<>();

  private PostgresServer(String host, int port, String user, String password, String kind) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.kind = kind;
    if (!kind.equals("embedded")) {
      // A shared server outlives the test JVM: take this run's databases away again (see stopAll).
      Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreatedDatabases));
    }
  }

  /** The server tests use by default: the environment's, else the machine's, else an embedded one. */
  public static synchronized PostgresServer preferred() {
    if (preferred == null) {
      preferred = fromEnvironment();
      if (preferred == null) {
        preferred = localServer();
      }
      if (preferred == null) {
        preferred = embedded();
      }
    }
    return preferred;
  }

  /** Always the embedded server, so that the embedded path is exercised even where a local server exists. */
  public static synchronized PostgresServer embedded() {
    if (embedded == null) {
      try {
        embeddedProcess = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
      embedded = new PostgresServer("localhost", embeddedProcess.getPort(), "postgres", "postgres", "embedded");
      Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stopAll));
    }
    return embedded;
  }

  /** Drops the test databases created on a shared server and stops the embedded server; a later call is a no-op. */
  public static void stopAll() {
    PostgresServer shared;
    synchronized (PostgresServer.class) {
      shared = preferred;
    }
    if (shared != null && !shared.kind.equals("embedded")) {
      shared.dropCreatedDatabases();
    }
    EmbeddedPostgres process;
    synchronized (PostgresServer.class) {
      process = embeddedProcess;
      embeddedProcess = null;
      embedded = null;
      if (preferred != null && preferred.kind.equals("embedded")) {
        preferred = null;
      }
    }
    if (process != null) {
      try {
        process.close();
      } catch (IOException e) {
        System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
      }
    }
  }

  private static PostgresServer fromEnvironment() {
    String url = System.getenv(URL_ENV);
    if (url == null || url.isBlank()) {
      return null;
    }
    String user = System.getenv().getOrDefault(USER_ENV, "postgres");
    String password = System.getenv().getOrDefault(PASSWORD_ENV, "");
    java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
    return new PostgresServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, "environment");
  }

  private static PostgresServer localServer() {
    try (Connection ignored = DriverManager.getConnection(LOCAL_URL, "postgres", "postgres")) {
      return new PostgresServer("127.0.0.1", 5432, "postgres", "postgres", "local");
    } catch (SQLException e) {
      return null;
    }
  }

  /** Creates an empty database whose name starts with the given prefix, and returns where it is. */
  public TestDatabase createDatabase(String prefix) {
    String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    if (name.length() > 60) {
      name = name.substring(name.length() - 60);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
      synchronized (created) {
        created.add(name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + " on " + kind + " server", e);
    }
    return new TestDatabase(jdbcUrl(name), user, password, host, port, name);
  }

  private void dropCreatedDatabases() {
    List<String> names;
    synchronized (created) {
      names = List.copyOf(created);
      created.clear();
    }
    if (names.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
         Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
      }
    } catch (SQLException e) {
      System.err.println("could not drop test databases " + names + ": " + e.getMessage());
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Which server this is: {@code environment}, {@code local} or {@code embedded}. */
  public String kind() {
    return kind;
  }

  /** A database of its own for one test class. */
  public record TestDatabase(String jdbcUrl, String user, String password, String host, int port, String name) {

    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** A plain (unpooled) data source on this database. */
    public DataSource dataSource() {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl(jdbcUrl);
      dataSource.setUser(user);
      dataSource.setPassword(password);
      return dataSource;
    }
  }
}
