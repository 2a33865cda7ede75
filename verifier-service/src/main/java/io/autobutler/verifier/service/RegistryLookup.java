package io.autobutler.verifier.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.db.RegistryDatabases;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;

/** Repositories by name (the index) and their registries, which the verifier only reads. */
@ApplicationScoped
public class RegistryLookup {

  private final RepositoryIndex index;
  private final RegistryDatabases databases;
  private final IndexSchema indexSchema;
  private final Map<String, Registry> registries = new ConcurrentHashMap<>();

  public RegistryLookup(RepositoryIndex index, RegistryDatabases databases, IndexSchema indexSchema) {
    this.index = index;
    this.databases = databases;
    this.indexSchema = indexSchema;
  }

  public Optional<Repository> find(String name) {
    indexSchema.ensure();
    return index.find(name);
  }

  public Registry registry(Repository repository) {
    return registries.computeIfAbsent(repository.name(), n -> new Registry(
        databases.forRegistry(DatabaseUrl.parse(repository.registryDb())), repository.namespace()));
  }
}
