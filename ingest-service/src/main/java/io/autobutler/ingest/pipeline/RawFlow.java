package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.ingest.RawIngester;
import io.autobutler.core.ingest.RawIngester.RawFile;
import io.autobutler.core.ingest.RawTranslation;
import io.autobutler.core.ingest.index.IndexEntry;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.core.visits.DefineVisits;

/**
 * The {@code ingest-raws} action for one rule and one batch: the pending files of exposure directories whose
 * {@code _index.json} has landed, each described by its directory's index, all ingested with one
 * {@link RawIngester} call (thousands of files per registry transaction). Then, when the rule says so,
 * {@code define-visits --incremental} for the exposures just ingested, in one call.
 */
@ApplicationScoped
public class RawFlow {

  private static final Logger LOG = Logger.getLogger(RawFlow.class);

  private final IndexCache indexes;
  private final IngestConfig config;
  private final RawIngester ingester = new RawIngester();
  private final DefineVisits defineVisits = new DefineVisits();

  public RawFlow(IndexCache indexes, IngestConfig config) {
    this.indexes = indexes;
    this.config = config;
  }

  /** A file refused, with the error class and the reason. */
  public record Refusal(Entry file, String cause, String reason) {
  }

  /** What became of a batch's files under one rule. */
  public record Outcome(List<Settlement> settlements, List<Refusal> refusals, List<IngestedEvent> summaries,
                        int datasets) {
  }

  /** A raw to ingest, with its data ID when its metadata gives one. */
  private record Candidate(Entry entry, RawFile file, Map<String, Object> dataId) {
  }

  /**
   * Ingests {@code files} (pending replicas this rule takes, in directories whose index has landed; the index
   * replicas among them are consumed).
   *
   * @throws IOException when an index cannot be read for now (the batch is retried)
   */
  public Outcome ingest(Registry registry, String repository, Rule rule, List<Entry> files) throws IOException {
    List<Settlement> settlements = new ArrayList<>();
    List<Refusal> refusals = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    Map<String, Map<String, IndexEntry>> byDirectory = new HashMap<>();
    for (Entry entry : files) {
      IndexCache.Lookup lookup = indexes.lookup(entry.directory());
      if (!lookup.usable()) {
        refusals.add(new Refusal(entry, lookup.cause(), lookup.reason()));
        continue;
      }
      if (isIndex(entry)) {
        settlements.add(new Settlement(entry.key(), State.INGESTED, "index of " + lookup.index().entries().size()
            + " files read", null));
        continue;
      }
      Map<String, IndexEntry> described = byDirectory.computeIfAbsent(entry.directory(), d -> byFile(lookup.index()));
      IndexEntry described1 = described.get(DatastoreFiles.text(URI.create(entry.pfn()).normalize()));
      ObservationInfo info = described1 == null ? null : described1.info();
      Map<String, Object> dataId = null;
      if (info != null) {
        try {
          dataId = RawTranslation.dataId(info);
        } catch (RuntimeException e) {
          dataId = null; // RawIngester refuses it with the reason.
        }
      }
      if (dataId != null && rule.instrument() != null && !rule.instrument().equals(dataId.get("instrument"))) {
        refusals.add(new Refusal(entry, RegistryException.class.getName(), "the index says instrument "
            + dataId.get("instrument") + " but rule '" + rule.name() + "' ingests " + rule.instrument() + " raws"));
        continue;
      }
      candidates.add(new Candidate(entry, new RawFile(entry.pfn(), entry.bytes(), entry.adler32(), info), dataId));
    }
    if (candidates.isEmpty()) {
      return new Outcome(settlements, refusals, List.of(), 0);
    }

    RawIngester.Options options = RawIngester.Options.defaults().withOutputRun(rule.run())
        .withRequiredRoot(config.requiredRoot().filter(r -> !r.isBlank()).orElse(null))
        .withBatchSize(Integer.MAX_VALUE);
    RawIngester.Result result;
    try {
      result = ingester.ingest(registry, candidates.stream().map(Candidate::file).toList(), options);
    } catch (RegistryException e) {
      // The run or the raw dataset type conflicts with the registry: nothing of this rule's batch can go in.
      for (Candidate candidate : candidates) {
        refusals.add(new Refusal(candidate.entry(), e.getClass().getName(), e.getMessage()));
      }
      return new Outcome(settlements, refusals, List.of(), 0);
    }
    Map<String, RawIngester.Rejection> rejected = new HashMap<>();
    result.rejections().forEach(r -> rejected.putIfAbsent(r.uri(), r));
    List<Candidate> ingested = new ArrayList<>();
    for (Candidate candidate : candidates) {
      RawIngester.Rejection rejection = rejected.get(candidate.file().uri());
      if (rejection != null) {
        refusals.add(new Refusal(candidate.entry(), RawIngester.class.getName() + ".Stage." + rejection.stage(),
            rejection.reason()));
      } else {
        UUID id = DatasetIds.forRun(RawIngester.DATASET_TYPE, rule.run(), candidate.dataId());
        settlements.add(new Settlement(candidate.entry().key(), State.INGESTED, null, id));
        ingested.add(candidate);
      }
    }
    if (rule.defineVisits() && !ingested.isEmpty()) {
      defineVisits(registry, rule, ingested);
    }
    return new Outcome(settlements, refusals, summaries(repository, rule, ingested), ingested.size());
  }

  /** Whether a replica is an exposure directory's index rather than a raw. */
  public static boolean isIndex(Entry entry) {
    return entry.pfn().equals(entry.directory() + IndexFile.NAME);
  }

  private static Map<String, IndexEntry> byFile(IndexFile index) {
    Map<String, IndexEntry> byFile = new HashMap<>();
    index.byFile().forEach((uri, entry) -> byFile.put(DatastoreFiles.text(uri), entry));
    return byFile;
  }

  /**
   * {@code define-visits --incremental} for the exposures just ingested. A failure here does not undo the raws: it
   * is logged, and the next ingest of those exposures' directories, or an explicit define-visits, defines them.
   */
  private void defineVisits(Registry registry, Rule rule, List<Candidate> ingested) {
    Set<Object> exposures = new LinkedHashSet<>();
    ingested.forEach(c -> exposures.add(c.dataId().get("exposure")));
    String where = "exposure IN (" + String.join(", ", exposures.stream().map(String::valueOf).toList()) + ")";
    try {
      DefineVisits.Result result = defineVisits.run(registry, new DefineVisits.Request(rule.instrument(), null, where,
          false, true, false));
      LOG.infof("define-visits for %d exposures of %s: %d visits (%d new)", exposures.size(), rule.instrument(),
          result.visits(), result.created());
    } catch (RegistryException e) {
      LOG.warnf("define-visits for %d exposures of %s (rule %s) failed: %s", exposures.size(), rule.instrument(),
          rule.name(), e.getMessage());
    }
  }

  /** One summary per Rucio dataset: how many raws of it are in the run, and the first and last data ID. */
  private static List<IngestedEvent> summaries(String repository, Rule rule, List<Candidate> ingested) {
    Comparator<Map<String, Object>> order = Comparator
        .comparing((Map<String, Object> id) -> (Long) id.get("exposure"))
        .thenComparing(id -> (Long) id.get("detector"));
    Map<String, List<Map<String, Object>>> bySource = new LinkedHashMap<>();
    for (Candidate candidate : ingested) {
      bySource.computeIfAbsent(candidate.entry().sourceDid(), s -> new ArrayList<>()).add(candidate.dataId());
    }
    Instant now = Instant.now();
    List<IngestedEvent> summaries = new ArrayList<>();
    bySource.forEach((source, dataIds) -> {
      dataIds.sort(order);
      summaries.add(new IngestedEvent(repository, source, rule.name(), rule.run(), RawIngester.DATASET_TYPE,
          dataIds.size(), dataIds.get(0), dataIds.get(dataIds.size() - 1), now));
    });
    return summaries;
  }
}
