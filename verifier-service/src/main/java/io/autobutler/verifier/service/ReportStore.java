package io.autobutler.verifier.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.verify.VerificationReport;

/**
 * The latest reports of each repository, in memory: they are derived (any run recomputes them, and a run follows
 * start-up), and the topic keeps them for consumers (keyed by repository, check and subject). A run replaces the
 * reports of the checks it ran, so that a subject that went away (a dataset deleted, an outage that replaced the
 * per-dataset reports) does not linger.
 */
@ApplicationScoped
public class ReportStore {

  /** repository → check → key → report. */
  private final Map<String, Map<String, Map<String, VerificationReport>>> latest = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();

  /**
   * Replaces the reports of {@code checks} of a repository; returns those that differ from the ones they replace
   * (new subjects, or another finding): what is worth publishing.
   */
  public synchronized List<VerificationReport> replace(String repository, Collection<String> checks,
                                                       List<VerificationReport> reports, Instant ranAt) {
    Map<String, Map<String, VerificationReport>> byCheck = latest.computeIfAbsent(repository,
        r -> new ConcurrentHashMap<>());
    List<VerificationReport> changed = new ArrayList<>();
    for (String check : checks) {
      Map<String, VerificationReport> before = byCheck.getOrDefault(check, Map.of());
      Map<String, VerificationReport> after = new LinkedHashMap<>();
      reports.stream().filter(r -> r.check().equals(check)).forEach(r -> {
        after.put(r.key(), r);
        if (!r.sameFinding(before.get(r.key()))) {
          changed.add(r);
        }
      });
      byCheck.put(check, after);
    }
    lastRun.put(repository, ranAt);
    return changed;
  }

  /** The latest reports of a repository, by check then subject. */
  public List<VerificationReport> latest(String repository) {
    List<VerificationReport> all = new ArrayList<>();
    latest.getOrDefault(repository, Map.of()).values().forEach(m -> all.addAll(m.values()));
    all.sort(Comparator.comparing(VerificationReport::check).thenComparing(VerificationReport::subject));
    return all;
  }

  /** When the repository was last verified, or null. */
  public Instant lastRun(String repository) {
    return lastRun.get(repository);
  }
}
