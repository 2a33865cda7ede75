package io.autobutler.watcher.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.logging.Logger;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.watcher.announce.Announcer;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;

/**
 * Announces datasets that are complete at the RSE: Rucio's deep dataset replica has {@code length ==
 * available_length} (Rubin's completeness test), and every file of the dataset has been announced, so that the
 * dataset event follows its files' events.
 */
public final class DatasetCompletion {

  private static final Logger LOG = Logger.getLogger(DatasetCompletion.class);

  private final RucioClient rucio;
  private final Announcer announcer;
  private final String rse;

  public DatasetCompletion(RucioClient rucio, Announcer announcer, String rse) {
    this.rucio = rucio;
    this.announcer = announcer;
    this.rse = rse;
  }

  /** Checks these datasets (ones that just received replicas) and announces the complete ones. */
  public int check(Collection<Did> datasets) {
    List<DatasetEvent> complete = new ArrayList<>();
    for (Did dataset : datasets) {
      JsonNode atRse = rucio.datasetReplicas(dataset, true).stream()
          .filter(line -> rse.equals(line.path("rse").asText())).findFirst().orElse(null);
      if (atRse == null) {
        continue;
      }
      long length = atRse.path("length").asLong(-1);
      if (length <= 0 || length != atRse.path("available_length").asLong(-2)) {
        continue;
      }
      List<String[]> files = new ArrayList<>();
      rucio.files(dataset, f -> files.add(new String[] {f.path("scope").asText(), f.path("name").asText()}));
      int announced = announcer.alreadyAnnounced(rse, files).size();
      if (announced < files.size()) {
        LOG.debugf("dataset %s is complete at %s but %d of its %d files are not announced yet", dataset, rse,
            files.size() - announced, files.size());
        continue;
      }
      complete.add(new DatasetEvent(dataset.scope(), dataset.name(), rse, files.size(),
          atRse.path("bytes").asLong(), Instant.now()));
    }
    return complete.isEmpty() ? 0 : announcer.announce(List.of(), complete).datasets().size();
  }
}
