package io.autobutler.ingest.service;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.messaging.DeadLetter;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Key;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.core.runtime.IndexSchema;
import io.autobutler.ingest.pipeline.Backoff;
import io.autobutler.ingest.pipeline.CampaignRules;
import io.autobutler.ingest.pipeline.DeadLetters;
import io.autobutler.ingest.pipeline.DimensionFileFlow;
import io.autobutler.ingest.pipeline.IngestConfig;
import io.autobutler.ingest.pipeline.IngestMetrics;
import io.autobutler.ingest.pipeline.IndexCache;
import io.autobutler.ingest.pipeline.PipelineHealth;
import io.autobutler.ingest.pipeline.RawFlow;
import io.autobutler.ingest.pipeline.SidecarFlow;
import io.autobutler.ingest.pipeline.TargetRepository;
import io.autobutler.ingest.pipeline.ZipFlow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * The replica half of the ingest pipeline, a Kafka batch at a time per consumer. The events are recorded in the
 * replica ledger (the pipeline's durable state); then each pending replica the batch touches is classified by the
 * campaign manifest's rules: dimension files are imported first, then zips, then sidecar datasets (which may wait
 * for their dimension records), then {@code ingest-raws} files, which wait until their directory's
 * {@code _index.json} has landed and then go into the registry together; files no rule takes, and files of rules
 * that work on whole Rucio datasets ({@code import}, {@code ingest-files}), are marked skipped; refused files go to
 * the dead-letter topic. Summaries go to {@code butler.ingested} after the registry commit, and the ledger is settled
 * last, so a failure anywhere before means the batch is retried (with backoff, readiness DOWN) and, being
 * idempotent, redone.
 */
@ApplicationScoped
public class ReplicaIngest {

  private static final Logger LOG = Logger.getLogger(ReplicaIngest.class);

  private final ReplicaLedger ledger;
  private final IndexSchema indexSchema;
  private final CampaignRules rules;
  private final TargetRepository target;
  private final RawFlow rawFlow;
  private final SidecarFlow sidecarFlow;
  private final DimensionFileFlow dimensionFlow;
  private final ZipFlow zipFlow;
  private final IndexCache indexes;
  private final DeadLetters deadLetters;
  private final IngestMetrics metrics;
  private final PipelineHealth health;
  private final MutinyEmitter<Record<String, String>> ingested;
  private final Counter received;
  private final Counter recorded;
  private final Progress progress;
  private final int poisonAttempts;
  private final Duration dimensionWait;
  /** Waiting sidecars retried when a dimension file brings records (the sweep takes the rest). */
  private static final int WAITING_RETRIED_PER_BATCH = 10_000;
  /**
   * Batches run side by side (one per partition being consumed: events are keyed by Rucio dataset, so two batches
   * hold different files, and the registry's writes are idempotent); a sweep, which may take any pending file, runs
   * alone.
   */
  private final ReadWriteLock pipeline = new ReentrantReadWriteLock();
  /** Rucio datasets whose unmatched files were already logged, so that the log says it once per dataset. */
  private final Set<String> unmatchedLogged = java.util.Collections.newSetFromMap(
      new java.util.concurrent.ConcurrentHashMap<>());

  /** A replica event as consumed: the original record value is what a dead letter carries. */
  public record Delivered(ReplicaEvent event, String value, int partition, long offset) {
  }

  public ReplicaIngest(ReplicaLedger ledger, IndexSchema indexSchema, CampaignRules rules, TargetRepository target,
                       RawFlow rawFlow, SidecarFlow sidecarFlow, DimensionFileFlow dimensionFlow, ZipFlow zipFlow,
                       IndexCache indexes, DeadLetters deadLetters, IngestMetrics metrics,
                       PipelineHealth health, IngestConfig config, MeterRegistry meters,
                       @Channel("ingested") MutinyEmitter<Record<String, String>> ingested) {
    this.ledger = ledger;
    this.indexSchema = indexSchema;
    this.rules = rules;
    this.target = target;
    this.rawFlow = rawFlow;
    this.sidecarFlow = sidecarFlow;
    this.zipFlow = zipFlow;
    this.dimensionFlow = dimensionFlow;
    this.indexes = indexes;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.health = health;
    this.ingested = ingested;
    this.received = meters.counter("autobutler.replicas.received");
    this.recorded = meters.counter("autobutler.replicas.recorded");
    this.progress = new Progress(config.progressInterval());
    this.poisonAttempts = config.poisonAttempts();
    this.dimensionWait = config.dimensionWait();
  }

  /**
   * Processes one batch until it is done; returns only then, so the caller acknowledges after the commit. A batch
   * that keeps failing with an error that is not the infrastructure's is dead-lettered whole, with the error, after
   * {@code autobutler.ingest.poison-attempts} tries, so that the stream goes on.
   */
  public void process(List<Delivered> batch) {
    if (batch.isEmpty()) {
      return;
    }
    String what = "ingesting " + batch.size() + " replica events";
    try {
      Backoff.untilDone(what, health, poisonAttempts, () -> {
        pipeline.readLock().lock();
        try {
          processOnce(batch);
        } finally {
          pipeline.readLock().unlock();
        }
        return null;
      });
    } catch (Backoff.GaveUp gaveUp) {
      Backoff.untilDone("dead-lettering " + batch.size() + " replica events", health, Integer.MAX_VALUE, () -> {
        pipeline.readLock().lock();
        try {
          deadLetterBatch(batch, gaveUp);
        } finally {
          pipeline.readLock().unlock();
        }
        return null;
      });
    }
  }

  /**
   * Every event of a batch given up on to the dead-letter topic; its replicas recorded as rejected, but for those
   * an earlier delivery settled.
   */
  private void deadLetterBatch(List<Delivered> batch, Backoff.GaveUp gaveUp) throws Exception {
    for (Delivered d : batch) {
      deadLetters.send(new DeadLetter(Topics.RUCIO_REPLICAS, d.partition(), d.offset(), d.event().key(),
          d.value(), gaveUp.causeClass(), gaveUp.getMessage()));
    }
    indexSchema.ensure();
    List<ReplicaEvent> events = batch.stream().map(Delivered::event).toList();
    Map<Key, Entry> known = ledger.lookup(events, Set.of(), IndexFile.NAME).recorded();
    Map<Key, Settlement> rejected = new HashMap<>();
    for (ReplicaEvent event : events) {
      Entry entry = known.get(Key.of(event));
      if (entry == null || entry.state() == State.PENDING) {
        rejected.put(Key.of(event), new Settlement(Key.of(event), State.REJECTED, gaveUp.getMessage(), null));
      }
    }
    recorded.increment(ledger.recordOutcome(events, rejected, Map.of()));
  }

  /**
   * Ingests the raws left pending in directories whose {@code _index.json} is already recorded (a crash between
   * recording a batch and ingesting it leaves them so, and no later event may touch their directory again), through
   * the same path as a batch, {@code directoriesPerRound} directories at a time. One attempt: a failure is thrown and
   * the next sweep tries again.
   *
   * @return how many directories were swept
   */
  public int sweepPending(int directoriesPerRound) throws Exception {
    if (!rules.configured()) {
      return 0;
    }
    indexSchema.ensure();
    int swept = 0;
    while (true) {
      pipeline.writeLock().lock();
      try {
        List<String> directories = ledger.pendingDirectoriesHolding(IndexFile.NAME, directoriesPerRound);
        if (directories.isEmpty()) {
          return swept;
        }
        Map<Key, Entry> pending = new LinkedHashMap<>();
        ledger.pendingIn(directories).forEach(e -> pending.put(e.key(), e));
        settle(ingestPending(target.registry(), pending, new HashMap<>(), readyDirectories(pending), Map.of()));
        swept += directories.size();
        if (ledger.pendingDirectoriesHolding(IndexFile.NAME, directoriesPerRound).stream()
            .anyMatch(directories::contains)) {
          // Replicas of these directories no rule settles stay pending: going round again would never end.
          return swept;
        }
      } finally {
        pipeline.writeLock().unlock();
      }
    }
  }

  /**
   * Retries the sidecar datasets waiting in the ledger for their dimension records (their records may have come
   * another way than a dimension file, e.g. an import or ingest-raws), and gives up on those that have waited longer
   * than {@code autobutler.ingest.dimension-wait}: dead-lettered with the reason. One round of at most
   * {@code limit}; a failure is thrown and the next sweep tries again.
   *
   * @return how many waiting replicas were looked at
   */
  public int sweepWaiting(int limit) throws Exception {
    if (!rules.configured()) {
      return 0;
    }
    indexSchema.ensure();
    pipeline.writeLock().lock();
    try {
      Map<Key, Entry> waiting = new LinkedHashMap<>();
      ledger.waiting(limit).forEach(e -> waiting.put(e.key(), e));
      if (!waiting.isEmpty()) {
        settle(ingestPending(target.registry(), waiting, new HashMap<>(), readyDirectories(waiting), Map.of()));
      }
      return waiting.size();
    } finally {
      pipeline.writeLock().unlock();
    }
  }

  private void processOnce(List<Delivered> batch) throws Exception {
    indexSchema.ensure();
    List<ReplicaEvent> events = batch.stream().map(Delivered::event).toList();
    received.increment(batch.size());
    if (!rules.configured()) {
      recorded.increment(ledger.record(events).added());
      return;
    }
    // Each replica's rule, matched once; the directories of the batch's raws, in which the ledger looks for what
    // earlier batches left.
    Map<Key, Optional<Rule>> ruleOf = new HashMap<>();
    Set<String> rawDirectories = new HashSet<>();
    for (ReplicaEvent event : events) {
      Optional<Rule> rule = rules.ruleFor(event);
      ruleOf.put(Key.of(event), rule);
      rule.filter(r -> r.action() == Action.INGEST_RAWS)
          .ifPresent(r -> rawDirectories.add(ReplicaLedger.directoryOf(event.pfn())));
    }
    ReplicaLedger.Before before = ledger.lookup(events, rawDirectories, IndexFile.NAME);
    Registry registry = target.registry();
    Map<Key, Delivered> delivered = new HashMap<>();
    for (Delivered d : batch) {
      delivered.put(Key.of(d.event()), d);
      // A new replica of an index replaces what was read of it.
      if (d.event().pfn().endsWith("/" + IndexFile.NAME)) {
        indexes.forget(d.event().pfn().substring(0, d.event().pfn().length() - IndexFile.NAME.length()));
      }
    }
    // The batch's replicas to process: the new ones and those recorded before that are still pending. A raw
    // directory is ready once its index is recorded, in this batch or before; its raws that earlier batches left
    // pending go in with this one.
    Map<Key, Entry> pending = new LinkedHashMap<>();
    Set<String> ready = new HashSet<>(before.holdingBefore());
    for (ReplicaEvent event : events) {
      Entry known = before.recorded().get(Key.of(event));
      Entry entry = known == null ? Entry.of(event) : known.withPfn(event.pfn());
      if (RawFlow.isIndex(entry)) {
        ready.add(entry.directory());
      }
      if (entry.state() == State.PENDING) {
        pending.put(entry.key(), entry);
      }
    }
    before.pendingBefore().stream().filter(e -> ready.contains(e.directory()))
        .forEach(e -> pending.putIfAbsent(e.key(), e));
    Outcome outcome = ingestPending(registry, pending, ruleOf, ready, delivered);
    // The batch's replicas are written once, with what became of them; those of earlier batches are settled.
    Map<Key, Settlement> settled = new HashMap<>();
    Map<Key, Settlement> waiting = new HashMap<>();
    List<Settlement> settledBefore = new ArrayList<>();
    List<Settlement> waitingBefore = new ArrayList<>();
    outcome.settlements().forEach(st -> {
      if (delivered.containsKey(st.key())) {
        settled.put(st.key(), st);
      } else {
        settledBefore.add(st);
      }
    });
    outcome.waiting().forEach(w -> {
      if (delivered.containsKey(w.key())) {
        waiting.put(w.key(), w);
      } else {
        waitingBefore.add(w);
      }
    });
    recorded.increment(ledger.recordOutcome(events, settled, waiting));
    ledger.settle(settledBefore);
    ledger.keepWaiting(waitingBefore);
    report(outcome, batch.size());
  }

  /**
   * The raw directories of these pending replicas whose index is recorded; their other pending replicas are added
   * to {@code pending}. For sweeps, which start from the ledger rather than from a batch.
   */
  private Set<String> readyDirectories(Map<Key, Entry> pending) throws SQLException {
    Set<String> rawDirectories = new LinkedHashSet<>();
    for (Entry entry : pending.values()) {
      rules.ruleFor(entry).filter(r -> r.action() == Action.INGEST_RAWS)
          .ifPresent(r -> rawDirectories.add(entry.directory()));
    }
    Set<String> ready = new HashSet<>();
    for (Entry entry : ledger.pendingInDirectoriesHolding(rawDirectories, IndexFile.NAME)) {
      ready.add(entry.directory());
      pending.putIfAbsent(entry.key(), entry);
    }
    return ready;
  }

  /**
   * What became of the replicas a batch or a sweep took: the ledger's settlements and the replicas that keep
   * waiting, for the caller to write (last: after the registry commit, the dead letters and the summaries), and the
   * counts it then reports.
   */
  private record Outcome(List<Settlement> settlements, List<Settlement> waiting, int raws, int sidecars, int zips,
                         int unmatched, int deadLetters) {
  }

  /** The ledger settled with a sweep's outcome, then its counts reported. */
  private void settle(Outcome outcome) throws SQLException {
    ledger.settle(outcome.settlements());
    ledger.keepWaiting(outcome.waiting());
    report(outcome, 0);
  }

  private void report(Outcome outcome, int batchEvents) {
    metrics.ingested(Action.INGEST_RAWS.label(), outcome.raws());
    metrics.ingested(Action.SIDECAR.label(), outcome.sidecars());
    metrics.ingested(Action.INGEST_ZIP.label(), outcome.zips());
    metrics.unmatched(outcome.unmatched());
    progress.add(batchEvents, outcome.raws() + outcome.sidecars() + outcome.zips(), outcome.deadLetters());
  }

  /**
   * Processes {@code pending} replicas: classified by the manifest's rules ({@code ruleOf} holds those already
   * matched), raws of {@code ready} directories (whose index is recorded) ingested, refusals dead-lettered and
   * summaries sent once the registry has committed; returns what the ledger must be told. {@code delivered} holds
   * the Kafka records of the replicas that came in this batch (none for a sweep).
   */
  private Outcome ingestPending(Registry registry, Map<Key, Entry> pending, Map<Key, Optional<Rule>> ruleOf,
                                Set<String> ready, Map<Key, Delivered> delivered) throws Exception {
    List<Settlement> settlements = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>();
    Map<Rule, List<Entry>> raws = new LinkedHashMap<>();
    Map<Key, SidecarFlow.Taken> sidecars = new LinkedHashMap<>();
    List<SidecarFlow.Taken> dimensionFiles = new ArrayList<>();
    List<SidecarFlow.Taken> zips = new ArrayList<>();
    List<Entry> unmatched = new ArrayList<>();
    for (Entry entry : pending.values()) {
      Rule rule = ruleOf.computeIfAbsent(entry.key(), k -> rules.ruleFor(entry)).orElse(null);
      if (rule == null) {
        unmatched.add(entry);
        settlements.add(new Settlement(entry.key(), State.SKIPPED, "no manifest rule takes it", null));
        continue;
      }
      // The one place where a replica's action is decided.
      switch (rule.action()) {
        case INGEST_RAWS -> {
          if (ready.contains(entry.directory())) {
            raws.computeIfAbsent(rule, r -> new ArrayList<>()).add(entry);
          }
        }
        case IMPORT -> settlements.add(new Settlement(entry.key(), State.SKIPPED, "rule '" + rule.name()
            + "' imports its whole Rucio dataset when rucio.datasets says it is complete", null));
        case INGEST_FILES -> settlements.add(new Settlement(entry.key(), State.SKIPPED, "rule '" + rule.name()
            + "': taken with its whole Rucio dataset when rucio.datasets says it is complete", null));
        case SIDECAR -> sidecars.put(entry.key(), new SidecarFlow.Taken(entry, rule));
        case IMPORT_DIMENSIONS -> dimensionFiles.add(new SidecarFlow.Taken(entry, rule));
        case INGEST_ZIP -> zips.add(new SidecarFlow.Taken(entry, rule));
      }
    }
    logUnmatched(unmatched);

    List<IngestedEvent> summaries = new ArrayList<>();
    int datasets = 0;
    // Dimension files first, whatever their place in the batch, so that the datasets needing their records go in
    // with this batch; the records they bring may also be what sidecars waiting in the ledger need.
    if (!dimensionFiles.isEmpty()) {
      DimensionFileFlow.Result imported = dimensionFlow.importFiles(registry, dimensionFiles);
      settlements.addAll(imported.settlements());
      imported.refusals().forEach(r -> refuse(r, delivered, settlements, letters));
      if (imported.records() > 0) {
        for (Entry waiting : ledger.waiting(WAITING_RETRIED_PER_BATCH)) {
          rules.ruleFor(waiting).filter(r -> r.action() == Action.SIDECAR)
              .ifPresent(r -> sidecars.putIfAbsent(waiting.key(), new SidecarFlow.Taken(waiting, r)));
        }
      }
    }
    // Zips next (their index brings their own dimension records), as ctrl_ingestd orders them.
    int zipDatasets = 0;
    if (!zips.isEmpty()) {
      ZipFlow.Result outcome = zipFlow.ingest(registry, target.name(), zips);
      settlements.addAll(outcome.settlements());
      summaries.addAll(outcome.summaries());
      zipDatasets = outcome.datasets();
      outcome.refusals().forEach(r -> refuse(r, delivered, settlements, letters));
    }
    List<Settlement> waiting = new ArrayList<>();
    int sidecarDatasets = 0;
    if (!sidecars.isEmpty()) {
      SidecarFlow.Result outcome = sidecarFlow.ingest(registry, target.name(), List.copyOf(sidecars.values()));
      settlements.addAll(outcome.settlements());
      summaries.addAll(outcome.summaries());
      sidecarDatasets = outcome.datasets();
      outcome.refusals().forEach(r -> refuse(r, delivered, settlements, letters));
      Map<Key, java.time.OffsetDateTime> since = ledger.waitingSince(
          outcome.waiting().stream().map(w -> w.file().key()).toList());
      java.time.OffsetDateTime giveUpBefore = java.time.OffsetDateTime.now().minus(dimensionWait);
      for (SidecarFlow.Waiting w : outcome.waiting()) {
        java.time.OffsetDateTime started = since.get(w.file().key());
        if (started != null && started.isBefore(giveUpBefore)) {
          refuse(new RawFlow.Refusal(w.file(), java.util.concurrent.TimeoutException.class.getName(), "gave up after"
              + " waiting longer than " + dimensionWait + " (autobutler.ingest.dimension-wait): " + w.reason()),
              delivered, settlements, letters);
        } else {
          waiting.add(new Settlement(w.file().key(), State.PENDING, w.reason(), null));
        }
      }
    }
    for (Map.Entry<Rule, List<Entry>> group : raws.entrySet()) {
      RawFlow.Outcome outcome = rawFlow.ingest(registry, target.name(), group.getKey(), group.getValue());
      settlements.addAll(outcome.settlements());
      summaries.addAll(outcome.summaries());
      datasets += outcome.datasets();
      outcome.refusals().forEach(r -> refuse(r, delivered, settlements, letters));
    }

    // The registry has committed: dead letters and summaries are sent (and acknowledged by the broker) before the
    // ledger says the files are done, so a crash in between repeats them rather than losing them.
    letters.forEach(deadLetters::send);
    sendAll(summaries);
    return new Outcome(settlements, waiting, datasets, sidecarDatasets, zipDatasets, unmatched.size(),
        letters.size());
  }

  /** A refused file: rejected in the ledger, and a dead letter with its event. */
  private void refuse(RawFlow.Refusal refusal, Map<Key, Delivered> delivered, List<Settlement> settlements,
                      List<DeadLetter> letters) {
    settlements.add(new Settlement(refusal.file().key(), State.REJECTED, refusal.reason(), null));
    letters.add(deadLetter(refusal.file(), delivered.get(refusal.file().key()), refusal.cause(), refusal.reason()));
  }

  /** Sends the summaries together and waits until the broker has them all: one round trip, not one each. */
  private void sendAll(List<IngestedEvent> summaries) {
    if (summaries.isEmpty()) {
      return;
    }
    List<io.smallrye.mutiny.Uni<Void>> sends = summaries.stream()
        .map(summary -> ingested.send(Record.of(summary.key(), EventJson.write(summary)))).toList();
    io.smallrye.mutiny.Uni.join().all(sends).andFailFast().await().indefinitely();
  }

  private DeadLetter deadLetter(Entry entry, Delivered delivered, String cause, String reason) {
    String key = entry.sourceDid();
    if (delivered != null) {
      return new DeadLetter(Topics.RUCIO_REPLICAS, delivered.partition(), delivered.offset(), key, delivered.value(),
          cause, reason);
    }
    // It waited in the ledger: its event is rebuilt from what the ledger recorded of it.
    return new DeadLetter(Topics.RUCIO_REPLICAS, -1, -1L, key, EventJson.write(entry.event()), cause,
        entry.pfn() + ": " + reason);
  }

  private void logUnmatched(Collection<Entry> unmatched) {
    Map<String, Integer> byDataset = new LinkedHashMap<>();
    unmatched.forEach(e -> byDataset.merge(e.datasetScope() + ":" + e.datasetName(), 1, Integer::sum));
    byDataset.forEach((dataset, files) -> {
      if (unmatchedLogged.size() < 100_000 && unmatchedLogged.add(dataset)) {
        LOG.infof("no manifest rule takes the files of Rucio dataset %s (%d in this batch): recorded, not ingested",
            dataset, files);
      }
    });
  }

  /** A log line every interval while batches keep coming, so that a long ingest shows it is moving. */
  private static final class Progress {
    private final long intervalNanos;
    private long windowStart = System.nanoTime();
    private long events;
    private long datasets;
    private long deadLetters;
    private long totalDatasets;

    Progress(Duration interval) {
      this.intervalNanos = interval.toNanos();
    }

    synchronized void add(int batchEvents, int batchDatasets, int batchDeadLetters) {
      events += batchEvents;
      datasets += batchDatasets;
      deadLetters += batchDeadLetters;
      totalDatasets += batchDatasets;
      long elapsed = System.nanoTime() - windowStart;
      if (elapsed >= intervalNanos) {
        double seconds = elapsed / 1e9;
        LOG.infof("ingest progress: %d replica events, %d datasets ingested (%.0f/s), %d dead letters in the last"
            + " %.0f s; %d datasets since start", events, datasets, datasets / seconds, deadLetters, seconds,
            totalDatasets);
        windowStart = System.nanoTime();
        events = 0;
        datasets = 0;
        deadLetters = 0;
      }
    }
  }
}
