package io.autobutler.verifier.check;

import static io.autobutler.verifier.check.CheckContext.item;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.replica.ReplicaLedger.Outcome;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.verifier.client.WatcherClient;
import io.autobutler.verifier.client.WatcherClient.RseDataset;
import io.autobutler.verifier.client.WatcherClient.RseFile;
import io.autobutler.verifier.config.VerifierConfig;

/**
 * Rucio ↔ registry, in Rucio's own vocabulary. What Rucio has at the RSE comes from the watcher's listing; what
 * became of each replica, from the replica ledger; what the registry holds, from its datastore records.
 * <ul>
 *   <li>per Rucio dataset ({@code rucio-dataset:SCOPE:NAME}): files AVAILABLE at the RSE that are not registered
 *   (<em>missing ingest</em>; <em>pending</em> and <em>rejected</em> when the ledger says so), and registered files
 *   whose replica is gone from the RSE (<em>lost</em>);</li>
 *   <li>per RUN that the manifest's rules fill from Rucio ({@code run:NAME}): its registered files that are not at
 *   the RSE, lost ones and ones Rucio never had (<em>not in Rucio</em>: registered by another way).</li>
 * </ul>
 * Files the ledger says are not registered by design (no rule takes them, their rule works on the whole dataset, an
 * {@code _index.json}) are not missing. The watcher unreachable, or more lost files than the threshold, is an
 * outage; a watcher that runs without Rucio makes the check not apply.
 */
@ApplicationScoped
public class RucioRegistryCheck implements Check {

  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RucioRegistryCheck.class);

  private final ReplicaLedger ledger;

  public RucioRegistryCheck(ReplicaLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public String name() {
    return Checks.RUCIO_REGISTRY;
  }

  @Override
  public List<VerificationReport> run(CheckContext context) throws Exception {
    if (context.manifest().isEmpty() || context.config().watcherUrl().isEmpty()) {
      return List.of();
    }
    CampaignManifest manifest = context.manifest().get();
    String rse = manifest.rucio().rse();
    VerifierConfig.Rucio settings = context.config().rucio();
    Map<String, Outcome> outcomes = new HashMap<>();
    Set<String> ledgerDatasets = new TreeSet<>();
    ledger.outcomes(rse, o -> {
      outcomes.put(o.scope() + ":" + o.name(), o);
      if (o.datasetDid() != null) {
        ledgerDatasets.add(o.datasetDid());
      }
    });
    List<RseDataset> listed;
    try {
      listed = new WatcherClient(context.config().watcherUrl().get(), settings.timeout()).list(ledgerDatasets);
    } catch (WatcherClient.RucioNotConfigured e) {
      LOG.debugf("the watcher has no Rucio to list: the Rucio check does not apply (%s)", e.getMessage());
      return List.of();
    } catch (WatcherClient.WatcherUnavailable e) {
      ReportBuilder report = context.report(name(), "rse:" + rse);
      report.severity(Severity.OUTAGE).problem("Rucio cannot be read through the watcher: " + e.getMessage());
      return List.of(report.build(context.now(), null));
    }
    RegistryFiles files = context.files();
    Set<String> atRse = new HashSet<>();
    Set<String> atRseNames = new HashSet<>();
    for (RseDataset dataset : listed) {
      for (RseFile file : dataset.files()) {
        atRse.add(file.pfn());
        atRseNames.add(file.name().substring(file.name().lastIndexOf('/') + 1));
      }
    }
    Map<String, List<Outcome>> byDataset = new TreeMap<>();
    outcomes.values().stream().filter(o -> o.datasetDid() != null)
        .forEach(o -> byDataset.computeIfAbsent(o.datasetDid(), k -> new ArrayList<>()).add(o));

    List<VerificationReport> reports = new ArrayList<>();
    for (RseDataset dataset : listed) {
      reports.add(dataset(context, dataset, byDataset.getOrDefault(dataset.dataset(), List.of()), outcomes, files,
          settings));
    }
    reports.addAll(runs(context, manifest, files, atRse, atRseNames, outcomes));
    return reports;
  }

  private VerificationReport dataset(CheckContext context, RseDataset dataset, List<Outcome> recorded,
                                     Map<String, Outcome> outcomes, RegistryFiles files,
                                     VerifierConfig.Rucio settings) {
    ReportBuilder report = context.report(name(), "rucio-dataset:" + dataset.dataset());
    long registered = 0;
    long byDesign = 0;
    long missingIngest = 0;
    long pending = 0;
    long rejected = 0;
    Set<String> available = new HashSet<>();
    for (RseFile file : dataset.files()) {
      available.add(file.did());
      Outcome outcome = outcomes.get(file.did());
      if (files.registered(file.pfn()) || (outcome != null && files.hasDataset(outcome.datasetId()))) {
        registered++;
      } else if (outcome != null && (outcome.state() == State.SKIPPED
          || (outcome.state() == State.INGESTED && outcome.datasetId() == null))) {
        byDesign++;
      } else if (outcome != null && outcome.state() == State.PENDING) {
        pending++;
        report.item(Severity.WARNING, item("kind", "pending", "did", file.did(), "pfn", file.pfn(),
            "reason", outcome.reason()));
      } else if (outcome != null && outcome.state() == State.REJECTED) {
        rejected++;
        report.item(Severity.ERROR, item("kind", "rejected", "did", file.did(), "pfn", file.pfn(),
            "reason", outcome.reason()));
      } else {
        missingIngest++;
        report.item(Severity.ERROR, item("kind", "missing-ingest", "did", file.did(), "pfn", file.pfn(),
            "reason", outcome == null ? "never announced to ingest" : "ingested, but its dataset is no longer in"
                + " the registry"));
      }
    }
    long lost = 0;
    long registeredFromDataset = 0;
    for (Outcome outcome : recorded) {
      boolean inRegistry = files.hasDataset(outcome.datasetId()) || files.registered(outcome.pfn());
      if (!inRegistry) {
        continue;
      }
      registeredFromDataset++;
      if (!available.contains(outcome.scope() + ":" + outcome.name())) {
        lost++;
        report.item(Severity.ERROR, item("kind", "lost", "did", outcome.scope() + ":" + outcome.name(),
            "pfn", outcome.pfn(), "dataset", outcome.datasetId()));
      }
    }
    report.count("available", dataset.files().size()).count("registered", registered)
        .count("not_registered_by_design", byDesign).count("missing_ingest", missingIngest).count("pending", pending)
        .count("rejected", rejected).count("lost", lost);
    if (lost > settings.lostFloor() && lost > settings.lostThreshold() * registeredFromDataset) {
      report.withholdItems().severity(Severity.OUTAGE).problem(String.format("%d of %d registered files are gone from"
          + " the RSE, over the %.0f%% threshold: a Rucio or RSE outage is suspected, the files are not reported lost",
          lost, registeredFromDataset, settings.lostThreshold() * 100));
    } else {
      if (!dataset.exists()) {
        report.problem("the dataset is no longer in Rucio");
      }
      if (missingIngest > 0) {
        report.problem(missingIngest + " missing ingest");
      }
      if (rejected > 0) {
        report.problem(rejected + " rejected by ingest");
      }
      if (pending > 0) {
        report.problem(pending + " pending ingest");
      }
      if (lost > 0) {
        report.problem(lost + " lost");
      }
    }
    return report.build(context.now(), dataset.files().size() + " files at the RSE");
  }

  /** The RUNs the manifest's rules fill with Rucio's files: every file of theirs should be at the RSE. */
  private List<VerificationReport> runs(CheckContext context, CampaignManifest manifest, RegistryFiles files,
                                        Set<String> atRse, Set<String> atRseNames, Map<String, Outcome> outcomes) {
    Map<String, Boolean> runs = new TreeMap<>();
    for (CampaignManifest.Rule rule : manifest.rules()) {
      if (rule.action() == Action.INGEST_RAWS || rule.action() == Action.INGEST_FILES) {
        // ingest-files records the table's URI, which may name another door than the PFN: matched by file name too
        runs.merge(rule.run(), rule.action() == Action.INGEST_FILES, Boolean::logicalOr);
      }
    }
    Set<String> ledgerPfns = new HashSet<>();
    outcomes.values().forEach(o -> ledgerPfns.add(o.pfn()));
    List<VerificationReport> reports = new ArrayList<>();
    for (Map.Entry<String, Boolean> run : runs.entrySet()) {
      ReportBuilder report = context.report(name(), "run:" + run.getKey());
      long registered = 0;
      long lost = 0;
      long notInRucio = 0;
      for (RegistryFiles.File file : files.all()) {
        if (!file.run().equals(run.getKey())) {
          continue;
        }
        registered++;
        String uri = file.fileUri();
        String fileName = uri.substring(uri.lastIndexOf('/') + 1);
        if (atRse.contains(uri) || (run.getValue() && atRseNames.contains(fileName))) {
          continue;
        }
        if (ledgerPfns.contains(uri)) {
          lost++;
          report.item(Severity.ERROR, item("kind", "lost", "uri", file.path(), "dataset", file.dataset(),
              "dataset_type", file.datasetType()));
        } else {
          notInRucio++;
          report.item(Severity.ERROR, item("kind", "not-in-rucio", "uri", file.path(), "dataset", file.dataset(),
              "dataset_type", file.datasetType()));
        }
      }
      report.count("registered", registered).count("lost", lost).count("not_in_rucio", notInRucio);
      if (lost > 0) {
        report.problem(lost + " registered files gone from the RSE");
      }
      if (notInRucio > 0) {
        report.problem(notInRucio + " registered files Rucio never had at the RSE");
      }
      reports.add(report.build(context.now(), registered + " registered files"));
    }
    return reports;
  }
}
