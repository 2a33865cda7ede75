package io.autobutler.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pid files against real processes: only a live process with the recorded command line is ours. */
class PidFileTest {

  @TempDir
  Path tmp;

  private Process sleeper;

  private Process sleep(String marker) throws IOException {
    // a shell loop (not one long sleep, which would outlive the shell when it is terminated) whose arguments
    // include the marker
    sleeper = new ProcessBuilder("bash", "-c", "while :; do sleep 0.1; done", "autobutler-test", marker).start();
    return sleeper;
  }

  @AfterEach
  void killSleeper() {
    if (sleeper != null) {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void roundTrip() {
    Path file = tmp.resolve("run/x.pid");
    PidFile pidFile = new PidFile(42, List.of("-Dautobutler.stack=/somewhere/.autobutler", "kafka.Kafka"));
    pidFile.write(file);
    assertThat(PidFile.read(file)).contains(pidFile);
  }

  @Test
  void malformedFilesAreNone() throws IOException {
    assertThat(PidFile.read(tmp.resolve("missing.pid"))).isEmpty();
    assertThat(PidFile.read(Files.writeString(tmp.resolve("a.pid"), "not a pid\nx\n"))).isEmpty();
    assertThat(PidFile.read(Files.writeString(tmp.resolve("b.pid"), "123\n"))).isEmpty();
  }

  @Test
  void markersMatchWholeArgumentsOnly() {
    PidFile pidFile = new PidFile(1, List.of("-Dautobutler.stack=/p/.autobutler", "/p/a.jar"));
    assertThat(pidFile.matches(List.of("java", "-Dautobutler.stack=/p/.autobutler", "-jar", "/p/a.jar"))).isTrue();
    assertThat(pidFile.matches(List.of("java", "-Dautobutler.stack=/p/.autobutler2", "-jar", "/p/a.jar"))).isFalse();
    assertThat(pidFile.matches(List.of("java", "-jar", "/p/a.jar"))).isFalse();
  }

  @Test
  void liveProcessWithTheRecordedCommandLineIsOurs() throws Exception {
    String marker = "marker-" + System.nanoTime();
    Process p = sleep(marker);
    assertThat(ProcessControl.commandLine(p.toHandle()).orElseThrow()).endsWith("autobutler-test", marker);
    Path file = tmp.resolve("ours.pid");
    new PidFile(p.pid(), List.of(marker)).write(file);
    assertThat(PidFile.liveProcess(file)).map(ProcessHandle::pid).contains(p.pid());
    assertThat(file).exists();
  }

  @Test
  void aReusedPidIsNotOursAndItsPidFileGoes() throws Exception {
    Process p = sleep("something-else");
    Path file = tmp.resolve("reused.pid");
    new PidFile(p.pid(), List.of("kafka.Kafka")).write(file);
    assertThat(PidFile.liveProcess(file)).isEmpty();
    assertThat(file).doesNotExist();
    assertThat(ProcessControl.stop(file, Duration.ofSeconds(1))).isEqualTo(ProcessControl.StopResult.NOT_RUNNING);
    assertThat(p.isAlive()).as("a process that is not ours is never stopped").isTrue();
  }

  @Test
  void stalePidFileIsCleanedUp() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Path file = tmp.resolve("stale.pid");
    new PidFile(p.pid(), List.of("true")).write(file);
    assertThat(PidFile.liveProcess(file)).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void stopTerminatesOurProcess() throws Exception {
    String marker = "stop-me-" + System.nanoTime();
    Process p = sleep(marker);
    Path file = tmp.resolve("stop.pid");
    new PidFile(p.pid(), List.of(marker)).write(file);
    assertThat(ProcessControl.stop(file, Duration.ofSeconds(10))).isEqualTo(ProcessControl.StopResult.STOPPED);
    assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(file).doesNotExist();
  }
}
