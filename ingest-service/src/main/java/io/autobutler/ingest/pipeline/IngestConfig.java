package io.autobutler.ingest.pipeline;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What ingest-service ingests, and where. */
@ConfigMapping(prefix = "autobutler.ingest")
public interface IngestConfig {

  /**
   * The campaign manifest (YAML) whose rules say what each landed file is. Without one the service only records
   * replicas in the ledger (they stay pending, and are ingested once a manifest is configured and their directory
   * is touched again).
   */
  Optional<String> manifest();

  /** The repository to ingest into; default: the manifest's {@code repository.name}. */
  Optional<String> repository();

  /**
   * A URI every ingested file must lie under (transfer {@code direct} records files where they are); a file outside
   * it is dead-lettered. Unset: no restriction.
   */
  Optional<String> requiredRoot();

  /** How often a progress line is logged while batches keep coming. */
  @WithDefault("10s")
  Duration progressInterval();

  /** Parsed {@code _index.json} files kept in memory, by directory. */
  @WithDefault("2000")
  int indexCacheSize();

  /**
   * How often directories whose {@code _index.json} is recorded but whose raws are still pending are swept (also once
   * at start-up); {@code 0} turns the sweep off.
   */
  @WithDefault("5m")
  Duration sweepInterval();

  /** Directories ingested together by one round of the sweep. */
  @WithDefault("500")
  int sweepDirectories();

  /**
   * How many times a batch (or a dataset import) is tried when it fails with an error that is not the
   * infrastructure's (PostgreSQL, Kafka or storage not there) before its events are dead-lettered with the error.
   */
  @WithDefault("5")
  int poisonAttempts();

  /**
   * How long a sidecar dataset whose dimension records are not in the registry waits for them (pending in the
   * replica ledger, retried when a dimension file is imported and by every sweep) before it is dead-lettered with
   * the reason.
   */
  @WithDefault("24h")
  Duration dimensionWait();
}
