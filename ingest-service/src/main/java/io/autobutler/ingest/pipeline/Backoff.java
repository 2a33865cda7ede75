package io.autobutler.ingest.pipeline;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.jboss.logging.Logger;

/**
 * Runs a piece of work until it succeeds, waiting longer after each failure (capped), and reports the failure in
 * readiness meanwhile. The work must be idempotent: it is what keeps a batch unacknowledged, so redelivered and
 * nothing lost, while PostgreSQL, Kafka or the repository is not there.
 */
public final class Backoff {

  private static final Logger LOG = Logger.getLogger(Backoff.class);
  private static final Duration FIRST = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(30);

  private Backoff() {
  }

  public static <T> T untilDone(String what, PipelineHealth health, Callable<T> work) {
    Duration wait = FIRST;
    for (int attempt = 1; ; attempt++) {
      try {
        T result = work.call();
        health.up();
        return result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + what, e);
      } catch (Exception e) {
        String reason = what + " failed: " + e.getMessage();
        health.down(reason);
        LOG.warnf("%s (attempt %d, retrying in %d ms)", reason, attempt, wait.toMillis());
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting to retry " + what, interrupted);
        }
        wait = wait.multipliedBy(2).compareTo(MAX) > 0 ? MAX : wait.multipliedBy(2);
      }
    }
  }
}
