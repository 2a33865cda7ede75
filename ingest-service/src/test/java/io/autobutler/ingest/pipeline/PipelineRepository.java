package io.autobutler.ingest.pipeline;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;

/**
 * The pipeline tests' target repositories, made in the service's database as catalog-service makes them, and what
 * they count in them.
 */
@Singleton
class PipelineRepository {

  private final IndexSchema indexSchema;
  private final AgroalDataSource dataSource;
  private final RepositoryIndex repositories;
  private final String jdbcUrl;

  PipelineRepository(IndexSchema indexSchema, AgroalDataSource dataSource, RepositoryIndex repositories,
                     @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
    this.indexSchema = indexSchema;
    this.dataSource = dataSource;
    this.repositories = repositories;
    this.jdbcUrl = jdbcUrl;
  }

  /** The pipeline campaign's repository, with LSSTComCam registered as register-instrument does. */
  Registry withComCam() {
    return withComCam(ManifestResource.REPOSITORY, ManifestFileResource.text(ManifestResource.CAMPAIGN));
  }

  /** A repository with LSSTComCam registered as register-instrument does. */
  Registry withComCam(String name, String seedConfig) {
    Registry registry = create(name, seedConfig);
    Instruments.LSST_COM_CAM.register(registry);
    return registry;
  }

  /** An empty repository, its registry in the service's database. */
  Registry create(String name, String seedConfig) {
    indexSchema.ensure();
    RegistryMigrations.migrateRegistry(dataSource, name);
    if (repositories.find(name).isEmpty()) {
      repositories.add(new Repository(name, name, DatabaseUrl.parse(jdbcUrl).display(), name,
          "file:///var/tmp/" + name, null), seedConfig);
    }
    return new Registry(dataSource, name);
  }

  /** How many rows a registry table holds. */
  static long count(Registry registry, String table) {
    return registry.transaction(c -> {
      try (var ps = c.prepareStatement("SELECT count(*) FROM " + table); var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** How many ComCam raws the registry holds (other tests of the same repository ingest LSSTCam zips). */
  static long rawCount(Registry registry) {
    return registry.transaction(c -> {
      try (var ps = c.prepareStatement("SELECT count(*) FROM dataset d JOIN dataset_type t ON t.id = d.dataset_type_id"
          + " WHERE t.name = 'raw' AND d.instrument = 'LSSTComCam'"); var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** {@code query-datasets raw --collections LSSTComCam/raw/all --where "exposure.observation_type='science'"}. */
  static List<UUID> scienceIds(Registry registry) {
    DatasetQuery.Result result = registry.transaction(c -> new DatasetQuery().query(c, new DatasetQuery.Request(
        List.of("raw"), List.of(ComCamCampaign.RUN), "exposure.observation_type='science'", Map.of(), false, 0,
        false)));
    if (result.tables().isEmpty()) {
      return List.of();
    }
    int id = result.tables().get(0).headers().indexOf("id");
    return result.tables().get(0).rows().stream().map(row -> UUID.fromString(row.get(id))).toList();
  }
}
