package io.autobutler.catalog.service;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.db.RegistryDatabases;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.repository.SeedConfig;
import io.autobutler.core.runtime.IndexSchema;
import io.autobutler.core.runtime.RegistryConfig;

/** Creates repositories from butler seed configs, with the semantics of {@code butler create}, and describes them. */
@ApplicationScoped
public class RepositoryService {

  private static final Logger LOG = Logger.getLogger(RepositoryService.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final RegistryDatabases databases;
  private final RepositoryIndex index;
  private final IndexSchema indexSchema;
  private final RegistryConfig config;

  public RepositoryService(RegistryDatabases databases, RepositoryIndex index, IndexSchema indexSchema,
                           RegistryConfig config) {
    this.databases = databases;
    this.index = index;
    this.indexSchema = indexSchema;
    this.config = config;
  }

  /**
   * Creates repository {@code name}: its registry schema (namespace) in the seed's database, and its index entry.
   *
   * <p>As {@code butler create}: without {@code override} the datastore lives at the repository's root (the given
   * {@code root} URI, else the configured repository root joined with the name) whatever the seed says; with
   * {@code override} the seed's {@code datastore.root} is kept.
   */
  public Repository create(String name, String seedYaml, boolean override, String root) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid repository name: use letters, digits, '.',"
          + " '_' and '-', starting with a letter or digit, at most 128 characters");
    }
    SeedConfig seed = SeedConfig.parse(seedYaml);
    URI repositoryRoot = root != null && !root.isBlank() ? SeedConfig.parseRoot(root) : defaultRoot(name);
    URI datastoreRoot = override && seed.datastoreRoot() != null ? seed.datastoreRoot() : repositoryRoot;
    String datastoreName = seed.datastoreName() != null ? seed.datastoreName() : name;

    indexSchema.ensure();
    if (index.find(name).isPresent()) {
      throw new RepositoryIndex.RepositoryExistsException("repository '" + name + "' already exists");
    }
    DataSource registry = databases.forRegistry(seed.registryDb());
    if (schemaHoldsTables(registry, seed.namespace())) {
      throw new RepositoryIndex.RepositoryExistsException("namespace '" + seed.namespace() + "' of "
          + seed.registryDb().display() + " already holds tables; choose another namespace or drop that schema");
    }
    RegistryMigrations.migrateRegistry(registry, seed.namespace());
    Repository created = index.add(new Repository(name, seed.namespace(), seed.registryDb().display(), datastoreName,
        datastoreRoot.toString(), null), seedYaml);
    LOG.infof("created repository %s: registry %s namespace %s, datastore %s", name, created.registryDb(),
        created.namespace(), created.datastoreRoot());
    return created;
  }

  public List<Repository> list() {
    indexSchema.ensure();
    return index.list();
  }

  public Optional<Repository> find(String name) {
    indexSchema.ensure();
    return index.find(name);
  }

  private URI defaultRoot(String name) {
    String base = config.repositoryRoot();
    return SeedConfig.parseRoot(base.endsWith("/") ? base + name : base + "/" + name);
  }

  private static boolean schemaHoldsTables(DataSource dataSource, String schema) {
    String sql = "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot inspect namespace " + schema + ": " + e.getMessage(), e);
    }
  }
}
