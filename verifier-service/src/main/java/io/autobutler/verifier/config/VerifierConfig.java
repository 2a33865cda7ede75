package io.autobutler.verifier.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** verifier-service's settings, under {@code autobutler.verifier} (environment AUTOBUTLER_VERIFIER_…). */
@ConfigMapping(prefix = "autobutler.verifier")
public interface VerifierConfig {

  /**
   * The campaign manifest (YAML): its repository is verified after every relevant event and on the schedule, held to
   * its chains, tagged selections and expectations. Without one, repositories are verified on request only, with
   * the checks that need no manifest.
   */
  Optional<String> manifest();

  /** The repository verified on events and on the schedule (default: the manifest's). */
  Optional<String> repository();

  /**
   * replication-watcher's base URL: what Rucio has at the RSE is read through its {@code /api/rse-replicas}. Without
   * it the Rucio check is not run.
   */
  Optional<URI> watcherUrl();

  /** How often every check runs besides the runs events cause; 0 = never. */
  @WithDefault("10m")
  Duration schedule();

  /**
   * The least time between two runs caused by events: the events that arrive meanwhile are gathered into the next
   * run, so that a burst of 1,000 events causes one run.
   */
  @WithDefault("10s")
  Duration spacing();

  /** The most items a report carries; the rest are counted ({@code items_total}). */
  @WithDefault("100")
  int maxItems();

  Storage storage();

  Rucio rucio();

  /** The registry ↔ storage and dark-data checks. */
  interface Storage {

    /**
     * The storage roots whose every file should be registered (dark data is looked for under them); default: the
     * repository's datastore root.
     */
    Optional<List<String>> managedRoots();

    /** File names (globs) under the managed roots that are never registered by design. */
    @WithDefault("_index.json")
    List<String> darkDataIgnore();

    /** Storage requests in flight at once (HEAD, PROPFIND, listings, checksums). */
    @WithDefault("8")
    int threads();

    /**
     * A fraction of a run's files: when more than this many (and more than {@code missing-floor}) are missing or
     * unreadable, storage is reported as an outage, not the files as lost (Rucio's auditor stops at 10 %).
     */
    @WithDefault("0.1")
    double missingThreshold();

    /** Below this many missing files the threshold does not apply: a few missing files are always reported. */
    @WithDefault("10")
    int missingFloor();

    /** Files per run whose adler32 is compared on every run (0: none); {@code checksums=all} on request does all. */
    @WithDefault("20")
    int checksumSample();

    /** Sent as {@code Authorization: Bearer} to http(s) and WebDAV storage. */
    Optional<String> bearerToken();
  }

  /** The Rucio ↔ registry check. */
  interface Rucio {

    /** How long to wait for the watcher's listing. */
    @WithDefault("5m")
    Duration timeout();

    /**
     * A fraction of a dataset's registered files: when more than this many (and more than {@code lost-floor}) are
     * gone from the RSE, it is reported as an outage of Rucio or the RSE, not as lost files.
     */
    @WithDefault("0.1")
    double lostThreshold();

    @WithDefault("10")
    int lostFloor();
  }
}
