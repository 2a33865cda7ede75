package io.autobutler.catalog.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.autobutler.catalog.service.InstrumentService;
import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.catalog.service.RepositoryService;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.CuratedCalibrations;
import io.autobutler.core.manifest.CampaignManifest.DatasetTypeSpec;
import io.autobutler.core.manifest.CampaignManifest.RepositorySpec;
import io.autobutler.core.manifest.CampaignManifest.Skymap;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.SeedConfig;
import io.autobutler.core.skymap.SkyMapConfig;

/**
 * The manifest's {@code repository} and {@code setup}: {@code butler create}, then register-instrument,
 * register-skymap, write-curated-calibrations and register-dataset-type, each through the code the REST endpoints
 * use, so that each is as idempotent as the command. A skymap already registered with the same hash is not
 * recomputed (lsst_cells_v1's 1.9 M patch records would be checked again for nothing).
 */
@ApplicationScoped
public class CampaignSetup {

  private static final Logger LOG = Logger.getLogger(CampaignSetup.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final RepositoryService repositories;
  private final InstrumentService instruments;
  private final RegistryLookup registries;

  public CampaignSetup(RepositoryService repositories, InstrumentService instruments, RegistryLookup registries) {
    this.repositories = repositories;
    this.instruments = instruments;
    this.registries = registries;
  }

  /** Creates and sets up the repository as far as it is not yet; returns what changed, one line each. */
  public List<String> apply(Campaign campaign) {
    CampaignManifest manifest = campaign.manifest();
    List<String> changes = new ArrayList<>();
    createRepository(manifest.repository()).ifPresent(changes::add);
    String repo = manifest.repository().name();
    for (String instrument : manifest.setup().instruments()) {
      InstrumentService.Outcome outcome = instruments.registerInstrument(repo, instrument);
      if (outcome.records() > 0) {
        changes.add(outcome.summary());
      }
    }
    for (Skymap skymap : manifest.setup().skymaps()) {
      registerSkymap(repo, campaign.resolve(skymap.configFile()), skymap.configFile()).ifPresent(changes::add);
    }
    for (CuratedCalibrations curated : manifest.setup().curatedCalibrations()) {
      InstrumentService.Outcome outcome = instruments.writeCuratedCalibrations(repo, curated.instrument(),
          List.of(curated.label()));
      if (outcome.datasets() > 0) {
        changes.add(outcome.summary());
      }
    }
    Registry registry = registries.registry(repo);
    for (DatasetTypeSpec type : manifest.setup().datasetTypes()) {
      boolean created = registry.transaction(c -> registry.datasetTypes().register(c, type.name(), type.storageClass(),
          type.dimensions() == null ? List.of() : type.dimensions(), type.isCalibration()));
      if (created) {
        changes.add("dataset type " + type.name() + " registered");
      }
    }
    return changes;
  }

  private Optional<String> createRepository(RepositorySpec spec) {
    String seedYaml;
    try {
      seedYaml = YAML.writeValueAsString(spec.seed());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("repository.seed cannot be written as YAML: " + e.getOriginalMessage(), e);
    }
    Optional<Repository> existing = repositories.find(spec.name());
    if (existing.isPresent()) {
      String namespace = SeedConfig.parse(seedYaml).namespace();
      if (!existing.get().namespace().equals(namespace)) {
        LOG.warnf("repository %s exists with namespace %s, the manifest's seed says %s: the existing one is used",
            spec.name(), existing.get().namespace(), namespace);
      }
      return Optional.empty();
    }
    Repository created = repositories.create(spec.name(), seedYaml, spec.override(), null);
    return Optional.of("repository " + created.name() + " created (namespace " + created.namespace() + ")");
  }

  private Optional<String> registerSkymap(String repo, Path file, String source) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read skymap config " + file + ": " + e.getMessage(), e);
    }
    SkyMapConfig config = SkyMapConfig.parse(text, source);
    Registry registry = registries.registry(repo);
    List<Map<String, Object>> found = registry.transaction(c -> registry.dimensions().read(c, "skymap",
        "SELECT CAST(? AS TEXT)", List.of(config.name())));
    // Registered with the same hash: register-skymap writes the record, tracts and patches in one transaction.
    if (!found.isEmpty() && found.get(0).get("hash") instanceof byte[] hash && Arrays.equals(hash, config.sha1())) {
      return Optional.empty();
    }
    return Optional.of(instruments.registerSkymap(repo, text, source).summary());
  }
}
