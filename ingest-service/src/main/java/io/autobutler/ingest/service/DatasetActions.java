package io.autobutler.ingest.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.ingest.pipeline.CampaignRules;

/**
 * The one place that decides what a complete Rucio dataset ({@code rucio.datasets}) sets off, by the action of the
 * manifest rule that takes it: {@code import} imports the rule's export file, {@code ingest-files} ingests the rows
 * of the rule's table whose files are in the dataset. Other actions work file by file, on {@code rucio.replicas}.
 */
@ApplicationScoped
public class DatasetActions {

  private static final Logger LOG = Logger.getLogger(DatasetActions.class);

  private final CampaignRules rules;
  private final DatasetImport datasetImport;
  private final DatasetFilesIngest datasetFiles;

  public DatasetActions(CampaignRules rules, DatasetImport datasetImport, DatasetFilesIngest datasetFiles) {
    this.rules = rules;
    this.datasetImport = datasetImport;
    this.datasetFiles = datasetFiles;
  }

  /** Does what the dataset's rule says; the refusal when the dataset cannot be taken. */
  public Optional<DatasetRefusal> process(DatasetEvent event) {
    Optional<Rule> found = rules.ruleFor(event);
    if (found.isEmpty()) {
      LOG.debugf("Rucio dataset %s complete: no rule takes it as a whole", event.key());
      return Optional.empty();
    }
    Rule rule = found.get();
    return switch (rule.action()) {
      case IMPORT -> datasetImport.process(event, rule);
      case INGEST_FILES -> datasetFiles.process(event, rule);
      default -> {
        LOG.debugf("Rucio dataset %s complete: rule %s (%s) works file by file", event.key(), rule.name(),
            rule.action().label());
        yield Optional.empty();
      }
    };
  }
}
