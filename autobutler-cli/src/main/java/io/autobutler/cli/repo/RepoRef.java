package io.autobutler.cli.repo;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.autobutler.cli.CliException;

/**
 * The REPO argument of the butler commands, as autobutler reads it: which repository, and optionally which
 * catalog-service to ask.
 * <ul>
 *   <li>{@code ccms1}: the repository named so (its registry namespace), at the default catalog-service;</li>
 *   <li>{@code http://host:8083/ccms1} or {@code http://host:8083/api/repositories/ccms1}: a catalog-service URL
 *       ending in the repository name; that URL's {@code scheme://host:port} is the service address;</li>
 *   <li>any other URI or path, e.g. the {@code davs://…/butler/ccms1} that RTN-103 exports as {@code $REPO}:
 *       the repository named by its last segment, at the default catalog-service; the URI (a path made
 *       absolute) is the repository's root, which catalog-service may use for the datastore.</li>
 * </ul>
 *
 * @param name       the repository name
 * @param catalogUrl the catalog-service address given in REPO, if any
 * @param root       the repository root given in REPO, if REPO was a non-HTTP URI or a path
 */
public record RepoRef(String name, Optional<URI> catalogUrl, Optional<String> root) {

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

  public static RepoRef parse(String repo) {
    if (repo == null || repo.isBlank()) {
      throw new CliException("REPO is empty: give a repository name or a catalog-service URL ending in /<name>");
    }
    String value = repo.trim();
    if (SCHEME.matcher(value).matches()) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new CliException("REPO '" + repo + "' is not a valid URI: " + e.getMessage());
      }
      String name = lastSegment(uri.getPath() == null ? "" : uri.getPath(), repo);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("http") || scheme.equals("https")) {
        if (uri.getHost() == null) {
          throw new CliException("REPO '" + repo + "' has no host");
        }
        URI base = URI.create(scheme + "://" + uri.getRawAuthority());
        return new RepoRef(name, Optional.of(base), Optional.empty());
      }
      return new RepoRef(name, Optional.empty(), Optional.of(value));
    }
    String name = lastSegment(value, repo);
    if (value.indexOf('/') < 0) {
      return new RepoRef(name, Optional.empty(), Optional.empty());
    }
    return new RepoRef(name, Optional.empty(), Optional.of(Path.of(value).toAbsolutePath().normalize().toString()));
  }

  private static String lastSegment(String path, String repo) {
    String trimmed = path;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      throw new CliException("REPO '" + repo + "' does not end in a repository name");
    }
    if (name.chars().anyMatch(Character::isWhitespace)) {
      throw new CliException("repository name '" + name + "' contains white space");
    }
    return name;
  }

  /** The catalog-service to ask: the one named in REPO, else the configured one. */
  public URI catalog(URI configured) {
    return catalogUrl.orElse(configured);
  }
}
