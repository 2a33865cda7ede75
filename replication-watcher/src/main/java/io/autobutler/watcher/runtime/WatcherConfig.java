package io.autobutler.watcher.runtime;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The watcher's settings, under {@code autobutler.watcher} (environment: AUTOBUTLER_WATCHER_RUCIO_URL, …).
 * Without {@code rucio.url} the watcher only announces replicas posted to its REST endpoint.
 */
@ConfigMapping(prefix = "autobutler.watcher")
public interface WatcherConfig {

  Rucio rucio();

  /**
   * The campaign manifest (YAML) whose {@code rucio} section names the RSE and scopes, and whose rules'
   * {@code match.dataset} globs name the datasets to watch; the settings below win over it.
   */
  Optional<String> manifest();

  /** The RSE whose replicas are watched, e.g. IN2P3_RAW_DISK (else the manifest's, else IN2P3_RAW_DISK). */
  Optional<String> rse();

  /** The scopes whose datasets are watched (else the manifest's, else raw). */
  Optional<List<String>> scopes();

  /** Dataset name globs within those scopes (else the manifest rules' match.dataset, else '*'). */
  Optional<List<String>> datasetPatterns();

  Poll poll();

  Hermes hermes();

  /** The schema of the watcher's state (ledger, cursor, pending batches, hints); Flyway creates it. */
  @WithDefault("watcher")
  String schema();

  /** The topic of replica events (rucio.replicas); another name keeps a second watcher's events apart. */
  @WithDefault("rucio.replicas")
  String replicasTopic();

  /** The topic of complete-dataset events (rucio.datasets). */
  @WithDefault("rucio.datasets")
  String datasetsTopic();

  /** The Kafka transactional id of the announcements: one watcher per id (a second fences the first). */
  @WithDefault("replication-watcher")
  String transactionalId();

  interface Rucio {
    Optional<URI> url();

    /** Rucio's authentication server, when not the same as url. */
    Optional<URI> authUrl();

    Optional<String> account();

    Optional<String> username();

    Optional<String> password();

    /** A file holding a token obtained elsewhere, used when no username is set. */
    Optional<Path> tokenFile();

    Optional<String> vo();

    @WithDefault("PT30S")
    Duration timeout();

    /** Tries per request, on 5xx answers, timeouts and lost connections. */
    @WithDefault("5")
    int attempts();

    /** A userpass token is renewed when less than this is left of it. */
    @WithDefault("PT5M")
    Duration renewBefore();
  }

  interface Poll {
    @WithDefault("PT10S")
    Duration interval();

    @WithDefault("PT10S")
    Duration overlap();

    @WithDefault("PT6H")
    Duration fullListingInterval();

    @WithDefault("5000")
    int batchSize();

    @WithDefault("100")
    int datasetsPerRequest();
  }

  interface Hermes {
    /** Kafka topics of Hermes messages, e.g. IN2P3_RAW_DISK-raw; none: no Hermes path. */
    Optional<List<String>> topics();

    @WithDefault("replication-watcher-hermes")
    String groupId();

    /** A transfer-done whose replica is not AVAILABLE after this long is left to the poll. */
    @WithDefault("PT1H")
    Duration giveUpAfter();
  }
}
