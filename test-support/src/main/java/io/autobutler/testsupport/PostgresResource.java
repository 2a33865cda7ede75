package io.autobutler.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test class a database of its own on a real PostgreSQL server. With the init argument
 * {@code server=embedded} it always uses the embedded server.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  private String serverChoice = "preferred";
  private String prefix = "test";

  @Override
  public void init(Map<String, String> initArgs) {
    serverChoice = initArgs.getOrDefault("server", serverChoice);
    prefix = initArgs.getOrDefault("prefix", prefix);
  }

  @Override
  public Map<String, String> start() {
    PostgresServer server = "embedded".equals(serverChoice) ? PostgresServer.embedded() : PostgresServer.preferred();
    PostgresServer.TestDatabase db = server.createDatabase(prefix);
    return Map.of(
        "quarkus.datasource.jdbc.url", db.jdbcUrl(),
        "quarkus.datasource.username", db.user(),
        "quarkus.datasource.password", db.password(),
        "autobutler.test.database-server", server.kind());
  }

  @Override
  public void stop() {
    // The database stays behind for inspection; its name is unique and nothing reuses it.
  }
}
