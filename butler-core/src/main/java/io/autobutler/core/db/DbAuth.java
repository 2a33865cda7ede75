package io.autobutler.core.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Database credentials from a butler-style db-auth file: a YAML list of {@code {url, username, password}} where
 * {@code url} may use {@code *} in the host and database parts, e.g. {@code postgresql://*.in2p3.fr:6552/lsstprod}.
 * The first entry that matches wins, as in the butler. Passwords are kept out of every {@code toString}.
 */
public final class DbAuth {

  private final List<Entry> entries;

  private DbAuth(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static DbAuth empty() {
    return new DbAuth(List.of());
  }

  /** Reads a db-auth file; its problems are reported with the file name and the entry's position. */
  public static DbAuth load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the db-auth file " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("the db-auth file " + file + " must be a YAML list of {url, username, password}");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode node = root.get(i);
      if (!node.hasNonNull("url") || !node.hasNonNull("password")) {
        throw new IllegalArgumentException("entry " + (i + 1) + " of the db-auth file " + file
            + " needs at least 'url' and 'password'");
      }
      String url = node.get("url").asText();
      String username = node.hasNonNull("username") ? node.get("username").asText() : null;
      entries.add(Entry.of(url, username, node.get("password").asText()));
    }
    return new DbAuth(entries);
  }

  /** The credentials for a database, if an entry matches it. */
  public Optional<Credentials> find(DatabaseUrl url) {
    return entries.stream().filter(e -> e.matches(url)).findFirst()
        .map(e -> new Credentials(e.username != null ? e.username : url.user(), e.password));
  }

  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "DbAuth[" + entries.size() + " entries]";
  }

  /** A user name and password; the password never appears in {@code toString}. */
  public record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=****]";
    }
  }

  private record Entry(String scheme, String userPattern, Pattern host, Integer port, Pattern database,
                       String username, String password) {

    static Entry of(String url, String username, String password) {
      // Split by hand: '*' is not legal in a java.net.URI host.
      int schemeEnd = url.indexOf("://");
      if (schemeEnd < 0) {
        throw new IllegalArgumentException("db-auth url '" + url + "' has no scheme");
      }
      String scheme = url.substring(0, schemeEnd);
      String rest = url.substring(schemeEnd + 3);
      String userPattern = null;
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        userPattern = rest.substring(0, at);
        rest = rest.substring(at + 1);
      }
      String hostPort = rest;
      String database = null;
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        hostPort = rest.substring(0, slash);
        database = rest.substring(slash + 1);
      }
      Integer port = null;
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0) {
        port = Integer.valueOf(hostPort.substring(colon + 1));
        hostPort = hostPort.substring(0, colon);
      }
      return new Entry(scheme, userPattern, glob(hostPort), port,
          database == null || database.isEmpty() ? null : glob(database), username, password);
    }

    boolean matches(DatabaseUrl url) {
      return scheme.startsWith("postgres")
          && host.matcher(url.host()).matches()
          && (port == null || port == url.port())
          && (database == null || database.matcher(url.database()).matches())
          && (userPattern == null || userPattern.equals(url.user()));
    }

    private static Pattern glob(String text) {
      String regex = java.util.Arrays.stream(text.split("\\*", -1)).map(Pattern::quote)
          .collect(java.util.stream.Collectors.joining(".*"));
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }

    @Override
    public String toString() {
      return "Entry[" + scheme + "://" + host + "]";
    }
  }
}
