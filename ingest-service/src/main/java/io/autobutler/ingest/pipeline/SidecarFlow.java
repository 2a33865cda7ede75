package io.autobutler.ingest.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.ingest.sidecar.SidecarFormatException;
import io.autobutler.core.ingest.sidecar.SidecarIngester;
import io.autobutler.core.ingest.sidecar.SidecarIngester.Outcome;
import io.autobutler.core.ingest.sidecar.SidecarIngester.SidecarFile;
import io.autobutler.core.ingest.sidecar.SidecarRef;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;

/**
 * The {@code sidecar} action for one batch: each file's {@code rubin_sidecar} (its DatasetRef) read, then every
 * file of the batch ingested with one {@link SidecarIngester} call (one registry transaction). Files whose dimension
 * records have not landed come back as waiting; a missing or malformed sidecar, and every conflict, as refusals.
 */
@ApplicationScoped
public class SidecarFlow {

  private final IngestConfig config;
  private final SidecarIngester ingester = new SidecarIngester();

  public SidecarFlow(IngestConfig config) {
    this.config = config;
  }

  /** A file to ingest under the rule that took it. */
  public record Taken(Entry entry, Rule rule) {
  }

  /** A file that waits for its dimension records, with the reason. */
  public record Waiting(Entry file, String reason) {
  }

  /** What became of a batch's sidecar files. */
  public record Result(List<Settlement> settlements, List<RawFlow.Refusal> refusals, List<Waiting> waiting,
                         List<IngestedEvent> summaries, int datasets) {
  }

  public Result ingest(Registry registry, String repository, List<Taken> files) {
    List<RawFlow.Refusal> refusals = new ArrayList<>();
    List<Taken> readable = new ArrayList<>();
    List<SidecarFile> sidecars = new ArrayList<>();
    for (Taken taken : files) {
      Entry entry = taken.entry();
      try {
        SidecarRef ref = SidecarRef.parse(entry.rubinSidecar());
        sidecars.add(new SidecarFile(entry.pfn(), entry.bytes(), entry.adler32(), ref));
        readable.add(taken);
      } catch (SidecarFormatException e) {
        refusals.add(new RawFlow.Refusal(entry, e.getClass().getName(), "rule '" + taken.rule().name() + "': "
            + e.getMessage()));
      }
    }
    SidecarIngester.Result result = ingester.ingest(registry, sidecars,
        config.requiredRoot().filter(r -> !r.isBlank()).orElse(null));
    List<Settlement> settlements = new ArrayList<>();
    List<Waiting> waiting = new ArrayList<>();
    Map<List<String>, List<Map<String, Object>>> ingested = new LinkedHashMap<>();
    for (int i = 0; i < readable.size(); i++) {
      Taken taken = readable.get(i);
      Outcome outcome = result.outcomes().get(i);
      SidecarRef ref = outcome.file().ref();
      switch (outcome.status()) {
        case INGESTED -> {
          settlements.add(new Settlement(taken.entry().key(), State.INGESTED, null, ref.id()));
          ingested.computeIfAbsent(List.of(taken.entry().sourceDid(), taken.rule().name(), ref.run(), ref.datasetType()),
              k -> new ArrayList<>()).add(outcome.requiredDataId());
        }
        case WAITING -> waiting.add(new Waiting(taken.entry(), outcome.reason()));
        case REJECTED -> refusals.add(new RawFlow.Refusal(taken.entry(), outcome.cause(), outcome.reason()));
      }
    }
    return new Result(settlements, refusals, waiting, summaries(repository, ingested),
        settlements.size());
  }

  /**
   * One summary per Rucio dataset, rule, run and dataset type (the map's key, in that order): how many, the first and
   * last data ID. The zip action sums up its zips the same way.
   */
  static List<IngestedEvent> summaries(String repository,
                                       Map<List<String>, List<Map<String, Object>>> ingested) {
    Instant now = Instant.now();
    Comparator<Map<String, Object>> order = Comparator.comparing(id -> String.valueOf(id.values()));
    List<IngestedEvent> summaries = new ArrayList<>();
    ingested.forEach((group, dataIds) -> {
      dataIds.sort(order);
      summaries.add(new IngestedEvent(repository, group.get(0), group.get(1), group.get(2), group.get(3),
          dataIds.size(), dataIds.get(0), dataIds.get(dataIds.size() - 1), now));
    });
    return summaries;
  }
}
