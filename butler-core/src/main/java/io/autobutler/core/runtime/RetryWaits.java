package io.autobutler.core.runtime;

import java.time.Duration;

/** The waits between retries of failing work: doubling from {@code first}, capped at {@code max}. Not thread-safe. */
public final class RetryWaits {

  private final Duration first;
  private final Duration max;
  private Duration next;

  public RetryWaits(Duration first, Duration max) {
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** The wait before the next retry; the one after it is twice as long, up to the cap. */
  public Duration next() {
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }

  /** After a success: the next failure waits {@code first} again. */
  public void reset() {
    next = first;
  }
}
