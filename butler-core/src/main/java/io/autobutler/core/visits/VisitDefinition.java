package io.autobutler.core.visits;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A visit to define (obs_base {@code VisitDefinitionData}): its id and name, unique across the instrument's visit
 * systems, the systems it belongs to and its exposures (the first one gives the visit's regions).
 */
public record VisitDefinition(String instrument, long id, String name, Set<VisitSystem> systems,
                              List<ExposureRecord> exposures) {

  public VisitDefinition {
    systems = Set.copyOf(EnumSet.copyOf(systems));
    exposures = List.copyOf(exposures);
    if (exposures.isEmpty()) {
      throw new IllegalArgumentException("visit " + id + " has no exposures");
    }
  }
}
