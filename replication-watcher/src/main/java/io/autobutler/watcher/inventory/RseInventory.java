package io.autobutler.watcher.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.watcher.poll.ReplicaEvents;
import io.autobutler.watcher.poll.WatchScope;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;
import io.autobutler.watcher.rucio.RucioException;
import io.autobutler.watcher.runtime.WatcherConfig;
import io.autobutler.watcher.runtime.WatcherRuntime;

/**
 * What Rucio has at the watched RSE right now, listed from Rucio for whoever must compare it with something else (the
 * verifier compares it with the registry): the watched datasets (found as the poll finds them) and any others asked
 * for, each with its files whose replica is AVAILABLE at the RSE. Only reads Rucio; announces nothing.
 */
@ApplicationScoped
public class RseInventory {

  private final WatcherConfig config;
  private volatile RucioClient rucio;
  private volatile WatchScope scope;

  public RseInventory(WatcherConfig config) {
    this.config = config;
  }

  /** A file of a dataset whose replica is AVAILABLE at the RSE. */
  public record RseFile(String scope, String name, String pfn, Long bytes, String adler32) {
  }

  /** One Rucio dataset: whether Rucio knows it, and its files AVAILABLE at the RSE. */
  public record RseDataset(String rse, String dataset, boolean exists, List<RseFile> files) {
  }

  /** Whether Rucio is configured (autobutler.watcher.rucio.url); without it there is nothing to list. */
  public boolean configured() {
    return config.rucio().url().isPresent();
  }

  /**
   * Hands each dataset to {@code datasets} as soon as its files are listed: the watched ones, then those of
   * {@code extra} ({@code scope:name}) that were not among them ({@code exists: false} for one Rucio does not know).
   */
  public void list(List<String> extra, Consumer<RseDataset> datasets) {
    RucioClient client = client();
    WatchScope watched = scope();
    Set<Did> found = watched.datasets(client);
    List<Did> asked = new ArrayList<>();
    for (String did : extra) {
      Did parsed = Did.parse(did);
      if (!found.contains(parsed) && !asked.contains(parsed)) {
        asked.add(parsed);
      }
    }
    List<Did> known = new ArrayList<>(found);
    for (Did did : asked) {
      if (exists(client, did)) {
        known.add(did);
      } else {
        datasets.accept(new RseDataset(watched.rse(), did.toString(), false, List.of()));
      }
    }
    int chunk = Math.max(1, config.poll().datasetsPerRequest());
    for (int i = 0; i < known.size(); i += chunk) {
      List<Did> dids = known.subList(i, Math.min(known.size(), i + chunk));
      listChunk(client, watched.rse(), dids).forEach(datasets);
    }
  }

  private static List<RseDataset> listChunk(RucioClient client, String rse, List<Did> dids) {
    Map<String, List<RseFile>> files = new LinkedHashMap<>();
    dids.forEach(d -> files.put(d.toString(), new ArrayList<>()));
    client.listReplicas(new RucioClient.ReplicaQuery(dids, rse, null, false, true), line -> {
      if (!ReplicaEvents.availableAt(line, rse)) {
        return;
      }
      String dataset = dids.size() == 1 ? dids.get(0).toString() : null;
      for (JsonNode parent : line.path("parents")) {
        if (files.containsKey(parent.asText())) {
          dataset = parent.asText();
          break;
        }
      }
      if (dataset != null) {
        files.get(dataset).add(new RseFile(line.path("scope").asText(), line.path("name").asText(),
            line.path("rses").path(rse).get(0).asText(),
            line.path("bytes").isNumber() ? line.path("bytes").asLong() : null, line.path("adler32").asText(null)));
      }
    });
    List<RseDataset> listed = new ArrayList<>();
    files.forEach((did, list) -> listed.add(new RseDataset(rse, did, true, list)));
    return listed;
  }

  /** Whether Rucio knows the dataset: its file list answers, or 404 says it does not. */
  private static boolean exists(RucioClient client, Did did) {
    try {
      client.files(did, line -> { });
      return true;
    } catch (RucioException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  private RucioClient client() {
    if (rucio == null) {
      synchronized (this) {
        if (rucio == null) {
          rucio = WatcherRuntime.rucioClient(config);
        }
      }
    }
    return rucio;
  }

  private WatchScope scope() {
    if (scope == null) {
      scope = WatcherRuntime.watchScope(config);
    }
    return scope;
  }
}
