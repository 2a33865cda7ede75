package io.autobutler.ingest.service;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.ingest.files.FileIngester;
import io.autobutler.core.ingest.files.FileIngester.FileRef;
import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.manifest.CampaignManifest.DatasetTypeSpec;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.replica.ReplicaLedger.Key;
import io.autobutler.core.replica.ReplicaLedger.Replica;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.ingest.pipeline.Backoff;
import io.autobutler.ingest.pipeline.CampaignRules;
import io.autobutler.ingest.pipeline.IngestConfig;
import io.autobutler.ingest.pipeline.IngestMetrics;
import io.autobutler.ingest.pipeline.ManifestFiles;
import io.autobutler.ingest.pipeline.PipelineHealth;
import io.autobutler.ingest.pipeline.TargetRepository;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * The {@code ingest-files} action: when {@code rucio.datasets} says a Rucio dataset is complete at the RSE, the rows
 * of its rule's table (ECSV or CSV, relative to the manifest unless a URL) whose files are in that dataset are
 * ingested as RTN-103's {@code butler ingest-files -t direct REPO DATASET_TYPE RUN TABLE --prefix PREFIX} would,
 * through butler-core's {@link FileIngester}. One table may serve many Rucio datasets (the 2025 refcat's 14): each
 * completion takes its own rows.
 *
 * <p>A row belongs to the dataset when its file URI (resolved against the prefix) is the PFN of one of the
 * dataset's replicas in the replica ledger; failing that, when its file name is the last segment of a replica's
 * Rucio name (the table, not the PFN, then gives the URI recorded, as the butler would). The registry ends up
 * holding the table's URIs whichever way rows were matched.
 *
 * <p>Idempotent: a row whose data ID the run holds already with the same URI is left as it is (the butler's
 * default UNIQUE ids are random, so this is checked on data ID and URI, not on id), so a replayed event changes
 * nothing. The dataset type is registered from the manifest's {@code setup.dataset-types} when the repository lacks
 * it. Refusals (table missing or malformed, unknown dataset type, files outside the prefix, a conflicting dataset)
 * are returned for the dead-letter topic and nothing of the dataset goes in.
 */
@ApplicationScoped
public class DatasetFilesIngest {

  private static final Logger LOG = Logger.getLogger(DatasetFilesIngest.class);
  /**
   * How long a complete dataset waits for the replica path to record all its files in the ledger: the watcher
   * publishes them before the dataset, but the two topics are consumed independently. Below the channel's
   * unprocessed-record limit (5 minutes).
   */
  static final Duration RECORD_WAIT = Duration.ofMinutes(2);
  /** How long, once all are recorded, it waits for the replica path to settle them, so that our settlement is last. */
  static final Duration SETTLE_WAIT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 250;
  private static final int LINES_NAMED = 5;

  private final ManifestFiles manifestFiles;
  private final CampaignRules rules;
  private final TargetRepository target;
  private final ReplicaLedger ledger;
  private final PipelineHealth health;
  private final IngestMetrics metrics;
  private final MutinyEmitter<Record<String, String>> ingested;
  private final int poisonAttempts;
  private final String requiredRoot;
  private final FileIngester ingester = new FileIngester();

  public DatasetFilesIngest(ManifestFiles manifestFiles, CampaignRules rules, TargetRepository target,
                            ReplicaLedger ledger, PipelineHealth health, IngestMetrics metrics, IngestConfig config,
                            @Channel("ingested") MutinyEmitter<Record<String, String>> ingested) {
    this.manifestFiles = manifestFiles;
    this.rules = rules;
    this.target = target;
    this.ledger = ledger;
    this.health = health;
    this.metrics = metrics;
    this.ingested = ingested;
    this.poisonAttempts = config.poisonAttempts();
    this.requiredRoot = config.requiredRoot().filter(r -> !r.isBlank()).map(r -> r.endsWith("/") ? r : r + "/")
        .orElse(null);
  }

  /** A refusal while working on one dataset: it ends the attempt and goes to the dead-letter topic. */
  private static final class Refused extends Exception {
    private final DatasetRefusal refusal;

    Refused(String cause, String reason) {
      super(reason, null, false, false);
      this.refusal = new DatasetRefusal(cause, reason);
    }
  }

  /** Which rows a dataset's replicas select, and which replica each selected file is. */
  private record Selection(List<FileRef> rows, Map<String, Replica> replicaByFile, List<Replica> unmatched) {
  }

  /** Ingests the rows of {@code rule}'s table that are files of the dataset; the refusal when it cannot. */
  public Optional<DatasetRefusal> process(DatasetEvent event, Rule rule) {
    try {
      return Backoff.untilDone("ingesting the table rows of Rucio dataset " + event.key(), health, poisonAttempts,
          () -> {
            try {
              ingestOnce(event, rule);
              return Optional.<DatasetRefusal>empty();
            } catch (Refused refused) {
              return Optional.of(refused.refusal);
            }
          });
    } catch (Backoff.GaveUp gaveUp) {
      return Optional.of(new DatasetRefusal(gaveUp.causeClass(), "rule '" + rule.name() + "': "
          + gaveUp.getMessage()));
    }
  }

  private void ingestOnce(DatasetEvent event, Rule rule) throws Exception {
    Registry registry = target.registry();
    String where = "rule '" + rule.name() + "': ";
    FileIngester.Request request = new FileIngester.Request(rule.datasetType(), rule.run(), table(event, rule),
        rule.table(), List.of(), null, null, rule.prefix(), "direct");
    List<FileRef> rows;
    try {
      rows = ingester.rows(request);
    } catch (RegistryException e) {
      throw new Refused(e.getClass().getName(), where + "table " + rule.table() + " for Rucio dataset " + event.key()
          + ": " + e.getMessage());
    }
    List<Replica> replicas = recordedReplicas(event, where);
    Selection selection = select(rows, replicas, event, rule, where);
    checkLocation(selection.rows(), event, rule, where);
    ensureDatasetType(registry, rule, where);

    FileIngester.Outcome outcome;
    try {
      outcome = ingester.ingest(registry, request, selection.rows(), true);
    } catch (RegistryException e) {
      throw new Refused(e.getClass().getName(), where + "ingesting the rows of table " + rule.table() + " for Rucio"
          + " dataset " + event.key() + " failed: " + e.getMessage());
    }
    FileIngester.Result result = outcome.result();
    LOG.infof("Rucio dataset %s ingested by rule %s from table %s: %d datasets new, %d already there, %d of its"
        + " files in no row", event.key(), rule.name(), rule.table(), result.inserted(), result.unchanged(),
        selection.unmatched().size());
    metrics.ingested(Action.INGEST_FILES.label(), result.inserted());
    settle(selection, outcome, rule);
    IngestedEvent summary = summary(event, rule, outcome.dataIds());
    ingested.sendAndAwait(Record.of(summary.key(), EventJson.write(summary)));
  }

  private String table(DatasetEvent event, Rule rule) throws IOException, Refused {
    try {
      return manifestFiles.read(rule.table());
    } catch (IOException e) {
      if (!ManifestFiles.isMissing(e)) {
        throw e;
      }
      throw new Refused(e.getClass().getName(), "rule '" + rule.name() + "': table " + rule.table() + " for Rucio"
          + " dataset " + event.key() + " does not exist");
    }
  }

  /**
   * The dataset's replicas at the event's RSE, once the ledger holds as many as the event counts files and the
   * replica path has settled them (or {@link #SETTLE_WAIT} has passed).
   */
  private List<Replica> recordedReplicas(DatasetEvent event, String where) throws Exception {
    long start = System.nanoTime();
    Long allRecordedAt = null;
    while (true) {
      List<Replica> replicas = ledger.forDataset(event.scope(), event.name()).stream()
          .filter(r -> r.rse().equals(event.rse())).toList();
      long now = System.nanoTime();
      if (replicas.size() >= event.files()) {
        allRecordedAt = allRecordedAt == null ? now : allRecordedAt;
        List<Key> keys = replicas.stream().map(r -> new Key(r.scope(), r.name(), r.rse())).toList();
        boolean settled = ledger.entries(keys).stream().noneMatch(e -> e.state() == State.PENDING);
        if (settled || now - allRecordedAt > SETTLE_WAIT.toNanos()) {
          return replicas;
        }
      } else if (now - start > RECORD_WAIT.toNanos()) {
        throw new Refused(IllegalStateException.class.getName(), where + "Rucio dataset " + event.key() + " has "
            + event.files() + " files at " + event.rse() + " but only " + replicas.size() + " of them are in the"
            + " replica ledger after " + RECORD_WAIT.toSeconds() + " s; replay the dataset event once they are");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The rows whose files are replicas of the dataset: matched on the resolved URI, else on the file name. */
  private static Selection select(List<FileRef> rows, List<Replica> replicas, DatasetEvent event, Rule rule,
                                  String where) throws Refused {
    Map<String, List<FileRef>> byFile = new LinkedHashMap<>();
    Map<String, Set<String>> filesByName = new LinkedHashMap<>();
    for (FileRef row : rows) {
      byFile.computeIfAbsent(row.file(), f -> new ArrayList<>()).add(row);
      filesByName.computeIfAbsent(lastSegment(row.file()), n -> new LinkedHashSet<>()).add(row.file());
    }
    Map<String, Replica> replicaByFile = new LinkedHashMap<>();
    List<Replica> unmatched = new ArrayList<>();
    for (Replica replica : replicas) {
      String file = normalized(replica.pfn());
      if (!byFile.containsKey(file)) {
        Set<String> named = filesByName.getOrDefault(lastSegment(replica.name()), Set.of());
        if (named.size() > 1) {
          throw new Refused(IllegalArgumentException.class.getName(), where + "file " + replica.scope() + ":"
              + replica.name() + " of Rucio dataset " + event.key() + " (PFN " + replica.pfn() + ") could be any"
              + " of " + named + " in table " + rule.table() + ": its PFN is none of them and their names are the"
              + " same");
        }
        file = named.isEmpty() ? null : named.iterator().next();
      }
      if (file == null) {
        unmatched.add(replica);
      } else {
        replicaByFile.put(file, replica);
      }
    }
    if (replicaByFile.isEmpty()) {
      throw new Refused(IllegalArgumentException.class.getName(), where + "no row of table " + rule.table()
          + " names any of the " + replicas.size() + " files of Rucio dataset " + event.key());
    }
    List<FileRef> selected = rows.stream().filter(r -> replicaByFile.containsKey(r.file())).toList();
    return new Selection(selected, replicaByFile, unmatched);
  }

  /** Every selected file must lie under the rule's prefix and the service's required root (transfer direct). */
  private void checkLocation(List<FileRef> rows, DatasetEvent event, Rule rule, String where) throws Refused {
    URI prefixUri = FileIngester.prefixUri(rule.prefix());
    List<String> problems = new ArrayList<>();
    for (FileRef row : rows) {
      if (prefixUri != null && !DatastoreFiles.isUnder(row.file(), DatastoreFiles.text(prefixUri))) {
        problems.add("line " + row.line() + ": " + row.file() + " is outside the prefix "
            + DatastoreFiles.text(prefixUri));
      } else if (requiredRoot != null && !DatastoreFiles.isUnder(row.file(), requiredRoot)) {
        problems.add("line " + row.line() + ": " + row.file() + " is outside the datastore root " + requiredRoot);
      }
    }
    if (!problems.isEmpty()) {
      String named = problems.stream().limit(LINES_NAMED).collect(Collectors.joining("; "));
      throw new Refused(IllegalArgumentException.class.getName(), where + "table " + rule.table() + ": "
          + problems.size() + " row(s) of Rucio dataset " + event.key() + " name files that transfer 'direct' cannot"
          + " record: " + named + (problems.size() > LINES_NAMED ? "; and " + (problems.size() - LINES_NAMED)
          + " more" : ""));
    }
  }

  /** The rule's dataset type, registered from the manifest's {@code setup.dataset-types} when the registry lacks it. */
  private void ensureDatasetType(Registry registry, Rule rule, String where) throws Refused {
    String name = rule.datasetType();
    try {
      boolean registered = registry.transaction(c -> {
        if (registry.datasetTypes().find(c, name).isPresent()) {
          return false;
        }
        Optional<DatasetTypeSpec> spec = rules.datasetType(name);
        if (spec.isEmpty()) {
          throw new RegistryException(RegistryException.Kind.MISSING_DATASET_TYPE, "dataset type '" + name
              + "' is not registered in repository " + target.name() + " and the manifest's setup.dataset-types"
              + " does not define it");
        }
        return registry.datasetTypes().register(c, name, spec.get().storageClass(), spec.get().dimensions(),
            spec.get().isCalibration());
      });
      if (registered) {
        LOG.infof("dataset type %s registered in %s from the manifest's setup.dataset-types", name, target.name());
      }
    } catch (RegistryException e) {
      throw new Refused(e.getClass().getName(), where + e.getMessage());
    }
  }

  /**
   * The ledger after the commit: each replica whose file went in is ingested (with a dataset of its file), the
   * dataset's other files are skipped, no row naming them.
   */
  private void settle(Selection selection, FileIngester.Outcome outcome, Rule rule) throws Exception {
    List<Settlement> settlements = new ArrayList<>();
    selection.replicaByFile().forEach((file, replica) -> {
      List<UUID> ids = outcome.datasetsByFile().get(file);
      settlements.add(new Settlement(key(replica), State.INGESTED, null, ids == null ? null : ids.get(0)));
    });
    for (Replica replica : selection.unmatched()) {
      settlements.add(new Settlement(key(replica), State.SKIPPED, "rule '" + rule.name() + "': no row of table "
          + rule.table() + " names it", null));
    }
    ledger.settle(settlements);
  }

  /** How many datasets of the Rucio dataset are in the run, and the first and last data ID. */
  private IngestedEvent summary(DatasetEvent event, Rule rule, List<Map<String, Object>> dataIds) {
    List<Map<String, Object>> sorted = dataIds.stream().sorted(DatasetFilesIngest::compareDataIds).toList();
    return new IngestedEvent(target.name(), event.key(), rule.name(), rule.run(), rule.datasetType(), sorted.size(),
        sorted.get(0), sorted.get(sorted.size() - 1), Instant.now());
  }

  /** Data IDs in the dimensions' order: integers as numbers, the rest as text. */
  static int compareDataIds(Map<String, Object> a, Map<String, Object> b) {
    for (Map.Entry<String, Object> entry : a.entrySet()) {
      Object x = entry.getValue();
      Object y = b.get(entry.getKey());
      int order = x instanceof Long l && y instanceof Long m ? Long.compare(l, m)
          : Comparator.<String>naturalOrder().compare(String.valueOf(x), String.valueOf(y));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private static Key key(Replica replica) {
    return new Key(replica.scope(), replica.name(), replica.rse());
  }

  /** A PFN written as resolved table rows are, so that the two compare; left as it is when it is no URI. */
  private static String normalized(String pfn) {
    try {
      return DatastoreFiles.text(new URI(pfn).normalize());
    } catch (java.net.URISyntaxException e) {
      return pfn;
    }
  }

  private static String lastSegment(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
