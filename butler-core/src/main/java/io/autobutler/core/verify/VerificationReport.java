package io.autobutler.core.verify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One consistency finding of verifier-service about one subject of one check, as published on
 * {@code butler.verification} (keyed by {@link #key()}) and served over REST. The JSON form is described by
 * {@code schemas/verification-report.schema.json} in this module's resources.
 *
 * @param repository     the repository verified
 * @param check          what was compared ({@link Checks})
 * @param subject        what the report is about: {@code rucio-dataset:raw:Dataset/…}, {@code run:LSSTComCam/raw/all},
 *                       {@code night:20241126}, {@code chain:LSSTComCam/calib}, {@code calibration:flat}, …
 * @param severity       ok, warning, error, or outage
 * @param summary        one readable line
 * @param counts         named counts (always complete, whatever the items' bound)
 * @param items          the offending items, at most a configured number
 * @param itemsTotal     how many offending items there are in all
 * @param itemsTruncated whether {@code items} holds fewer than {@code itemsTotal}
 * @param generatedAt    when the check ran
 */
@JsonPropertyOrder({"repository", "check", "subject", "severity", "summary", "counts", "items", "items_total",
    "items_truncated", "generated_at"})
public record VerificationReport(String repository, String check, String subject, Severity severity, String summary,
                                 Map<String, Long> counts, List<Map<String, Object>> items,
                                 @JsonProperty("items_total") long itemsTotal,
                                 @JsonProperty("items_truncated") boolean itemsTruncated,
                                 @JsonProperty("generated_at") Instant generatedAt) {

  public VerificationReport {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(severity, "severity");
    counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** The Kafka key: one report per repository, check and subject, so that a compacted topic keeps the latest. */
  public String key() {
    return key(repository, check, subject);
  }

  public static String key(String repository, String check, String subject) {
    return repository + "/" + check + "/" + subject;
  }

  /** The same finding, ignoring when it was made: whether a new run changed anything worth publishing. */
  public boolean sameFinding(VerificationReport other) {
    return other != null && repository.equals(other.repository) && check.equals(other.check)
        && subject.equals(other.subject) && severity == other.severity && Objects.equals(summary, other.summary)
        && counts.equals(other.counts) && items.equals(other.items) && itemsTotal == other.itemsTotal;
  }

  /** One line for people following the topic: time, severity, check, subject, summary. */
  public String line() {
    return String.format("%s %-7s %-20s %s: %s", generatedAt, severity.label(), check, subject, summary);
  }
}
