package io.autobutler.cli.repo;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackToken;
import picocli.CommandLine.Option;

/**
 * Which catalog-service the butler commands talk to, and with which write token.
 * <ul>
 *   <li>address: the one in REPO if it is a catalog URL, else {@code --catalog-url}, else
 *       {@code AUTOBUTLER_CATALOG_URL}, else the local stack's (as {@code up} recorded it), else
 *       {@code http://127.0.0.1:8083};</li>
 *   <li>token: {@code --token}, else {@code AUTOBUTLER_TOKEN}, else the local stack's token file
 *       ({@code <state dir>/token}) — the latter only for a catalog-service on this machine, so that the local
 *       token is never sent elsewhere.</li>
 * </ul>
 */
public class CatalogOptions {

  public static final String TOKEN_ENV = "AUTOBUTLER_TOKEN";

  @Option(names = "--catalog-url", paramLabel = "URL",
      description = "catalog-service address (env " + CreateCommand.CATALOG_URL_ENV + "; default: the local stack's, "
          + CreateCommand.DEFAULT_CATALOG_URL + " unless 'up' moved it). A REPO that is a catalog URL wins.")
  URI catalogUrl;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "catalog-service write token (env " + TOKEN_ENV + "; default: the local stack's, in "
          + ".autobutler/token). Prefer the variable: options show in the process list.")
  String token;

  /** The client for that repository reference, with this command's environment and project folder. */
  public CatalogClient client(RepoRef ref, Map<String, String> env, Path projectRoot) {
    Path stateDir = StackConfig.stateDir(null, env, projectRoot);
    URI catalog = ref.catalog(configuredCatalog(catalogUrl, env, stateDir));
    return new CatalogClient(catalog, token(token, env, stateDir, catalog));
  }

  /**
   * {@code --catalog-url}, else {@code AUTOBUTLER_CATALOG_URL}, else the address the running local stack recorded,
   * else {@code http://127.0.0.1:8083}.
   */
  public static URI configuredCatalog(URI option, Map<String, String> env, Path stateDir) {
    if (option != null) {
      return option;
    }
    String fromEnv = env.get(CreateCommand.CATALOG_URL_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return URI.create(fromEnv.trim());
    }
    return URI.create(StackConfig.recordedCatalogUrl(stateDir).orElse(CreateCommand.DEFAULT_CATALOG_URL));
  }

  /** {@code --token}, else {@code AUTOBUTLER_TOKEN}, else the stack's token file when the catalog is local. */
  public static Optional<String> token(String option, Map<String, String> env, Path stateDir, URI catalog) {
    if (option != null && !option.isBlank()) {
      return Optional.of(option.strip());
    }
    String fromEnv = env.get(TOKEN_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.strip());
    }
    if (!isLocal(catalog)) {
      return Optional.empty();
    }
    try {
      return StackToken.read(StackToken.file(stateDir));
    } catch (RuntimeException e) {
      // an unreadable token file is as good as none: the service's 401 says what to do
      return Optional.empty();
    }
  }

  /** Whether the address is this machine (a loopback address or localhost). */
  static boolean isLocal(URI catalog) {
    String host = catalog.getHost();
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !(h.contains(":") && h.matches("[0-9a-f:.]+"))) {
      return false; // a name: never resolved here, so never trusted as local
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
