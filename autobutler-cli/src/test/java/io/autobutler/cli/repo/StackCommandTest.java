package io.autobutler.cli.repo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.RealStack;
import picocli.CommandLine;

/**
 * What CLI command tests against the run's {@link RealStack} share: the environment that points the CLI at the
 * stack's catalog-service with its token, an empty state folder, and {@link #run} with the output captured.
 */
@ExtendWith(RealStack.class)
abstract class StackCommandTest {

  @TempDir
  Path state;

  protected final RealStack.Stack stack;
  protected final StringWriter out = new StringWriter();
  protected final StringWriter err = new StringWriter();
  protected final Map<String, String> env = new HashMap<>();

  StackCommandTest(RealStack.Stack stack) {
    this.stack = stack;
    env.put("AUTOBUTLER_CATALOG_URL", stack.catalogUrl());
    env.put("AUTOBUTLER_TOKEN", stack.token());
  }

  /** Runs {@code ./autobutler args...} in this JVM; {@link #out} and {@link #err} hold what it printed. */
  protected int run(String... args) {
    env.put("AUTOBUTLER_STATE_DIR", state.toString());
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
