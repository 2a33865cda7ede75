package io.autobutler.catalog.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.db.RegistryDatabases;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;

/** The registry of a repository, by the repository's name. */
@ApplicationScoped
public class RegistryLookup {

  private final RepositoryService repositories;
  private final RegistryDatabases databases;
  private final Map<String, Registry> registries = new ConcurrentHashMap<>();

  public RegistryLookup(RepositoryService repositories, RegistryDatabases databases) {
    this.repositories = repositories;
    this.databases = databases;
  }

  public Registry registry(String repositoryName) {
    Registry cached = registries.get(repositoryName);
    if (cached != null) {
      return cached;
    }
    Repository repository = repositories.find(repositoryName)
        .orElseThrow(() -> new NotFoundException("no repository named '" + repositoryName + "'"));
    Registry registry = new Registry(databases.forRegistry(DatabaseUrl.parse(repository.registryDb())),
        repository.namespace());
    registries.put(repositoryName, registry);
    return registry;
  }
}
