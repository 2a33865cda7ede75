package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.RealStack;
import picocli.CommandLine;

/**
 * The butler commands against the real catalog-service of the run's {@link RealStack}: each test makes a repository
 * of its own, sets up its collections and dataset types over REST, runs the command and compares exactly what it
 * prints; then reads back what the service holds (over REST, or from the repository's tables in PostgreSQL).
 */
@ExtendWith(RealStack.class)
class ButlerCommandsTest {

  /** An empty state folder: no token file and no stack record there, so that only the environment below counts. */
  @TempDir
  Path state;

  private final RealStack.Stack stack;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Map<String, String> env = new HashMap<>();

  ButlerCommandsTest(RealStack.Stack stack) {
    this.stack = stack;
    env.put("AUTOBUTLER_CATALOG_URL", stack.catalogUrl());
    env.put("AUTOBUTLER_TOKEN", stack.token());
  }

  private int run(String... args) {
    return run(cl -> { }, args);
  }

  private int run(Consumer<CommandLine> prepare, String... args) {
    env.put("AUTOBUTLER_STATE_DIR", state.toString());
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    prepare.accept(cl);
    return cl.execute(args);
  }

  /** The lines, each ending with a newline. */
  static String text(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  // ------------------------------------------------------------------------------------------ collection-chain

  @Test
  void collectionChainSplitsChildrenOnCommasAndPrintsTheNewChain() {
    String repo = stack.newRepository("chain_extend");
    stack.collections(repo, "RUN", "run1", "a", "b", "c");
    stack.chain(repo, "chain1", "run1");

    assertThat(run("collection-chain", repo, "chain1", "a,b", "c", "--mode", "extend", "--doc", "my chain"))
        .isZero();
    assertThat(out.toString()).isEqualTo("[run1, a, b, c]\n");
    assertThat(err.toString()).isEmpty();
    // written with the token (catalog-service takes no write without it): the chain extended, its doc set
    assertThat(stack.chainInDatabase(repo, "chain1")).containsExactly("run1", "a", "b", "c");
    assertThat(stack.docInDatabase(repo, "chain1")).contains("my chain");
  }

  @Test
  void collectionChainPopTakesNegativeIndicesAfterDoubleDashAndFlattenIsNegatable() {
    String repo = stack.newRepository("chain_pop");
    stack.collections(repo, "CALIBRATION", "calibration1");
    stack.collections(repo, "RUN", "run1", "run2", "run3", "run4");
    stack.chain(repo, "chain1", "calibration1", "run1", "run2", "run3", "run4");

    // -1 and -3 of five: run4 and run2
    assertThat(run("collection-chain", repo, "--mode=pop", "chain1", "--", "-1", "-3")).isZero();
    assertThat(out.toString()).isEqualTo("[calibration1, run1, run3]\n");
    assertThat(stack.chainInDatabase(repo, "chain1")).containsExactly("calibration1", "run1", "run3");
    assertThat(stack.docInDatabase(repo, "chain1")).as("no --doc: no doc sent").isEmpty();

    // x is a chain without children: flattened, it contributes nothing; the default mode redefines
    stack.collections(repo, "CHAINED", "x");
    assertThat(run("collection-chain", repo, "chain1", "x", "--flatten")).isZero();
    assertThat(out.toString()).isEqualTo("[]\n");
    assertThat(stack.chainInDatabase(repo, "chain1")).isEmpty();

    // the last of --flatten/--no-flatten wins: x itself becomes the child
    assertThat(run("collection-chain", repo, "chain1", "x", "--flatten", "--no-flatten")).isZero();
    assertThat(out.toString()).isEqualTo("[x]\n");
    assertThat(stack.chainInDatabase(repo, "chain1")).containsExactly("x");
  }

  @Test
  void serviceErrorsAreOneErrorLineAndExitOne() {
    String repo = stack.newRepository("errors");
    assertThat(run("collection-chain", repo, "chain1", "chain1")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Cycle in collection chaining when defining 'chain1':"
        + " chain1 -> chain1.\n");
    assertThat(out.toString()).isEmpty();
    assertThat(stack.collectionTypes(repo)).as("the refused edit created nothing").isEmpty();

    assertThat(run("query-collections", "http://127.0.0.1:1/" + repo)).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: cannot reach catalog-service at http://127.0.0.1:1 (Connection refused);"
        + " is the stack up? Try ./autobutler status\n");
  }

  @Test
  void refusedTokenSaysWhereTheTokenComesFrom() {
    String repo = stack.newRepository("refused");
    stack.collections(repo, "RUN", "run1");

    env.put("AUTOBUTLER_TOKEN", "not-the-token");
    assertThat(run("collection-chain", repo, "chain1", "run1")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        "Error: the bearer token is not valid (set AUTOBUTLER_TOKEN or use the local stack's token)\n");
    assertThat(out.toString()).isEmpty();

    // no token at all (none set, none in the state folder): the service asks for one
    env.remove("AUTOBUTLER_TOKEN");
    assertThat(run("collection-chain", repo, "chain1", "run1")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: this request needs a bearer token (Authorization: Bearer <token>)"
        + " (set AUTOBUTLER_TOKEN or use the local stack's token)\n");

    assertThat(stack.collectionTypes(repo)).containsExactly(entry("run1", "RUN"));
  }

  @Test
  void aCatalogUrlInRepoWinsOverTheConfiguredOne() {
    String repo = stack.newRepository("repo_url");
    stack.collections(repo, "RUN", "c");
    env.put("AUTOBUTLER_CATALOG_URL", "http://127.0.0.1:1");
    assertThat(run("collection-chain", stack.catalogUrl() + "/api/repositories/" + repo, "p", "c"))
        .as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("[c]\n");
    assertThat(stack.chainInDatabase(repo, "p")).containsExactly("c");
  }

  @Test
  void unknownModeIsAUsageError() {
    String repo = stack.newRepository("unknown_mode");
    stack.collections(repo, "RUN", "c");
    assertThat(run("collection-chain", repo, "p", "c", "--mode", "append")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--mode': 'append' is not one of 'redefine'");
    assertThat(stack.collectionTypes(repo)).as("nothing was sent").containsExactly(entry("c", "RUN"));
  }

  // ------------------------------------------------------------------------------------------ dataset types

  @Test
  void registerDatasetTypeSaysWhetherItWasNew() {
    String repo = stack.newRepository("register_type");
    assertThat(run("register-dataset-type", repo, "the_monster_20240904", "SimpleCatalog", "htm7")).isZero();
    assertThat(out.toString()).isEqualTo("Dataset type successfully registered.\n");
    JsonNode monster = stack.datasetTypes(repo).get("the_monster_20240904");
    assertThat(monster.get("storageClass").asText()).isEqualTo("SimpleCatalog");
    assertThat(monster.get("dimensions").toString()).isEqualTo("[\"htm7\"]");
    assertThat(monster.get("isCalibration").asBoolean()).isFalse();

    assertThat(run("register-dataset-type", repo, "the_monster_20240904", "SimpleCatalog", "htm7")).isZero();
    assertThat(out.toString()).isEqualTo("Dataset type already existed in identical form.\n");

    assertThat(run("register-dataset-type", repo, "bias", "ExposureF", "instrument", "detector",
        "--is-calibration")).isZero();
    assertThat(out.toString()).isEqualTo("Dataset type successfully registered.\n");
    JsonNode bias = stack.datasetTypes(repo).get("bias");
    assertThat(bias.get("isCalibration").asBoolean()).isTrue();
    assertThat(bias.get("dimensions").toString()).isEqualTo("[\"instrument\",\"detector\"]");

    assertThat(run("register-dataset-type", repo, "bias", "ExposureI")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Given dataset type bias() ExposureI is inconsistent with database"
        + " definition bias(instrument, detector) ExposureF [calibration].\n");
    assertThat(out.toString()).isEmpty();
    assertThat(stack.datasetTypes(repo).get("bias").get("storageClass").asText()).isEqualTo("ExposureF");
  }

  @Test
  void componentDatasetTypesAreRefusedWithoutAsking() {
    String repo = stack.newRepository("component");
    assertThat(run("register-dataset-type", repo, "calexp.wcs", "Wcs")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        "Error: Component dataset types are created automatically when the composite is created.\n");
    assertThat(stack.datasetTypes(repo)).isEmpty();
  }

  @Test
  void queryDatasetTypesPrintsTheButlersTables() {
    String repo = stack.newRepository("query_types");
    stack.datasetType(repo, "the_monster_20240904", "SimpleCatalog", false, "htm7");
    stack.datasetType(repo, "bias", "ExposureF", true, "instrument", "detector");
    stack.datasetType(repo, "packages", "Packages", false);

    assertThat(run("query-dataset-types", repo)).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "        name        ",
        "--------------------",
        "                bias",
        "            packages",
        "the_monster_20240904"));

    assertThat(run("query-dataset-types", repo, "-v", "b*,the_*", "p?ckages")).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "        name                 dimensions         storage class",
        "-------------------- -------------------------- -------------",
        "                bias ['instrument', 'detector']     ExposureF",
        "            packages                         []      Packages",
        "the_monster_20240904                   ['htm7'] SimpleCatalog"));

    // the globs select: '?' reaches the service as a glob character, not as the start of a query
    assertThat(run("query-dataset-types", repo, "-v", "p?ckages")).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "  name   dimensions storage class",
        "-------- ---------- -------------",
        "packages         []      Packages"));

    assertThat(run("query-dataset-types", repo, "nothing*")).isZero();
    assertThat(out.toString()).isEqualTo("No results. Try --help for more information.\n");
  }

  // ------------------------------------------------------------------------------------------ query-collections

  @Test
  void queryCollectionsPrintsTheTableLeftAlignedWithTrailingSpaces() {
    String repo = stack.newRepository("query_tree");
    stack.collections(repo, "CALIBRATION", "LSSTComCam/calib/DM-48650");
    stack.collections(repo, "RUN", "LSSTComCam/calib/DM-48650/unbounded");
    stack.chain(repo, "LSSTComCam/calib", "LSSTComCam/calib/DM-48650", "LSSTComCam/calib/DM-48650/unbounded");

    assertThat(run("query-collections", repo, "LSSTComCam/calib")).isZero();
    assertThat(out.toString()).isEqualTo(""
        + "                 Name                     Type   \n"
        + "------------------------------------- -----------\n"
        + "LSSTComCam/calib                      CHAINED    \n"
        + "  LSSTComCam/calib/DM-48650           CALIBRATION\n"
        + "  LSSTComCam/calib/DM-48650/unbounded RUN        \n");
  }

  @Test
  void queryCollectionsPassesTypesAndModeAndPrintsNothingForNoMatch() {
    String repo = stack.newRepository("query_types_mode");
    stack.collections(repo, "RUN", "a_run", "c_run");
    stack.collections(repo, "TAGGED", "a_tagged");
    stack.chain(repo, "b_chain", "a_run", "a_tagged");

    assertThat(run("query-collections", repo, "--chains", "inverse-tree", "--collection-type", "run",
        "--collection-type", "Chained", "a*,b*")).isZero();
    // a_run with its parent below it, b_chain (no parent); a_tagged is no RUN or CHAINED, c_run no match
    assertThat(out.toString()).isEqualTo(text(
        "   Name     Type ",
        "--------- -------",
        "a_run     RUN    ",
        "  b_chain CHAINED",
        "b_chain   CHAINED"));
    assertThat(err.toString()).isEmpty();

    // a_tagged matches the glob but not the types, x* nothing: nothing at all is printed
    assertThat(run("query-collections", repo, "--chains", "inverse-tree", "--collection-type", "run",
        "--collection-type", "Chained", "a_t*,x*")).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();

    assertThat(run("query-collections", repo, "--chains", "sideways")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--chains'");
  }

  // ------------------------------------------------------------------------------------------ remove-collections

  /** tag1 (TAGGED), chain1 (CHAINED: tag1, run1) and run1 (RUN) match {@code *1}; other (TAGGED) does not. */
  private String repoToRemoveFrom(String hint) {
    String repo = stack.newRepository(hint);
    stack.collections(repo, "TAGGED", "tag1", "other");
    stack.collections(repo, "RUN", "run1");
    stack.chain(repo, "chain1", "tag1", "run1");
    return repo;
  }

  private static final Map<String, String> ALL = Map.of("chain1", "CHAINED", "other", "TAGGED", "run1", "RUN",
      "tag1", "TAGGED");
  private static final Map<String, String> AFTER_REMOVAL = Map.of("other", "TAGGED", "run1", "RUN");

  @Test
  void removeCollectionsWithoutConfirmationRemovesTheNonRunOnesAndSaysSo() {
    String repo = repoToRemoveFrom("remove_no_confirm");
    assertThat(run("remove-collections", repo, "*1", "--no-confirm")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "",
        "Removed collections:",
        "",
        "Collection Collection Type",
        "---------- ---------------",
        "chain1     CHAINED        ",
        "tag1       TAGGED         ",
        "",
        "Found RUN collections but they can NOT be removed by this command:",
        "Collection",
        "----------",
        "run1      ",
        ""));
    assertThat(stack.collectionTypes(repo)).isEqualTo(AFTER_REMOVAL);
  }

  /** The answers typed at the prompt; {@code null}: there is no terminal. */
  private Consumer<CommandLine> terminal(String input) {
    return cl -> ((RemoveCollectionsCommand) cl.getSubcommands().get("remove-collections").getCommand()).terminal =
        () -> Optional.ofNullable(input).map(text -> new BufferedReader(new StringReader(text)));
  }

  @Test
  void removeCollectionsAsksFirst() {
    String repo = repoToRemoveFrom("remove_yes");
    assertThat(run(terminal("maybe\ny\n"), "remove-collections", repo, "*1")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "",
        "The following collections will be removed:",
        "Collection Collection Type",
        "---------- ---------------",
        "chain1     CHAINED        ",
        "tag1       TAGGED         ",
        "",
        "The following RUN collections were found but can NOT be removed by this command:",
        "Collection",
        "----------",
        "run1      ",
        "",
        "Continue? [y/N]: Error: invalid input",
        "Continue? [y/N]: ",
        "Removed collections.",
        ""));
    assertThat(stack.collectionTypes(repo)).isEqualTo(AFTER_REMOVAL);
  }

  @Test
  void removeCollectionsAnsweredNoRemovesNothing() {
    String repo = repoToRemoveFrom("remove_no");
    assertThat(run(terminal("\n"), "remove-collections", repo, "*1")).isZero();
    assertThat(out.toString()).endsWith("run1      \n\nContinue? [y/N]: \nAborted.\n\n");
    assertThat(stack.collectionTypes(repo)).isEqualTo(ALL);
    assertThat(stack.chainInDatabase(repo, "chain1")).containsExactly("tag1", "run1");
  }

  @Test
  void removeCollectionsRefusesToGuessWithoutATerminal() {
    String repo = repoToRemoveFrom("remove_no_terminal");
    assertThat(run(terminal(null), "remove-collections", repo, "*1")).isEqualTo(1);
    assertThat(out.toString()).startsWith("\nThe following collections will be removed:\n").doesNotContain("Continue?");
    assertThat(err.toString()).isEqualTo("Error: cannot ask for confirmation: there is no terminal. Run it in a "
        + "terminal, or add --no-confirm to remove the collections listed above without asking\n");
    assertThat(stack.collectionTypes(repo)).isEqualTo(ALL);
  }

  @Test
  void removeCollectionsWithOnlyRunsRemovesNothing() {
    String repo = stack.newRepository("remove_only_runs");
    stack.collections(repo, "RUN", "run1");
    assertThat(run(terminal(null), "remove-collections", repo, "run1")).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "",
        "No non-RUN collections were found.",
        "",
        "The following RUN collections were found but can NOT be removed by this command:",
        "Collection",
        "----------",
        "run1      ",
        ""));
    assertThat(run("remove-collections", repo, "nothing", "--no-confirm")).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(stack.collectionTypes(repo)).isEqualTo(Map.of("run1", "RUN"));
  }
}
