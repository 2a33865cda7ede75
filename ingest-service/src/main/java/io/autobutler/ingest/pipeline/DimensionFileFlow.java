package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileReader;
import io.autobutler.core.transfer.ExportFormatException;
import io.autobutler.core.transfer.RepositoryImporter;

/**
 * The {@code import-dimensions} action: a file Rubin registers with {@code rubin_butler: dim_file} is a butler
 * export file of dimension records, imported as ctrl_ingestd does ({@code butler.import_(filename=...)}): the whole
 * file with transfer {@code direct}, any dataset it holds recorded relative to the file's own directory. Existing
 * records are kept, so a replay changes nothing. Each file is its own import (the importer's transactions).
 */
@ApplicationScoped
public class DimensionFileFlow {

  private static final Logger LOG = Logger.getLogger(DimensionFileFlow.class);

  private final RepositoryImporter importer = new RepositoryImporter();
  private final DatastoreFiles files = new DatastoreFiles();

  /** What became of a batch's dimension files, and how many records they added. */
  public record Result(List<Settlement> settlements, List<RawFlow.Refusal> refusals, int imported, int records) {
  }

  /**
   * Imports {@code files}, in order.
   *
   * @throws IOException when a file cannot be read for now (the batch is retried)
   */
  public Result importFiles(Registry registry, List<SidecarFlow.Taken> taken) throws IOException {
    List<Settlement> settlements = new ArrayList<>();
    List<RawFlow.Refusal> refusals = new ArrayList<>();
    int imported = 0;
    int records = 0;
    for (SidecarFlow.Taken file : taken) {
      Entry entry = file.entry();
      Rule rule = file.rule();
      URI uri;
      try {
        uri = URI.create(entry.pfn()).normalize();
      } catch (IllegalArgumentException e) {
        refusals.add(new RawFlow.Refusal(entry, e.getClass().getName(), "rule '" + rule.name() + "': "
            + entry.pfn() + " is not a URI"));
        continue;
      }
      Optional<byte[]> content = files.readIfExists(uri);
      if (content.isEmpty()) {
        refusals.add(new RawFlow.Refusal(entry, java.io.FileNotFoundException.class.getName(), "rule '"
            + rule.name() + "': no dimension file at " + entry.pfn()));
        continue;
      }
      try {
        ExportFile export = new ExportFileReader().read(new String(content.get(), StandardCharsets.UTF_8));
        RepositoryImporter.Result result = importer.importFile(registry, export, entry.directory(), Set.of());
        LOG.infof("dimension file %s imported by rule %s: %d dimension records new, %d datasets new",
            entry.pfn(), rule.name(), result.dimensionRecords(), result.datasets());
        settlements.add(new Settlement(entry.key(), State.INGESTED, result.dimensionRecords()
            + " dimension records and " + result.datasets() + " datasets imported", null));
        imported++;
        records += result.dimensionRecords();
      } catch (RegistryException | ExportFormatException | IllegalArgumentException e) {
        refusals.add(new RawFlow.Refusal(entry, e.getClass().getName(), "rule '" + rule.name()
            + "': importing dimension file " + entry.pfn() + ": " + e.getMessage()));
      }
    }
    return new Result(settlements, refusals, imported, records);
  }
}
