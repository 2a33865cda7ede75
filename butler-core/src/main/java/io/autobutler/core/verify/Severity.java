package io.autobutler.core.verify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How bad a verification report is, from best to worst. {@link #OUTAGE} is not "very wrong": it says that a source
 * (storage, Rucio through the watcher) could not be read, or that so much looks missing that the cause is an outage
 * rather than lost files (Rucio's auditor stops at a threshold for the same reason), so its findings are withheld.
 */
public enum Severity {
  OK("ok"),
  WARNING("warning"),
  ERROR("error"),
  OUTAGE("outage");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  @JsonCreator
  public static Severity fromLabel(String label) {
    for (Severity severity : values()) {
      if (severity.label.equals(label)) {
        return severity;
      }
    }
    throw new IllegalArgumentException("unknown severity '" + label + "'; known: ok, warning, error, outage");
  }

  /** The worse of the two. */
  public Severity worst(Severity other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** Whether something is wrong: anything but ok. */
  public boolean isProblem() {
    return this != OK;
  }
}
