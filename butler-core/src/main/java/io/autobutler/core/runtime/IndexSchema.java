package io.autobutler.core.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.registry.RegistryMigrations;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings the index schema to the latest version: at start-up, and again on first use if the database was not
 * reachable then, so that a service started before PostgreSQL still comes up (and reports it in readiness).
 * Flyway's lock lets several services migrate concurrently.
 */
@ApplicationScoped
public class IndexSchema {

  private static final Logger LOG = Logger.getLogger(IndexSchema.class);

  private final AgroalDataSource dataSource;
  private final RegistryConfig config;
  private volatile boolean ready;

  public IndexSchema(AgroalDataSource dataSource, RegistryConfig config) {
    this.dataSource = dataSource;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    try {
      ensure();
    } catch (RuntimeException e) {
      LOG.warnf("index schema %s not migrated yet (will retry on first use): %s", config.indexSchema(), e.getMessage());
    }
  }

  /** Migrates the index schema once per process; cheap after the first success. */
  public void ensure() {
    if (ready) {
      return;
    }
    synchronized (this) {
      if (!ready) {
        var result = RegistryMigrations.migrateIndex(dataSource, config.indexSchema());
        LOG.infof("index schema %s at version %s", config.indexSchema(), result.targetSchemaVersion == null
            ? "current" : result.targetSchemaVersion);
        ready = true;
      }
    }
  }
}
