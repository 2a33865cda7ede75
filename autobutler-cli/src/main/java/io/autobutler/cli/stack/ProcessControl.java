package io.autobutler.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starting background processes that outlive this command, and stopping the ones recorded in pid files. */
public final class ProcessControl {

  private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private ProcessControl() {
  }

  /** The JVM that runs this command; background Java processes use the same one. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Starts a command in the background, detached from this terminal's session when {@code setsid} exists (so
   * that a Ctrl-C or a closed terminal does not reach it), with output appended to the log file and the given
   * variables added to the environment.
   */
  public static Process startDetached(List<String> command, Map<String, String> extraEnv, Path workDir, Path log) {
    List<String> full = new ArrayList<>();
    SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> full.add(p.toString()));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(extraEnv);
    try {
      Files.createDirectories(log.getParent());
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  /** The arguments of a live process (argv[0] first), as the system reports them. */
  public static Optional<List<String>> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    if (Files.isReadable(proc)) {
      try {
        String raw = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
        if (!raw.isEmpty()) {
          return Optional.of(Arrays.asList(raw.split("\0")));
        }
      } catch (IOException e) {
        // gone meanwhile, or not ours to read: fall through to ProcessHandle
      }
    }
    ProcessHandle.Info info = process.info();
    if (info.command().isEmpty()) {
      return Optional.empty();
    }
    List<String> args = new ArrayList<>();
    args.add(info.command().get());
    info.arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    return Optional.of(args);
  }

  /** How a stop went. */
  public enum StopResult { STOPPED, KILLED, NOT_RUNNING }

  /**
   * Stops the process of a pid file, if it is still the one we started: SIGTERM, then SIGKILL after the grace
   * period. The pid file is removed in every case.
   */
  public static StopResult stop(Path pidFile, Duration grace) {
    Optional<ProcessHandle> process = PidFile.liveProcess(pidFile);
    StopResult result = process.map(p -> terminate(p, grace)).orElse(StopResult.NOT_RUNNING);
    PidFile.deleteQuietly(pidFile);
    return result;
  }

  /** SIGTERM, wait for the grace period, then SIGKILL. */
  public static StopResult terminate(ProcessHandle process, Duration grace) {
    process.destroy();
    if (awaitExit(process, grace)) {
      return StopResult.STOPPED;
    }
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(10));
    return StopResult.KILLED;
  }

  static boolean awaitExit(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !isRunning(process);
      }
    }
    return true;
  }

  /**
   * Whether the process still runs. Unlike {@link ProcessHandle#isAlive()}, a process that has exited but not yet
   * been reaped by its parent (a zombie, e.g. a daemon whose parent is a slow init) counts as gone.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      String text = Files.readString(stat, StandardCharsets.UTF_8);
      // pid (comm) state ...: comm may contain spaces and parentheses, the state follows the last ')'
      int close = text.lastIndexOf(')');
      return close < 0 || close + 2 >= text.length() || text.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return Files.exists(stat.getParent());
    }
  }

  /** Whether something accepts TCP connections on that port of 127.0.0.1. */
  public static boolean portAnswers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last lines of a log file, to show with a failure. */
  public static String tail(Path log, int lines) {
    try {
      if (!Files.isRegularFile(log)) {
        return "";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
