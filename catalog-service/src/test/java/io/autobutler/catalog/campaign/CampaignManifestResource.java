package io.autobutler.catalog.campaign;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.manifest.ManifestReader;
import io.autobutler.testsupport.PostgresResource;

/**
 * A database of the test's own and a small campaign manifest whose repository lives in it, written with the skymap
 * config it names to a temporary folder and configured as catalog-service's: LSSTComCam, a small skymap, curated
 * calibrations, a refcat dataset type, a chain of two RUNs nested in a defaults chain, and a tagged selection.
 */
public class CampaignManifestResource extends PostgresResource {

  static final String REPOSITORY = "converged";
  static final String DATASET_TYPE = "the_monster_20240904";
  static final String MANIFEST = """
      manifest-version: 1
      name: converge-test
      repository:
        name: converged
        override: true
        seed:
          datastore: {name: converged, root: 'file:///var/tmp/converged'}
          registry: {db: '%s', namespace: converged}
      rucio: {rse: TEST_RAW_DISK, scopes: [raw]}
      setup:
        instruments: [lsst.obs.lsst.LsstComCam]
        skymaps:
          - config-file: rings4.skymap.config
        curated-calibrations:
          - {instrument: lsst.obs.lsst.LsstComCam, label: DM-48650}
        dataset-types:
          - {name: the_monster_20240904, storage-class: SimpleCatalog, dimensions: [htm7]}
      rules:
        - name: comcam-raws
          match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}
          action: ingest-raws
          instrument: LSSTComCam
      # The parent is declared before its nested chain: convergence must order them itself.
      chains:
        - name: LSSTComCam/defaults
          children: [LSSTComCam/calib/DM-48650, refcats, bright/refcats, skymaps]
        - name: refcats
          children: [refcats/a, refcats/b]
      tagged:
        - name: bright/refcats
          dataset-type: the_monster_20240904
          collections: ['refcats/*']
          where: htm7 >= 200
      """;

  /** Init argument: the registry lives in another database of the same server, named as the test's plus this. */
  static final String REGISTRY_SUFFIX = "registry-database-suffix";

  private String registrySuffix = "";

  @Override
  public void init(Map<String, String> initArgs) {
    registrySuffix = initArgs.getOrDefault(REGISTRY_SUFFIX, "");
    Map<String, String> args = new HashMap<>(initArgs);
    args.putIfAbsent("prefix", "catalog_campaign");
    super.init(args);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    String registryDb = DatabaseUrl.parse(config.get("quarkus.datasource.jdbc.url")).display() + registrySuffix;
    try {
      Path directory = Files.createTempDirectory("campaign-manifest");
      try (InputStream skymap = CampaignManifestResource.class.getResourceAsStream("/campaign/rings4.skymap.config")) {
        Files.copy(skymap, directory.resolve("rings4.skymap.config"));
      }
      Path manifest = directory.resolve("manifest.yaml");
      Files.writeString(manifest, MANIFEST.formatted(registryDb));
      ManifestReader.read(manifest);
      config.put("autobutler.catalog.manifest", manifest.toString());
      config.put("autobutler.catalog.converge-spacing", "1s");
      // No periodic pass: every pass after start-up is one the test caused.
      config.put("autobutler.catalog.full-pass-interval", "0s");
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
