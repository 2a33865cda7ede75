package io.autobutler.cli.stack;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * Where the local stack lives and listens. Every option falls back to its environment variable, then to what
 * the running stack recorded when it was started ({@code .autobutler/run/stack.properties}), then to the default.
 */
public class StackOptions {

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Folder of the stack's logs, pid files and data (env AUTOBUTLER_STATE_DIR; "
          + "default: .autobutler in the project folder).")
  Path stateDir;

  @Option(names = "--kafka-port", paramLabel = "PORT",
      description = "Kafka broker port on 127.0.0.1 (env AUTOBUTLER_KAFKA_PORT; default 9092).")
  Integer kafkaPort;

  @Option(names = "--kafka-controller-port", paramLabel = "PORT",
      description = "Kafka KRaft controller port on 127.0.0.1 (env AUTOBUTLER_KAFKA_CONTROLLER_PORT; default 9093).")
  Integer kafkaControllerPort;

  @Option(names = "--watcher-port", paramLabel = "PORT",
      description = "replication-watcher HTTP port (env AUTOBUTLER_WATCHER_PORT; default 8081).")
  Integer watcherPort;

  @Option(names = "--ingest-port", paramLabel = "PORT",
      description = "ingest-service HTTP port (env AUTOBUTLER_INGEST_PORT; default 8082).")
  Integer ingestPort;

  @Option(names = "--catalog-port", paramLabel = "PORT",
      description = "catalog-service HTTP port (env AUTOBUTLER_CATALOG_PORT; default 8083).")
  Integer catalogPort;

  @Option(names = "--verifier-port", paramLabel = "PORT",
      description = "verifier-service HTTP port (env AUTOBUTLER_VERIFIER_PORT; default 8084).")
  Integer verifierPort;

  @Option(names = "--simulator-port", paramLabel = "PORT",
      description = "Rucio simulator HTTP port, when the stack runs one (./autobutler demo) (env "
          + "AUTOBUTLER_SIMULATOR_PORT; default 8085).")
  Integer simulatorPort;

  @Option(names = "--db-url", paramLabel = "JDBC_URL",
      description = "PostgreSQL registry database (env AUTOBUTLER_DB_URL; "
          + "default jdbc:postgresql://127.0.0.1:5432/autobutler). Created when missing.")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER",
      description = "PostgreSQL user (env AUTOBUTLER_DB_USER; default postgres).")
  String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD",
      description = "PostgreSQL password (env AUTOBUTLER_DB_PASSWORD; default postgres). Never printed.")
  String dbPassword;

  @Option(names = "--postgres", paramLabel = "MODE",
      description = "Which PostgreSQL to use: auto (the server at --db-url when it answers, else an embedded one), "
          + "server, or embedded (env AUTOBUTLER_POSTGRES; default auto).")
  PostgresMode postgresMode;

  @Option(names = "--embedded-postgres-port", paramLabel = "PORT",
      description = "Port of the embedded PostgreSQL, when one is started (env AUTOBUTLER_EMBEDDED_POSTGRES_PORT; "
          + "default 55432).")
  Integer embeddedPostgresPort;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long 'up' waits for each part to become ready (env AUTOBUTLER_TIMEOUT; default 120).")
  Integer timeoutSeconds;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Campaign manifest the services converge the repository to: ingest-service ingests the replicas "
          + "its rules take (env AUTOBUTLER_MANIFEST; default none: replicas are only recorded). Checked before "
          + "anything starts.")
  Path manifest;

  Integer servicePort(Service service) {
    return switch (service) {
      case REPLICATION_WATCHER -> watcherPort;
      case INGEST_SERVICE -> ingestPort;
      case CATALOG_SERVICE -> catalogPort;
      case VERIFIER_SERVICE -> verifierPort;
    };
  }
}
