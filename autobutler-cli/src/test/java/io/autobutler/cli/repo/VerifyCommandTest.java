package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.autobutler.cli.RealStack;

/**
 * {@code ./autobutler verify} against the stack's verifier-service: a clean repository exits 0 with its table, a file
 * nobody registered in its datastore makes it exit 1 naming the file, {@code --follow} prints the reports published
 * from then on, one line each; usage errors exit 2, a refused request 1 with the service's message.
 */
class VerifyCommandTest extends StackCommandTest {

  VerifyCommandTest(RealStack.Stack stack) {
    super(stack);
    env.put("AUTOBUTLER_VERIFIER_URL", stack.verifierUrl());
    env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
  }

  @Test
  void printsTheReportsAndSaysWithItsExitCodeWhetherAnythingIsWrong() throws Exception {
    String repo = stack.newRepository("verify_cli");
    Path datastore = stack.stateDir().resolve("datastore").resolve(repo);

    assertThat(run("verify", "--now", repo)).as(out + "" + err).isZero();
    assertThat(out.toString()).contains("Repository " + repo + ": ok", "dark-data", "ok");

    Path stray = Files.write(datastore.resolve("stray.fits"), new byte[5]);
    assertThat(run("verify", "--now", repo)).as(out + "" + err).isEqualTo(1);
    assertThat(out.toString()).contains("Repository " + repo + ": warning", "1 files nobody registered",
        "kind=dark", stray.getFileName().toString());

    // --follow: the reports published from now on; removing the file publishes the dark-data report again, ok.
    RunResult follow = new RunResult();
    CompletableFuture<Void> following = CompletableFuture.runAsync(() -> follow.capture(this, "verify", "--follow",
        "--limit", "1", repo));
    Thread.sleep(3000);
    Files.delete(stray);
    VerifyCommandTest other = new VerifyCommandTest(stack);
    other.state = state;
    assertThat(other.run("verify", "--now", repo)).as(other.out + "" + other.err).isZero();
    following.get(60, TimeUnit.SECONDS);
    assertThat(follow.code).isZero();
    assertThat(follow.output).contains("following butler.verification").containsPattern(
        "ok +dark-data +root:file://.*" + repo + "/: ok");

    assertThat(run("verify")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'REPO'");
    assertThat(run("verify", "--now", "--checksums", "bogus", repo)).isEqualTo(1);
    assertThat(err.toString()).contains("checksums must be none, sample or all, not 'bogus'");
    assertThat(run("verify", "no_such_repository")).isEqualTo(1);
    assertThat(err.toString()).contains("no repository named 'no_such_repository'");
  }

  /** A command run on another thread, with its own output. */
  private static final class RunResult {
    volatile int code = -1;
    volatile String output = "";

    void capture(VerifyCommandTest test, String... args) {
      VerifyCommandTest own = new VerifyCommandTest(test.stack);
      own.state = test.state;
      code = own.run(args);
      output = own.out.toString() + own.err;
    }
  }
}
