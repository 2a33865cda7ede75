package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import picocli.CommandLine;

/**
 * Commands run one after another through the CLI's entry point in this JVM, with an environment of the test's,
 * as an operator types them; every command goes into a transcript (exit code, seconds) that a failure shows.
 */
public final class ButlerSession {

  /** What one command printed. */
  public record Output(int code, String out, String err) {
  }

  private final Map<String, String> env;
  private final List<String> transcript = new ArrayList<>();

  public ButlerSession(Map<String, String> env) {
    this.env = new HashMap<>(env);
  }

  /** Runs one command. */
  public Output run(String... args) {
    long began = System.nanoTime();
    Output output = execute(env, args);
    transcript.add(String.format("$ butler %s  -> %d (%.1f s)", String.join(" ", args), output.code(),
        (System.nanoTime() - began) / 1e9));
    return output;
  }

  /** Runs one command that must succeed; returns its stdout. */
  public String butler(String... args) {
    Output output = run(args);
    assertThat(output.code()).as("exit code of 'butler %s'\nstdout:\n%s\nstderr:\n%s\ncommands so far:\n%s",
        String.join(" ", args), output.out(), output.err(), String.join("\n", transcript)).isZero();
    return output.out();
  }

  public List<String> transcript() {
    return List.copyOf(transcript);
  }

  /** One command through the CLI's entry point, with this environment. */
  public static Output execute(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Output(code, out.toString(), err.toString());
  }

  /** Waits (checking every half second) until the condition holds; fails after {@code patience}. */
  public static void awaitTrue(BooleanSupplier condition, Duration patience, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in " + patience.toSeconds() + " s: " + what);
      }
      Thread.sleep(500);
    }
  }
}
