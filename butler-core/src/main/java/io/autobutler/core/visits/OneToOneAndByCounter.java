package io.autobutler.core.visits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * obs_base's default exposure grouping at w.2025.20, {@code one-to-one-and-by-counter}
 * ({@code _GroupExposuresByCounterAndExposuresTask} in {@code defineVisits.py}): every exposure is a one-to-one
 * visit (system 0), and the exposures sharing {@code (day_obs, seq_start, seq_end)} form a visit of system 2.
 *
 * <ul>
 *   <li>A single-exposure group ({@code seq_start == seq_end}) is one visit in both systems: id {@code exposure.id},
 *       name {@code obs_id}.</li>
 *   <li>A multi-exposure group whose first exposure ({@code seq_num == seq_start}) is present: the group's visit
 *       takes the first exposure's id and obs_id (system 2), and that exposure's one-to-one visit becomes
 *       {@code <obs_id>_first} with id {@code int("9" + id)}.</li>
 *   <li>When the first exposure is missing, the multi-exposure visit is not defined, with a warning unless the
 *       lowest {@code seq_num} is 0 (an instrument without counters).</li>
 * </ul>
 * Upstream iterates exposures in the registry's (unspecified) order; here they go in id order, and a group's
 * exposures in {@code seq_num} order, so that the same exposures always give the same visits.
 */
public final class OneToOneAndByCounter {

  /** The registry name of this grouping (obs_base {@code GroupExposuresTask.registry}). */
  public static final String NAME = "one-to-one-and-by-counter";

  private static final Comparator<ExposureRecord> BY_SEQ_NUM =
      Comparator.comparing(ExposureRecord::seqNum, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(ExposureRecord::id);

  private OneToOneAndByCounter() {
  }

  /** The visit systems this grouping writes, in id order. */
  public static Set<VisitSystem> visitSystems() {
    return EnumSet.of(VisitSystem.ONE_TO_ONE, VisitSystem.BY_SEQ_START_END);
  }

  /** The grouping key, printed as the Python tuple upstream's warning shows, e.g. {@code (20240101, 10, 11)}. */
  public record GroupKey(long dayObs, Long seqStart, Long seqEnd) {
    @Override
    public String toString() {
      return "(" + dayObs + ", " + python(seqStart) + ", " + python(seqEnd) + ")";
    }

    private static String python(Long value) {
      return value == null ? "None" : value.toString();
    }
  }

  /** The exposures grouped by {@code (day_obs, seq_start, seq_end)}, groups in the order of their first exposure. */
  public static Map<GroupKey, List<ExposureRecord>> groups(List<ExposureRecord> exposures) {
    Map<GroupKey, List<ExposureRecord>> groups = new LinkedHashMap<>();
    for (ExposureRecord exposure : exposures) {
      groups.computeIfAbsent(new GroupKey(exposure.dayObs(), exposure.seqStart(), exposure.seqEnd()),
          k -> new ArrayList<>()).add(exposure);
    }
    return groups;
  }

  /**
   * The {@code seq_num}s of a group's multi-exposure sequence that are not among its exposures ({@code find_missing}
   * asks the registry for these when visits are defined incrementally); empty when the group's counters are unknown.
   */
  public static Set<Long> missingSeqNums(List<ExposureRecord> group) {
    ExposureRecord first = group.stream().min(BY_SEQ_NUM).orElseThrow();
    Set<Long> missing = new TreeSet<>();
    if (first.seqStart() == null || first.seqEnd() == null) {
      return missing;
    }
    for (long seq = first.seqStart(); seq <= first.seqEnd(); seq++) {
      missing.add(seq);
    }
    group.forEach(e -> missing.remove(e.seqNum()));
    return missing;
  }

  /** The visits of these exposures, one-to-one visits of a group first; warnings go to {@code warn}. */
  public static List<VisitDefinition> group(List<ExposureRecord> exposures, Consumer<String> warn) {
    Set<VisitSystem> oneToOne = EnumSet.of(VisitSystem.ONE_TO_ONE);
    Set<VisitSystem> bySeq = EnumSet.of(VisitSystem.BY_SEQ_START_END);
    Set<VisitSystem> both = EnumSet.of(VisitSystem.ONE_TO_ONE, VisitSystem.BY_SEQ_START_END);
    List<VisitDefinition> visits = new ArrayList<>();
    List<ExposureRecord> ordered = exposures.stream().sorted(Comparator.comparingLong(ExposureRecord::id)).toList();
    for (Map.Entry<GroupKey, List<ExposureRecord>> entry : groups(ordered).entrySet()) {
      List<ExposureRecord> members = entry.getValue().stream().sorted(BY_SEQ_NUM).toList();
      ExposureRecord first = members.get(0);
      boolean skipMulti = false;
      if (!Objects.equals(first.seqNum(), first.seqStart())) {
        // seq_num 0 means the instrument has no counters, hence no multi-exposure visits to miss.
        if (!Objects.equals(first.seqNum(), 0L)) {
          warn.accept("First exposure for visit " + entry.getKey() + " is not present. Skipping the multi-snap"
              + " definition.");
        }
        skipMulti = true;
      }
      boolean multiExposure = !Objects.equals(first.seqStart(), first.seqEnd());
      String instrument = first.instrument();
      for (ExposureRecord exposure : entry.getValue()) {
        if (!multiExposure) {
          visits.add(new VisitDefinition(instrument, exposure.id(), exposure.obsId(), both, List.of(exposure)));
        } else if (!skipMulti && exposure == first) {
          // The multi-exposure visit takes this exposure's id and name; its one-to-one visit steps aside.
          visits.add(new VisitDefinition(instrument, Long.parseLong("9" + exposure.id()), exposure.obsId() + "_first",
              oneToOne, List.of(exposure)));
        } else {
          visits.add(new VisitDefinition(instrument, exposure.id(), exposure.obsId(), oneToOne, List.of(exposure)));
        }
      }
      if (!skipMulti && multiExposure) {
        visits.add(new VisitDefinition(instrument, first.id(), first.obsId(), bySeq, members));
      }
    }
    return visits;
  }
}
