package io.autobutler.watcher.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.logging.Logger;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.watcher.announce.Announcer;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;

/**
 * The reconciling poll: finds the watched datasets ({@code GET /dids/{scope}/dids/search}), lists their replicas
 * AVAILABLE at the RSE ({@code POST /replicas/list}: a dataset seen for the first time in full, the others with
 * {@code updated_after} = the persisted cursor), announces the new ones in batches, then checks the completeness
 * of the datasets that received replicas. The cursor advances only after everything found was announced, to the
 * start of this poll less an overlap (Rucio's {@code updated_after} has one-second resolution, and a replica
 * updated in a transaction that commits late must not slip behind the cursor); what the overlap shows again is
 * filtered out by the ledger. A full listing runs now and then anyway, for whatever an incremental one cannot
 * see (a file attached to a dataset after its replica was made).
 */
public final class ReplicaPoller implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReplicaPoller.class);

  /**
   * @param overlap             how far behind this poll's start the cursor is set
   * @param fullListingInterval how often every dataset is listed in full again
   * @param batchSize           replicas per announcement (one PostgreSQL and one Kafka transaction)
   * @param datasetsPerRequest  datasets per POST /replicas/list
   */
  public record Settings(Duration overlap, Duration fullListingInterval, int batchSize, int datasetsPerRequest) {
  }

  /** What one poll did. */
  public record Result(int datasets, int listed, int announced, int datasetsComplete, Instant cursor) {
  }

  private final RucioClient rucio;
  private final Announcer announcer;
  private final DatasetCompletion completion;
  private final WatchScope scope;
  private final Settings settings;
  private final PollState state;
  /**
   * The poll path is a pipeline, so that listing, the ledger check with the metadata fetch, PostgreSQL and Kafka of
   * different batches overlap (each waits mostly on another process): the poll thread lists; {@code preparing}
   * checks the ledger, fetches metadata and decides a batch in PostgreSQL, several batches at once; {@code
   * publishing} sends the decided batches to Kafka, one transaction at a time, with every batch decided by then.
   */
  private static final int PREPARING_THREADS = 3;
  /** Batches between listing and Kafka at most: bounds the memory a large listing takes. */
  private static final int MAX_IN_FLIGHT = 6;
  private final ExecutorService preparing = Executors.newFixedThreadPool(PREPARING_THREADS, r -> {
    Thread t = new Thread(r, "watcher-prepare");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService publishing = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "watcher-announce");
    t.setDaemon(true);
    return t;
  });

  public ReplicaPoller(RucioClient rucio, Announcer announcer, DataSource dataSource, String schema, WatchScope scope,
                       Settings settings) {
    this.rucio = rucio;
    this.announcer = announcer;
    this.completion = new DatasetCompletion(rucio, announcer, scope.rse());
    this.scope = scope;
    this.settings = settings;
    this.state = new PollState(dataSource, schema, scope.rse());
  }

  /** One poll; safe to call from several threads (polls run one at a time). */
  public synchronized Result pollOnce() {
    Instant started = Instant.now();
    Optional<PollState.Cursor> cursor = state.cursor();
    boolean fullListing = cursor.isEmpty()
        || started.isAfter(cursor.get().lastFullListing().plus(settings.fullListingInterval()));
    Set<Did> datasets = scope.datasets(rucio);
    Set<Did> known = fullListing ? Set.of() : state.knownDatasets();
    List<Did> fresh = datasets.stream().filter(d -> !known.contains(d)).toList();
    List<Did> incremental = datasets.stream().filter(known::contains).toList();

    Batch batch = new Batch();
    Instant firstRequest = null;
    try {
    for (int i = 0; i < fresh.size(); i += settings.datasetsPerRequest()) {
      Instant at = list(fresh.subList(i, Math.min(fresh.size(), i + settings.datasetsPerRequest())), null, batch);
      firstRequest = firstRequest == null ? at : firstRequest;
    }
    for (int i = 0; i < incremental.size(); i += settings.datasetsPerRequest()) {
      Instant at = list(incremental.subList(i, Math.min(incremental.size(), i + settings.datasetsPerRequest())),
          cursor.get().updatedAfter(), batch);
      firstRequest = firstRequest == null ? at : firstRequest;
    }
    batch.finish();
    } finally {
      batch.awaitAll();
    }
    int complete = batch.touched.isEmpty() ? 0 : completion.check(batch.touched);

    Instant newCursor = (firstRequest == null ? started : firstRequest).minus(settings.overlap());
    if (cursor.isPresent() && newCursor.isBefore(cursor.get().updatedAfter())) {
      newCursor = cursor.get().updatedAfter();
    }
    state.advance(new PollState.Cursor(newCursor, fullListing ? started : cursor.get().lastFullListing()), fresh);
    Result result = new Result(datasets.size(), batch.listed, batch.announced, complete, newCursor);
    if (result.announced() > 0 || complete > 0) {
      LOG.infof("poll of %s: %d datasets (%d listed in full), %d AVAILABLE replicas listed, %d announced, %d datasets"
          + " complete", scope.rse(), datasets.size(), fresh.size(), batch.listed, batch.announced, complete);
    }
    return result;
  }

  /** Lists the AVAILABLE replicas of some datasets into the batch; returns when Rucio answered. */
  private Instant list(List<Did> datasets, Instant updatedAfter, Batch batch) {
    Set<String> requested = new HashSet<>();
    datasets.forEach(d -> requested.add(d.toString()));
    return rucio.listReplicas(new RucioClient.ReplicaQuery(datasets, scope.rse(), updatedAfter, false, true), line -> {
      if (!ReplicaEvents.availableAt(line, scope.rse())) {
        return;
      }
      Did dataset = datasets.size() == 1 ? datasets.get(0) : null;
      for (JsonNode parent : line.path("parents")) {
        if (requested.contains(parent.asText())) {
          dataset = Did.parse(parent.asText());
          break;
        }
      }
      batch.add(ReplicaEvents.fromLine(line, scope.rse(), dataset, "poll"));
    });
  }

  /** A batch decided in PostgreSQL, waiting for the Kafka transaction that announces it. */
  private record DecidedBatch(Announcer.Decided decided, CompletableFuture<Integer> announced) {
  }

  private final Queue<DecidedBatch> decidedBatches = new ConcurrentLinkedQueue<>();

  /**
   * On the publishing thread: every batch decided by now goes in one Kafka transaction (a transaction's commit
   * costs round trips whatever its size, so under load several batches share one); a run that finds none left
   * (an earlier run took them) does nothing.
   */
  private void publishDecided() {
    List<DecidedBatch> group = new ArrayList<>();
    for (DecidedBatch b; group.size() < MAX_IN_FLIGHT && (b = decidedBatches.poll()) != null; ) {
      group.add(b);
    }
    if (group.isEmpty()) {
      return;
    }
    try {
      announcer.publish(group.stream().map(DecidedBatch::decided).toList());
      group.forEach(b -> b.announced().complete(b.decided().replicas().size()));
    } catch (RuntimeException e) {
      group.forEach(b -> b.announced().completeExceptionally(e));
    }
  }

  /** Replicas found, handed to the pipeline every {@code batchSize}. */
  private final class Batch {
    final Map<String, ReplicaEvent> pending = new LinkedHashMap<>();
    final Set<Did> touched = new LinkedHashSet<>();
    final Deque<CompletableFuture<Integer>> inFlight = new ArrayDeque<>();
    int listed;
    int announced;

    void add(ReplicaEvent event) {
      listed++;
      if (event.datasetName() != null) {
        touched.add(new Did(event.datasetScope(), event.datasetName()));
      }
      pending.putIfAbsent(event.scope() + ":" + event.name(), event);
      if (pending.size() >= settings.batchSize()) {
        flush();
      }
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      List<ReplicaEvent> found = List.copyOf(pending.values());
      pending.clear();
      CompletableFuture<Integer> outcome = new CompletableFuture<>();
      CompletableFuture.supplyAsync(() -> announcer.decide(prepare(found), List.of()), preparing)
          .whenComplete((decided, error) -> {
            if (error != null) {
              outcome.completeExceptionally(error);
            } else {
              decidedBatches.add(new DecidedBatch(decided, outcome));
              publishing.execute(ReplicaPoller.this::publishDecided);
            }
          });
      inFlight.add(outcome);
      while (inFlight.size() >= MAX_IN_FLIGHT) {
        announced += result(inFlight.poll());
      }
    }

    /** The replicas of a batch not announced yet, with their metadata. */
    private List<ReplicaEvent> prepare(List<ReplicaEvent> found) {
      long t0 = System.nanoTime();
      List<String[]> dids = found.stream().map(e -> new String[] {e.scope(), e.name()}).toList();
      Set<String> done = announcer.alreadyAnnounced(scope.rse(), dids);
      List<ReplicaEvent> fresh = new ArrayList<>();
      for (ReplicaEvent e : found) {
        if (!done.contains(e.scope() + ":" + e.name())) {
          fresh.add(e);
        }
      }
      List<ReplicaEvent> withMetadata = ReplicaEvents.withMetadata(rucio, fresh);
      LOG.debugf("batch of %d: ledger check and metadata %d ms", dids.size(), (System.nanoTime() - t0) / 1_000_000);
      return withMetadata;
    }

    void finish() {
      flush();
      while (!inFlight.isEmpty()) {
        announced += result(inFlight.poll());
      }
    }

    /** Waits for the announcements still running, so that none overlaps the next poll. */
    void awaitAll() {
      while (!inFlight.isEmpty()) {
        try {
          inFlight.poll().get();
        } catch (ExecutionException e) {
          // already failing: the first error is the one reported
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private int result(CompletableFuture<Integer> future) {
      try {
        return future.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while announcing", e);
      }
    }
  }

  @Override
  public void close() {
    preparing.shutdownNow();
    publishing.shutdownNow();
  }
}
