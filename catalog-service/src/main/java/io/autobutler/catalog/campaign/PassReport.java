package io.autobutler.catalog.campaign;

import java.time.Instant;
import java.util.List;

/**
 * What one convergence pass did.
 *
 * @param trigger    {@code start-up}, {@code ingested} (summaries on butler.ingested), {@code periodic} or {@code rest}
 * @param full       whether every tagged selection was queried whole (else only the runs the summaries named)
 * @param changes    one line per change: setup steps, {@code chain X: + Y}, {@code tagged T: + N datasets}
 * @param errors     chains or selections that could not be converged, with the registry's reason (the rest went on)
 */
public record PassReport(String trigger, boolean full, Instant startedAt, long durationMillis, List<String> changes,
                         int chainEdits, int datasetsAssociated, List<String> errors) {
}
