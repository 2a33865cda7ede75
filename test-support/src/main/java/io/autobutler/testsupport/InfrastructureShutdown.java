package io.autobutler.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the in-JVM Kafka broker and the embedded PostgreSQL, and drops this run's test databases, once all tests
 * have run, while the test JVM is still in order: left to JVM shutdown hooks, that work raced the test runner's own
 * exit and could make a passing test JVM end abnormally. The hooks remain as a fallback; stopping twice is a no-op.
 */
public class InfrastructureShutdown implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    try {
      KafkaBroker.stop();
    } finally {
      PostgresServer.stopAll();
    }
  }
}
