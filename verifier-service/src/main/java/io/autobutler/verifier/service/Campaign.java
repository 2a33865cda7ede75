package io.autobutler.verifier.service;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestReader;
import io.autobutler.verifier.config.VerifierConfig;

/**
 * The configured campaign manifest (read and validated once at start: an invalid one stops the service with the
 * reader's message) and the repository verified on events and on the schedule.
 */
@ApplicationScoped
public class Campaign {

  private final Optional<CampaignManifest> manifest;
  private final Optional<String> repository;

  public Campaign(VerifierConfig config) {
    this.manifest = config.manifest().filter(m -> !m.isBlank())
        .map(m -> ManifestReader.read(Path.of(m).toAbsolutePath()));
    this.repository = config.repository().filter(r -> !r.isBlank())
        .or(() -> manifest.map(m -> m.repository().name()));
  }

  /** The repository verified continuously, if any. */
  public Optional<String> repository() {
    return repository;
  }

  /** The manifest, for its own repository only: another repository is not held to it. */
  public Optional<CampaignManifest> manifestFor(String repositoryName) {
    return manifest.filter(m -> m.repository().name().equals(repositoryName));
  }
}
