package io.autobutler.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL server of the local stack, as a process of its own: {@code up} starts it in the
 * background when no server answers at the configured address, and it runs until it is sent SIGTERM, which stops
 * the server cleanly. Data stay in the data folder from one start to the next.
 *
 * <p>Arguments: {@code DATA_DIR PORT BINARIES_DIR}.
 */
public final class EmbeddedPostgresMain {

  private EmbeddedPostgresMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: EmbeddedPostgresMain DATA_DIR PORT BINARIES_DIR");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Path binaries = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(data);
    Files.createDirectories(binaries);
    // zonky stops the server (pg_ctl stop -m fast) from a shutdown hook of its own when this JVM is terminated.
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setOverrideWorkingDirectory(binaries.toFile())
        .setPGStartupWait(Duration.ofSeconds(90))
        .start();
    System.out.println("embedded PostgreSQL ready on 127.0.0.1:" + postgres.getPort() + ", data in " + data);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
