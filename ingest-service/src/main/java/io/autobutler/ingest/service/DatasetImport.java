package io.autobutler.ingest.service;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.transfer.DatasetBlock;
import io.autobutler.core.transfer.DatasetRefData;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportFormatException;
import io.autobutler.core.transfer.FileDatasetData;
import io.autobutler.core.transfer.RepositoryImporter;
import io.autobutler.ingest.pipeline.Backoff;
import io.autobutler.ingest.pipeline.IngestConfig;
import io.autobutler.ingest.pipeline.IngestMetrics;
import io.autobutler.ingest.pipeline.ManifestFiles;
import io.autobutler.ingest.pipeline.PipelineHealth;
import io.autobutler.ingest.pipeline.TargetRepository;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * The {@code import} action: when {@code rucio.datasets} says a Rucio dataset is complete at the RSE, its rule's
 * export file (relative to the manifest, {@code {dataset}} standing for the dataset's last name segment) is imported
 * with transfer {@code direct} under the rule's {@code directory}, as catalog-service's import does. Importing again
 * changes nothing, so a replayed dataset event is harmless. {@link DatasetActions} decides which datasets come here.
 */
@ApplicationScoped
public class DatasetImport {

  private static final Logger LOG = Logger.getLogger(DatasetImport.class);

  private final ManifestFiles manifestFiles;
  private final TargetRepository target;
  private final PipelineHealth health;
  private final IngestMetrics metrics;
  private final MutinyEmitter<Record<String, String>> ingested;
  private final int poisonAttempts;
  private final RepositoryImporter importer = new RepositoryImporter();

  public DatasetImport(ManifestFiles manifestFiles, TargetRepository target, PipelineHealth health,
                       IngestMetrics metrics, IngestConfig config,
                       @Channel("ingested") MutinyEmitter<Record<String, String>> ingested) {
    this.manifestFiles = manifestFiles;
    this.target = target;
    this.health = health;
    this.metrics = metrics;
    this.ingested = ingested;
    this.poisonAttempts = config.poisonAttempts();
  }

  /** Imports the dataset that the {@code import} rule {@code rule} takes; the refusal when it cannot be imported. */
  public Optional<DatasetRefusal> process(DatasetEvent event, Rule rule) {
    try {
      return Backoff.untilDone("importing Rucio dataset " + event.key(), health, poisonAttempts,
          () -> importOnce(event, rule));
    } catch (Backoff.GaveUp gaveUp) {
      return Optional.of(new DatasetRefusal(gaveUp.causeClass(), "rule '" + rule.name() + "': "
          + gaveUp.getMessage()));
    }
  }

  private Optional<DatasetRefusal> importOnce(DatasetEvent event, Rule rule) throws IOException {
    var registry = target.registry();
    String name = rule.exportFileFor(event.name());
    String text;
    try {
      text = manifestFiles.read(name);
    } catch (IOException e) {
      if (!ManifestFiles.isMissing(e)) {
        throw e;
      }
      return Optional.of(new DatasetRefusal(e.getClass().getName(), "rule '" + rule.name() + "': export file "
          + name + " for Rucio dataset " + event.key() + " does not exist"));
    }
    ExportFile export;
    try {
      export = new ExportFileReader().read(text);
    } catch (ExportFormatException e) {
      return Optional.of(new DatasetRefusal(e.getClass().getName(), "rule '" + rule.name() + "': export file " + name
          + ": " + e.getMessage()));
    }
    Set<String> skip = rule.skipDimensions() == null ? Set.of() : Set.copyOf(rule.skipDimensions());
    RepositoryImporter.Result result;
    try {
      result = importer.importFile(registry, export, rule.directory(), skip);
    } catch (RegistryException e) {
      return Optional.of(new DatasetRefusal(e.getClass().getName(), "rule '" + rule.name() + "': importing " + name
          + " failed: " + e.getMessage()));
    }
    LOG.infof("Rucio dataset %s imported by rule %s from %s: %d datasets new, %d already there, %d dimension"
        + " records", event.key(), rule.name(), name, result.datasets(), result.unchangedDatasets(),
        result.dimensionRecords());
    metrics.ingested(Action.IMPORT.label(), result.datasets());
    for (IngestedEvent summary : summaries(event, rule, export)) {
      ingested.sendAndAwait(Record.of(summary.key(), EventJson.write(summary)));
    }
    return Optional.empty();
  }

  /** One summary per dataset block (dataset type and run) of the export file, in file order. */
  private List<IngestedEvent> summaries(DatasetEvent event, Rule rule, ExportFile export) {
    List<IngestedEvent> summaries = new ArrayList<>();
    Instant now = Instant.now();
    for (var block : export.blocks()) {
      if (!(block instanceof DatasetBlock datasets) || datasets.records().isEmpty()) {
        continue;
      }
      List<DatasetRefData> refs = datasets.records().stream().map(FileDatasetData::refs).flatMap(List::stream)
          .toList();
      if (refs.isEmpty()) {
        continue;
      }
      summaries.add(new IngestedEvent(target.name(), event.key(), rule.name(), datasets.run(),
          datasets.datasetType(), refs.size(), refs.get(0).dataId(), refs.get(refs.size() - 1).dataId(), now));
    }
    return summaries;
  }
}
