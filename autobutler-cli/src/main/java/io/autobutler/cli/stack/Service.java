package io.autobutler.cli.stack;

import java.nio.file.Path;

/** The four autobutler services the local stack runs, each on a fixed HTTP port by default. */
public enum Service {
  REPLICATION_WATCHER("replication-watcher", "watcher", 8081),
  INGEST_SERVICE("ingest-service", "ingest", 8082),
  CATALOG_SERVICE("catalog-service", "catalog", 8083),
  VERIFIER_SERVICE("verifier-service", "verifier", 8084);

  private final String moduleName;
  private final String key;
  private final int defaultPort;

  Service(String moduleName, String key, int defaultPort) {
    this.moduleName = moduleName;
    this.key = key;
    this.defaultPort = defaultPort;
  }

  /** The Maven module and process name, e.g. {@code catalog-service}. */
  public String moduleName() {
    return moduleName;
  }

  /** The short name in options and variables: {@code --catalog-port}, {@code AUTOBUTLER_CATALOG_PORT}. */
  public String key() {
    return key;
  }

  public int defaultPort() {
    return defaultPort;
  }

  public String portEnv() {
    return "AUTOBUTLER_" + key.toUpperCase(java.util.Locale.ROOT) + "_PORT";
  }

  /** The runnable jar of the service in a built project. */
  public Path jar(Path projectRoot) {
    return projectRoot.resolve(moduleName).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
  }
}
