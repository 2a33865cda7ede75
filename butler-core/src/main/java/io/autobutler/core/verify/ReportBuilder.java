package io.autobutler.core.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one report's counts and offending items: items beyond the bound are counted, never kept, so that a
 * report about 100,000 missing files stays a small message that says how many there are.
 */
public final class ReportBuilder {

  private final String repository;
  private final String check;
  private final String subject;
  private final int maxItems;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final List<Map<String, Object>> items = new ArrayList<>();
  private long itemsTotal;
  private Severity severity = Severity.OK;
  private final List<String> problems = new ArrayList<>();

  public ReportBuilder(String repository, String check, String subject, int maxItems) {
    this.repository = repository;
    this.check = check;
    this.subject = subject;
    this.maxItems = maxItems;
  }

  public ReportBuilder count(String name, long value) {
    counts.put(name, value);
    return this;
  }

  public ReportBuilder add(String name, long value) {
    counts.merge(name, value, Long::sum);
    return this;
  }

  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** An offending item, of the given severity (the report takes the worst). */
  public ReportBuilder item(Severity of, Map<String, Object> item) {
    itemsTotal++;
    severity = severity.worst(of);
    if (items.size() < maxItems) {
      items.add(item);
    }
    return this;
  }

  /** Raises the report's severity without an item (an outage, a count below its expectation). */
  public ReportBuilder severity(Severity at) {
    severity = severity.worst(at);
    return this;
  }

  /** A phrase for the summary line ({@code "3 lost"}); the summary is "ok" without any. */
  public ReportBuilder problem(String phrase) {
    problems.add(phrase);
    return this;
  }

  public Severity severity() {
    return severity;
  }

  /** The report; {@code description} (may be null) is added to the summary line in parentheses. */
  public VerificationReport build(Instant generatedAt, String description) {
    String summary = (problems.isEmpty() ? "ok" : String.join(", ", problems))
        + (description == null || description.isBlank() ? "" : " (" + description + ")");
    return new VerificationReport(repository, check, subject, severity, summary, counts, items, itemsTotal,
        itemsTotal > items.size(), generatedAt);
  }

  /** Drops the items gathered so far (an outage: they are symptoms). */
  public ReportBuilder withholdItems() {
    items.clear();
    itemsTotal = 0;
    return this;
  }
}
