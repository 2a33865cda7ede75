package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.autobutler.core.manifest.ManifestReader;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A campaign manifest for the pipeline tests, written to a temporary folder and configured as the service's. */
public class ManifestResource implements QuarkusTestResourceLifecycleManager {

  static final String REPOSITORY = "pipeline";
  static final String MANIFEST = """
      manifest-version: 1
      name: pipeline-test
      repository:
        name: pipeline
        seed:
          datastore: {name: pipeline, root: 'file:///var/tmp/pipeline'}
          registry: {db: 'postgresql://localhost:5432/autobutler', namespace: pipeline}
      rucio: {rse: TEST_RAW_DISK, scopes: [raw]}
      rules:
        - name: comcam-raws
          match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}
          action: ingest-raws
          instrument: LSSTComCam
          run: LSSTComCam/raw/all
          define-visits: true
        - name: data-products
          match: {rubin-butler: [data_product]}
          action: sidecar
        - name: raw-zips
          match: {rubin-butler: [zip_file]}
          action: ingest-zip
      """;

  @Override
  public Map<String, String> start() {
    try {
      Path manifest = Files.createTempDirectory("pipeline-manifest").resolve("manifest.yaml");
      Files.writeString(manifest, MANIFEST);
      ManifestReader.read(manifest);
      return Map.of("autobutler.ingest.manifest", manifest.toString(), "autobutler.ingest.progress-interval", "1s",
          "autobutler.ingest.sweep-interval", "1s", "autobutler.ingest.poison-attempts", "3");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
  }
}
