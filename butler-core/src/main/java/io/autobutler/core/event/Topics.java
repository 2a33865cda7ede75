package io.autobutler.core.event;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Kafka topics of autobutler and their partition counts: the one list that the stack, tests and compose use. */
public final class Topics {

  public static final String RUCIO_REPLICAS = "rucio.replicas";
  public static final String RUCIO_DATASETS = "rucio.datasets";
  public static final String BUTLER_INGESTED = "butler.ingested";
  public static final String BUTLER_COLLECTIONS = "butler.collections";
  public static final String BUTLER_VERIFICATION = "butler.verification";
  /** Dead letters of a topic go to the topic of this name, with the reason in the record headers. */
  public static final String DLQ_SUFFIX = ".dlq";

  private Topics() {
  }

  /** Every topic with its partition count. Replica events are keyed by Rucio dataset, so more partitions help. */
  public static Map<String, Integer> all() {
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(RUCIO_REPLICAS, 6);
    topics.put(RUCIO_DATASETS, 3);
    topics.put(BUTLER_INGESTED, 3);
    topics.put(BUTLER_COLLECTIONS, 3);
    topics.put(BUTLER_VERIFICATION, 3);
    for (String source : new String[] {RUCIO_REPLICAS, RUCIO_DATASETS, BUTLER_INGESTED}) {
      topics.put(source + DLQ_SUFFIX, 1);
    }
    return topics;
  }
}
