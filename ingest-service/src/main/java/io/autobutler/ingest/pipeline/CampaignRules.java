package io.autobutler.ingest.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.DatasetTypeSpec;
import io.autobutler.core.manifest.CampaignManifest.ReplicaFacts;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.manifest.CampaignManifest.Setup;
import io.autobutler.core.manifest.ManifestReader;
import io.autobutler.core.replica.ReplicaLedger;
import io.quarkus.runtime.StartupEvent;

/**
 * The configured campaign manifest, read and validated once at start-up (an invalid one stops the service with the
 * reader's message), and the rule that takes a file or a Rucio dataset.
 */
@ApplicationScoped
public class CampaignRules {

  private static final Logger LOG = Logger.getLogger(CampaignRules.class);

  private final Optional<CampaignManifest> manifest;
  private final Path directory;
  private final Optional<String> repository;

  public CampaignRules(IngestConfig config) {
    Optional<Path> file = config.manifest().filter(m -> !m.isBlank()).map(m -> Path.of(m).toAbsolutePath());
    this.manifest = file.map(ManifestReader::read);
    this.directory = file.map(Path::getParent).orElse(null);
    this.repository = config.repository().filter(r -> !r.isBlank())
        .or(() -> manifest.map(m -> m.repository().name()));
  }

  void onStart(@Observes StartupEvent event) {
    manifest.ifPresentOrElse(
        m -> LOG.infof("campaign manifest %s: %d rules, ingesting into repository %s", m.name(), m.rules().size(),
            repository.orElseThrow()),
        () -> LOG.info("no campaign manifest configured (autobutler.ingest.manifest): replicas are only recorded"));
  }

  public boolean configured() {
    return manifest.isPresent();
  }

  /** The repository to ingest into. */
  public String repository() {
    return repository.orElseThrow(() -> new IllegalStateException("no repository configured"));
  }

  /** The manifest's directory, which its relative paths are relative to. */
  public Path directory() {
    return directory;
  }

  /** The rule that takes a recorded replica: matched on its scope, Rucio dataset, file name and rubin_butler. */
  public Optional<Rule> ruleFor(ReplicaLedger.Entry replica) {
    return ruleFor(replica.key().scope(), replica.datasetName(), replica.key().name(), replica.rubinButler());
  }

  /** The rule that takes a replica as its event describes it (the same facts as its ledger entry). */
  public Optional<Rule> ruleFor(ReplicaEvent replica) {
    return ruleFor(replica.scope(), replica.datasetName(), replica.name(), replica.rubinButler());
  }

  private Optional<Rule> ruleFor(String scope, String datasetName, String name, String rubinButler) {
    return manifest.flatMap(m -> m.ruleFor(new ReplicaFacts(scope, datasetName,
        name.substring(name.lastIndexOf('/') + 1), rubinButler)));
  }

  /**
   * The manifest's definition of dataset type {@code name} ({@code setup.dataset-types}, RTN-103's
   * {@code butler register-dataset-type}), for actions that register the type they write when the repository lacks
   * it.
   */
  public Optional<DatasetTypeSpec> datasetType(String name) {
    return manifest.map(CampaignManifest::setup).map(Setup::datasetTypes).orElse(List.of()).stream()
        .filter(spec -> spec.name().equals(name)).findFirst();
  }

  /** The rule that takes a whole Rucio dataset (only rules that match no file name nor rubin_butler value can). */
  public Optional<Rule> ruleFor(DatasetEvent dataset) {
    return manifest.flatMap(m -> m.ruleFor(new ReplicaFacts(dataset.scope(), dataset.name(), null, null)));
  }
}
