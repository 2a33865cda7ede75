package io.autobutler.core.visits;

/** obs_base's {@code VisitSystem}: how visits relate to exposures; the ids and names of {@code visit_system} records. */
public enum VisitSystem {
  /** Each exposure is its own visit. */
  ONE_TO_ONE(0, "one-to-one"),
  /** Visits are the exposures of one {@code group}. */
  BY_GROUP_METADATA(1, "by-group-metadata"),
  /** Visits are the exposures of one {@code (day_obs, seq_start, seq_end)}. */
  BY_SEQ_START_END(2, "by-seq-start-end");

  private final int id;
  private final String recordName;

  VisitSystem(int id, String recordName) {
    this.id = id;
    this.recordName = recordName;
  }

  public int id() {
    return id;
  }

  /** The {@code visit_system.name}, e.g. {@code one-to-one}. */
  public String recordName() {
    return recordName;
  }
}
