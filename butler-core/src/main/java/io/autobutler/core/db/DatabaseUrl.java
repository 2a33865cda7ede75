package io.autobutler.core.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A registry database location as the butler writes it ({@code postgresql://[user@]host[:port]/database}, an
 * SQLAlchemy URL, optionally {@code postgresql+driver://}) or as JDBC does ({@code jdbc:postgresql://…}).
 * A password inside the URL is refused: credentials belong in configuration or the db-auth file.
 */
public record DatabaseUrl(String user, String host, int port, String database) {

  public static final int DEFAULT_PORT = 5432;

  /** Parses a butler or JDBC PostgreSQL URL; the message of the exception says what is wrong with it. */
  public static DatabaseUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the database URL is empty");
    }
    String url = text.strip();
    if (url.startsWith("jdbc:")) {
      url = url.substring("jdbc:".length());
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid database URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.startsWith("postgresql+") && !scheme.equals("postgres")) {
      throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL URL: the registry needs"
          + " postgresql://host[:port]/database (got scheme '" + scheme + "')");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("'" + text + "' has no host: expected postgresql://host[:port]/database");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isBlank() || database.contains("/")) {
      throw new IllegalArgumentException("'" + text + "' names no database: expected postgresql://host[:port]/database");
    }
    String user = null;
    if (uri.getUserInfo() != null) {
      if (uri.getUserInfo().contains(":")) {
        throw new IllegalArgumentException("the database URL must not contain a password; put the credentials in"
            + " the db-auth file or the service configuration");
      }
      user = uri.getUserInfo();
    }
    return new DatabaseUrl(user, uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database);
  }

  /** The JDBC URL, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The form shown to people: {@code postgresql://host:port/database}, never with credentials. */
  public String display() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }

  /** Same server and database, whoever connects. */
  public boolean sameDatabase(DatabaseUrl other) {
    return other != null && normalHost(host).equals(normalHost(other.host)) && port == other.port
        && database.equals(other.database);
  }

  private static String normalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") ? "127.0.0.1" : h;
  }

  @Override
  public String toString() {
    return display();
  }
}
