package io.autobutler.catalog.campaign;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestReader;

/**
 * The configured campaign manifest, read and validated once when the service starts (an invalid one stops it with
 * the reader's message, naming the place in the file).
 */
@ApplicationScoped
public class Campaign {

  private final Optional<CampaignManifest> manifest;
  private final Path directory;

  public Campaign(CampaignConfig config) {
    Optional<Path> file = config.manifest().filter(m -> !m.isBlank()).map(m -> Path.of(m).toAbsolutePath());
    this.manifest = file.map(ManifestReader::read);
    this.directory = file.map(Path::getParent).orElse(null);
  }

  public boolean configured() {
    return manifest.isPresent();
  }

  public CampaignManifest manifest() {
    return manifest.orElseThrow(() -> new NoCampaign());
  }

  /** The repository the manifest builds. */
  public String repository() {
    return manifest().repository().name();
  }

  /** A file the manifest names, relative to the manifest's directory. */
  public Path resolve(String file) {
    return directory.resolve(file);
  }

  /** No manifest is configured (autobutler.catalog.manifest): nothing to converge. */
  public static final class NoCampaign extends IllegalStateException {
    NoCampaign() {
      super("no campaign manifest is configured (autobutler.catalog.manifest)");
    }
  }
}
