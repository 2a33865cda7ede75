package io.autobutler.core.event;

import java.time.Instant;
import java.util.Map;

/**
 * What ingest-service put in a repository from one Rucio dataset in one batch, as published on
 * {@link Topics#BUTLER_INGESTED} after the registry commit: enough for catalog-service to know that a run now holds
 * datasets of a type (and so converge the chains and tagged selections that wait for them) without querying.
 * Keyed on Kafka by the source DID. Replays publish the same summary again: consumers treat it as "at least".
 *
 * @param repository   the repository written to
 * @param sourceDid    the Rucio dataset DID {@code scope:name} the files came from
 * @param rule         the manifest rule that took them
 * @param run          the RUN collection that holds them
 * @param datasetType  their dataset type
 * @param count        how many datasets of the batch are in the run (new ones and ones that were there)
 * @param firstDataId  the smallest data ID of them, in the dimensions' order
 * @param lastDataId   the largest
 */
public record IngestedEvent(String repository, String sourceDid, String rule, String run, String datasetType,
                            int count, Map<String, Object> firstDataId, Map<String, Object> lastDataId,
                            Instant ingestedAt) {

  /** The Kafka key: the source DID, so that one dataset's summaries stay in order. */
  public String key() {
    return sourceDid;
  }
}
