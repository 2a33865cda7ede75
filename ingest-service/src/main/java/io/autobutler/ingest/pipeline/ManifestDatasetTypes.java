package io.autobutler.ingest.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.DatasetTypeSpec;
import io.autobutler.core.manifest.ManifestReader;

/**
 * The dataset types the campaign manifest defines ({@code setup.dataset-types}, RTN-103's
 * {@code butler register-dataset-type} commands), for actions that must register the dataset type they write when
 * the repository lacks it. Read from the same configured manifest as {@link CampaignRules}.
 */
@ApplicationScoped
public class ManifestDatasetTypes {

  private final List<DatasetTypeSpec> specs;

  public ManifestDatasetTypes(IngestConfig config) {
    this.specs = config.manifest().filter(m -> !m.isBlank())
        .map(m -> ManifestReader.read(Path.of(m).toAbsolutePath()))
        .map(CampaignManifest::setup)
        .map(setup -> setup.datasetTypes() == null ? List.<DatasetTypeSpec>of() : setup.datasetTypes())
        .orElse(List.of());
  }

  /** The manifest's definition of dataset type {@code name}, if it has one. */
  public Optional<DatasetTypeSpec> find(String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
