package io.autobutler.ingest.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.db.RegistryDatabases;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;

/**
 * The registry of the repository the pipeline ingests into. The repository is created by catalog-service; until it
 * exists, {@link #registry()} fails and the batch waits (retried with backoff, readiness DOWN with the reason) rather
 * than dead-lettering anything.
 */
@ApplicationScoped
public class TargetRepository {

  private final CampaignRules rules;
  private final RepositoryIndex index;
  private final IndexSchema indexSchema;
  private final RegistryDatabases databases;
  private volatile Registry registry;
  private volatile Repository repository;

  public TargetRepository(CampaignRules rules, RepositoryIndex index, IndexSchema indexSchema,
                          RegistryDatabases databases) {
    this.rules = rules;
    this.index = index;
    this.indexSchema = indexSchema;
    this.databases = databases;
  }

  public Registry registry() {
    if (registry == null) {
      indexSchema.ensure();
      Repository found = index.find(rules.repository()).orElseThrow(() -> new NotCreatedYet("repository '"
          + rules.repository() + "' does not exist yet (create it with catalog-service); events wait for it"));
      repository = found;
      registry = new Registry(databases.forRegistry(DatabaseUrl.parse(found.registryDb())), found.namespace());
    }
    return registry;
  }

  /** The repository to ingest into does not exist yet: events wait for it. */
  public static final class NotCreatedYet extends IllegalStateException {
    NotCreatedYet(String message) {
      super(message);
    }
  }

  public String name() {
    return rules.repository();
  }
}
