package io.autobutler.cli.stack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.autobutler.cli.CliException;

/** A PostgreSQL JDBC URL, {@code jdbc:postgresql://host[:port]/database[?parameters]}, taken apart. */
public record JdbcUrl(String host, int port, String database, String parameters) {

  private static final Pattern FORM =
      Pattern.compile("jdbc:postgresql://(\\[[^\\]]+\\]|[^:/?]+)(?::(\\d+))?/([^?/]+)(?:\\?(.*))?");

  public static JdbcUrl parse(String url) {
    Matcher m = FORM.matcher(url.trim());
    if (!m.matches()) {
      throw new CliException("not a PostgreSQL JDBC URL: " + url
          + " (expected jdbc:postgresql://host:port/database)");
    }
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    return new JdbcUrl(m.group(1), port, m.group(3), m.group(4) == null ? "" : m.group(4));
  }

  /** The URL as services take it ({@code QUARKUS_DATASOURCE_JDBC_URL}). */
  public String jdbc() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + (parameters.isEmpty() ? "" : "?" + parameters);
  }

  /** The same server and parameters, another database (e.g. {@code postgres} to create the target one). */
  public JdbcUrl withDatabase(String otherDatabase) {
    return new JdbcUrl(host, port, otherDatabase, parameters);
  }

  public JdbcUrl withParameters(String otherParameters) {
    return new JdbcUrl(host, port, database, otherParameters);
  }

  public JdbcUrl withHostAndPort(String otherHost, int otherPort) {
    return new JdbcUrl(otherHost, otherPort, database, parameters);
  }

  /** The butler's form of the registry address, {@code postgresql://host:port/database}: never credentials. */
  public String display() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }
}
