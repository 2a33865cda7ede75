package io.autobutler.ingest.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.ingest.zip.ZipIndexException;
import io.autobutler.core.ingest.zip.ZipIngester;
import io.autobutler.core.ingest.zip.ZipIngester.ZipSource;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;

/**
 * The {@code ingest-zip} action: files Rubin registers with {@code rubin_butler: zip_file} are butler zips (LSSTCam
 * raws), ingested as ctrl_ingestd's {@code butler.ingest_zip(path)} with transfer {@code direct}: their index's
 * dimension records, dataset types, runs and datasets, each member recorded inside the zip. All zips of a batch go
 * through one {@link ZipIngester} call; a zip already in the registry is counted, not refused, so a replay changes
 * nothing; a zip that cannot go in (not a zip, no index, a conflict) is refused with the engine's reason.
 */
@ApplicationScoped
public class ZipFlow {

  private final ZipIngester ingester = new ZipIngester();

  /** What became of a batch's zips. */
  public record Result(List<Settlement> settlements, List<RawFlow.Refusal> refusals, List<IngestedEvent> summaries,
                       int datasets) {
  }

  /**
   * Ingests the batch's zips.
   *
   * @throws IOException when a zip could not be read for now (not a missing one): the batch is retried
   */
  public Result ingest(Registry registry, String repository, List<SidecarFlow.Taken> zips) throws IOException {
    Map<String, SidecarFlow.Taken> byUri = new LinkedHashMap<>();
    zips.forEach(z -> byUri.putIfAbsent(z.entry().pfn(), z));
    ZipIngester.Result result = ingester.ingest(registry, byUri.values().stream()
        .map(z -> new ZipSource(z.entry().pfn(), z.entry().bytes(), z.entry().adler32())).toList(),
        ZipIngester.Options.defaults().withSkipExisting(true));

    List<RawFlow.Refusal> refusals = new ArrayList<>();
    Map<String, ZipIngester.Rejection> rejected = new HashMap<>();
    for (ZipIngester.Rejection rejection : result.rejections()) {
      if (isTransient(rejection.cause())) {
        throw new IOException("zip " + rejection.uri() + " cannot be read now: " + rejection.reason());
      }
      rejected.putIfAbsent(rejection.uri(), rejection);
    }
    Map<List<String>, List<Map<String, Object>>> ingested = new LinkedHashMap<>();
    for (ZipIngester.ZipDatasets content : result.contents()) {
      SidecarFlow.Taken zip = byUri.get(content.uri());
      ingested.computeIfAbsent(List.of(zip.entry().sourceDid(), zip.rule().name(), content.run(),
          content.datasetType()), k -> new ArrayList<>()).addAll(content.dataIds());
    }
    List<Settlement> settlements = new ArrayList<>();
    for (SidecarFlow.Taken zip : zips) {
      ZipIngester.Rejection rejection = rejected.get(zip.entry().pfn());
      if (rejection != null) {
        refusals.add(new RawFlow.Refusal(zip.entry(), rejection.cause(), "rule '" + zip.rule().name() + "': "
            + rejection.reason()));
      } else {
        int datasets = result.contents().stream().filter(c -> c.uri().equals(zip.entry().pfn()))
            .mapToInt(c -> c.dataIds().size()).sum();
        settlements.add(new Settlement(zip.entry().key(), State.INGESTED, "zip of " + datasets + " datasets", null));
      }
    }
    return new Result(settlements, refusals, SidecarFlow.summaries(repository, ingested), result.datasets());
  }

  /** A storage that did not answer is retried; a zip that is not there, or not a good zip, is refused. */
  private static boolean isTransient(String cause) {
    try {
      Class<?> type = Class.forName(cause);
      return IOException.class.isAssignableFrom(type) && !FileNotFoundException.class.isAssignableFrom(type)
          && !NoSuchFileException.class.isAssignableFrom(type) && !ZipIndexException.class.isAssignableFrom(type);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
