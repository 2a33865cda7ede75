package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import io.autobutler.core.runtime.RetryHealth;
import io.autobutler.core.runtime.RetryWaits;

/**
 * Runs a piece of work until it succeeds, waiting longer after each failure (capped), and reports the failure in
 * readiness meanwhile. The work must be idempotent: it is what keeps a batch unacknowledged, so redelivered and
 * nothing lost, while PostgreSQL, Kafka or the repository is not there. Those infrastructure failures are retried
 * for as long as they last; any other error is a property of the batch itself, which no retry cures, so after
 * {@code giveUpAfter} such failures the work is given up ({@link GaveUp}) and the caller dead-letters the batch
 * rather than block its stream forever.
 */
public final class Backoff {

  private static final Logger LOG = Logger.getLogger(Backoff.class);
  private static final Duration FIRST = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(30);
  /** SQLSTATE classes of a database that is not there or not able to answer now: connection, resources, shutdown. */
  private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");

  private Backoff() {
  }

  /** The work failed {@code attempts} times with an error that is not the infrastructure's; the last is the cause. */
  public static final class GaveUp extends RuntimeException {
    private final int attempts;

    GaveUp(String what, int attempts, Exception cause) {
      super(what + " gave up after " + attempts + " attempts: " + cause.getClass().getName() + ": "
          + cause.getMessage(), cause);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }

    /** The error class and message of the last failure, for a dead letter. */
    public String causeClass() {
      return getCause().getClass().getName();
    }
  }

  /**
   * Runs {@code work} until it succeeds; infrastructure failures are retried without end.
   *
   * @throws GaveUp after {@code giveUpAfter} failures that are not the infrastructure's
   */
  public static <T> T untilDone(String what, RetryHealth health, int giveUpAfter, Callable<T> work) {
    RetryWaits waits = new RetryWaits(FIRST, MAX);
    int failures = 0;
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
        if (!infrastructure(e) && ++failures >= giveUpAfter) {
          health.up();
          LOG.errorf(e, "%s (attempt %d): giving up on it", reason, attempt);
          throw new GaveUp(what, failures, e);
        }
        health.down(reason);
        Duration wait = waits.next();
        LOG.warnf("%s (attempt %d, retrying in %d ms)", reason, attempt, wait.toMillis());
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting to retry " + what, interrupted);
        }
      }
    }
  }

  /**
   * Whether a failure is the infrastructure's, so cured by waiting: PostgreSQL unreachable or overloaded, Kafka, storage
   * that cannot be read for now, a timeout, or the target repository not created yet.
   */
  public static boolean infrastructure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        // No state: the driver or the pool (e.g. no connection to be had), not the statement.
        return state == null || state.length() < 2 || TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
      }
      if (t instanceof IOException || t instanceof KafkaException || t instanceof TimeoutException
          || t instanceof TargetRepository.NotCreatedYet) {
        return true;
      }
    }
    return false;
  }
}
