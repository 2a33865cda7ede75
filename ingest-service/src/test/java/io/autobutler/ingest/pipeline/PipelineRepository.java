package io.autobutler.ingest.pipeline;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;

/** The pipeline tests' target repository, and what they count in it. */
final class PipelineRepository {

  private PipelineRepository() {
  }

  /** The repository as catalog-service creates it, with LSSTComCam registered as register-instrument does. */
  static Registry withComCam(IndexSchema indexSchema, AgroalDataSource dataSource, RepositoryIndex repositories,
                             String jdbcUrl) {
    Registry registry = create(indexSchema, dataSource, repositories, jdbcUrl, ManifestResource.REPOSITORY,
        ManifestResource.MANIFEST);
    var comCam = Instruments.LSST_COM_CAM;
    registry.transaction(c -> {
      registry.dimensions().insert(c, "instrument", List.of(comCam.instrumentRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "detector", comCam.detectorRecords(), Mode.SYNC);
      registry.dimensions().insert(c, "physical_filter", comCam.physicalFilterRecords(), Mode.SYNC);
      return null;
    });
    return registry;
  }

  /** An empty repository as catalog-service creates it, its registry in the service's database. */
  static Registry create(IndexSchema indexSchema, AgroalDataSource dataSource, RepositoryIndex repositories,
                         String jdbcUrl, String name, String seedConfig) {
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
