package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.autobutler.core.manifest.ManifestReader;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A campaign manifest of {@code src/test/resources/<campaign>/manifest.yaml} configured as the service's, read in
 * place so that the files it names relative to itself resolve, with the test's own settings (shorter sweeps, fewer
 * poison attempts). A test declares its campaign with a subclass.
 */
public abstract class ManifestFileResource implements QuarkusTestResourceLifecycleManager {

  private final Path manifest;
  private final Map<String, String> settings;

  protected ManifestFileResource(String campaign, Map<String, String> settings) {
    this.manifest = manifest(campaign);
    this.settings = settings;
  }

  /** The manifest of a test campaign of {@code src/test/resources}. */
  static Path manifest(String campaign) {
    return Path.of("src/test/resources", campaign, "manifest.yaml").toAbsolutePath();
  }

  /** The manifest's text, which the tests also use as the repository's seed config. */
  static String text(String campaign) {
    try {
      return Files.readString(manifest(campaign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> start() {
    // A mistake in a test manifest stops here, with the reader's message, rather than in the service.
    ManifestReader.read(manifest);
    Map<String, String> config = new HashMap<>(settings);
    config.put("autobutler.ingest.manifest", manifest.toString());
    return config;
  }

  @Override
  public void stop() {
  }
}
