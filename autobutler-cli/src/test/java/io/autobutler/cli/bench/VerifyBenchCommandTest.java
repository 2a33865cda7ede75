package io.autobutler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.RealStack;

/**
 * {@code bench verify} at a small size against the run's real stack: the repository is filled once through an
 * ingest-service of the bench's own, a verifier-service of its own verifies it, and a second run reuses the
 * repository. Only that it works is checked here, never how fast.
 */
@ExtendWith(RealStack.class)
class VerifyBenchCommandTest {

  private static final Pattern LAST_LINE = Pattern.compile("verify raws=300 seconds=\\d+\\.\\d\\d");

  @Test
  void verifiesTheBenchRepositoryAndReusesIt(RealStack.Stack stack) {
    String first = bench(stack);
    assertThat(first).contains("ingest: 300 raws in the registry (0 rejected)", "run 1: ")
        .containsPattern("registry-storage +1 reports, 0 not ok")
        .containsPattern("dark-data +1 reports, 0 not ok")
        .containsPattern("completeness +\\d+ reports");
    String again = bench(stack);
    assertThat(again).contains("reusing repository bench_verify: 300 raws").doesNotContain("ingest: ");
  }

  private static String bench(RealStack.Stack stack) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("AUTOBUTLER_STATE_DIR", stack.stateDir().toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AutobutlerCommand.commandLine(env).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute("bench", "verify", "--raws", "300", "--runs", "1");
    assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(lines.size() - 1)).matches(LAST_LINE);
    return out.toString();
  }
}
