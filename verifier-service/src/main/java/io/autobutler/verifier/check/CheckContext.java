package io.autobutler.verifier.check;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.verifier.config.VerifierConfig;

/**
 * What one verification run of one repository works with: its registry (only read), the manifest when the
 * repository is the manifest's, the settings, and the registry's datastore records, read once for the checks that
 * need them.
 */
public final class CheckContext {

  private final Repository repository;
  private final Registry registry;
  private final Optional<CampaignManifest> manifest;
  private final VerifierConfig config;
  private final ChecksumMode checksums;
  private final Instant now;
  private RegistryFiles files;

  public CheckContext(Repository repository, Registry registry, Optional<CampaignManifest> manifest,
                      VerifierConfig config, ChecksumMode checksums, Instant now) {
    this.repository = repository;
    this.registry = registry;
    this.manifest = manifest;
    this.config = config;
    this.checksums = checksums;
    this.now = now;
  }

  public Repository repository() {
    return repository;
  }

  public String name() {
    return repository.name();
  }

  public Registry registry() {
    return registry;
  }

  public Optional<CampaignManifest> manifest() {
    return manifest;
  }

  public VerifierConfig config() {
    return config;
  }

  public ChecksumMode checksums() {
    return checksums;
  }

  public Instant now() {
    return now;
  }

  /** The registry's file records, read on first use (one query) and shared by the checks of this run. */
  public synchronized RegistryFiles files() {
    if (files == null) {
      files = RegistryFiles.read(registry);
    }
    return files;
  }

  /** A report of this repository. */
  public ReportBuilder report(String check, String subject) {
    return new ReportBuilder(repository.name(), check, subject, config.maxItems());
  }

  /** An item: alternating names and values, in that order. */
  public static Map<String, Object> item(Object... namesAndValues) {
    Map<String, Object> item = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        item.put((String) namesAndValues[i], namesAndValues[i + 1]);
      }
    }
    return item;
  }
}
