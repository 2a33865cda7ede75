package io.autobutler.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pid file written by {@code up}: the process id on the first line, then the command-line arguments that
 * identify the process (one a line). A process is only ever treated as ours — reported, reused or stopped — when
 * it is alive <em>and</em> its command line still contains every one of those arguments, so a pid that the
 * system has given to another process since is never touched.
 */
public record PidFile(long pid, List<String> markers) {

  public PidFile {
    markers = List.copyOf(markers);
    if (markers.isEmpty()) {
      throw new IllegalArgumentException("a pid file needs at least one identifying argument");
    }
  }

  /** The pid file at that path, if there is a well-formed one. */
  public static Optional<PidFile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() < 2) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      List<String> markers = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isEmpty()) {
          markers.add(line);
        }
      }
      return markers.isEmpty() ? Optional.empty() : Optional.of(new PidFile(pid, markers));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, (pid + "\n" + String.join("\n", markers) + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pid file " + file, e);
    }
  }

  /** Whether the arguments of a command line include every identifying argument. */
  public boolean matches(List<String> commandLine) {
    return commandLine.containsAll(markers);
  }

  /** The process, when it is alive and still the one that was started. */
  public Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid)
        .filter(ProcessControl::isRunning)
        .filter(h -> ProcessControl.commandLine(h).map(this::matches).orElse(false));
  }

  /** The live process of the pid file at that path; a pid file whose process is gone is deleted. */
  public static Optional<ProcessHandle> liveProcess(Path file) {
    Optional<PidFile> pidFile = read(file);
    Optional<ProcessHandle> process = pidFile.flatMap(PidFile::process);
    if (process.isEmpty()) {
      deleteQuietly(file);
    }
    return process;
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // nothing to do: the next command tries again
    }
  }
}
