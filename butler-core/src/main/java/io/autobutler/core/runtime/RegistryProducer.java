package io.autobutler.core.runtime;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.db.DbAuth;
import io.autobutler.core.db.RegistryDatabases;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.repository.RepositoryIndex;

/** Builds the registry access objects of butler-core from the services' datasource and configuration. */
@ApplicationScoped
public class RegistryProducer {

  @Produces
  @Singleton
  RegistryDatabases registryDatabases(AgroalDataSource dataSource, RegistryConfig config,
                                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                                      @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres")
                                      String username) {
    String authFile = config.dbAuthFile().orElse(System.getenv("LSST_DB_AUTH"));
    DbAuth dbAuth = authFile == null || authFile.isBlank() ? DbAuth.empty() : DbAuth.load(Path.of(authFile));
    return new RegistryDatabases(DatabaseUrl.parse(jdbcUrl), dataSource, dbAuth, username);
  }

  void close(@Disposes RegistryDatabases databases) {
    databases.close();
  }

  @Produces
  @Singleton
  RepositoryIndex repositoryIndex(AgroalDataSource dataSource, RegistryConfig config) {
    return new RepositoryIndex(dataSource, config.indexSchema());
  }

  @Produces
  @Singleton
  ReplicaLedger replicaLedger(AgroalDataSource dataSource, RegistryConfig config) {
    return new ReplicaLedger(dataSource, config.indexSchema());
  }
}
