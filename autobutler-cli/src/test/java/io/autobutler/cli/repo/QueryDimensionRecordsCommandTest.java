package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.cli.RealStack;

/**
 * {@code ./autobutler query-dimension-records} and {@code query-data-ids} against the real catalog-service of the run's {@link RealStack}, on a
 * repository with LSSTComCam registered: exactly what it prints, on stdout and stderr, and its exit code.
 */
class QueryDimensionRecordsCommandTest extends StackCommandTest {

  private static final String[] DETECTORS = {"S00", "S01", "S02", "S10", "S11", "S12", "S20", "S21", "S22"};

  private String repo;

  QueryDimensionRecordsCommandTest(RealStack.Stack stack) {
    super(stack);
  }

  @BeforeEach
  void comCam() {
    repo = stack.newRepository("records");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();
  }

  /** The butler's line for a detector: astropy's right-aligned columns under the headers. */
  private static String detectorLine(int id) {
    return String.format("LSSTComCam %2d %9s %12s %4s SCIENCE", id, "R22_" + DETECTORS[id], DETECTORS[id], "R22");
  }

  private static String text(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void printsTheButlersTableSortedByDataId() {
    assertThat(run("query-dimension-records", repo, "detector")).as(err.toString()).isZero();
    List<String> expected = new ArrayList<>(List.of(
        "instrument id full_name name_in_raft raft purpose",
        "---------- -- --------- ------------ ---- -------"));
    for (int id = 0; id < DETECTORS.length; id++) {
      expected.add(detectorLine(id));
    }
    assertThat(out.toString()).isEqualTo(text(expected));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void whereOrderByAndBind() {
    assertThat(run("query-dimension-records", repo, "detector", "--where", "detector IN (0..8:4)",
        "--order-by", "-detector")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(text(List.of(
        "instrument id full_name name_in_raft raft purpose",
        "---------- -- --------- ------------ ---- -------",
        detectorLine(8), detectorLine(4), detectorLine(0))));

    assertThat(run("query-dimension-records", repo, "physical_filter", "--where", "band = :b", "--bind", "b=g"))
        .as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(text(List.of(
        "instrument name band",
        "---------- ---- ----",
        "LSSTComCam g_01    g",
        "LSSTComCam g_07    g")));
  }

  @Test
  void noResultsLimitWarningAndNoCheck() {
    assertThat(run("query-dimension-records", repo, "detector", "--where", "detector > 8")).isZero();
    assertThat(out.toString()).isEqualTo("No results. Try --help for more information.\n");

    assertThat(run("query-dimension-records", repo, "detector", "--limit", "-2", "--no-check")).isZero();
    assertThat(out.toString()).isEqualTo(text(List.of(
        "WARNING: --no-check option has no effect and will be removed after v28.",
        "instrument id full_name name_in_raft raft purpose",
        "---------- -- --------- ------------ ---- -------",
        detectorLine(0), detectorLine(1))));
    assertThat(err.toString()).isEqualTo("lsst.daf.butler.script.queryDimensionRecords WARNING: More data IDs are"
        + " available than the request limit of 2\n");
  }

  @Test
  void errorsArePrintedAsTheButlerPrintsThemAndExitWith1() {
    assertThat(run("query-dimension-records", repo, "galaxy")).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: Unknown dimension element 'galaxy'; the elements of universe"
        + " daf_butler 7 with records are: band, instrument, skymap");
    assertThat(out.toString()).isEmpty();

    assertThat(run("query-dimension-records", repo, "detector", "--where", "raft = 'R22' AND")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: --where: End of input reached while expecting further input\n");

    assertThat(run("query-dimension-records", repo, "detector", "--offset", "3")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: --offset is no longer supported.  It will be removed after v28.\n");

    assertThat(run("query-dimension-records", repo, "visit", "--where", "tract = 1")).isEqualTo(1);
    assertThat(err.toString()).contains("needs a spatial join (region overlaps), which is not supported");
  }

  @Test
  void injectionAttemptsFindNothingAndChangeNothing() {
    assertThat(run("query-dimension-records", repo, "detector", "--where", "full_name = :n OR raft = :n",
        "--bind", "n=R22'; DROP TABLE detector; --")).isZero();
    assertThat(out.toString()).isEqualTo("No results. Try --help for more information.\n");
    assertThat(run("query-dimension-records", repo, "detector", "--where", "raft = 'R22'' OR 1=1 --'"))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: --where: ");
    assertThat(run("query-dimension-records", repo, "detector")).isZero();
    assertThat(out.toString().lines()).hasSize(2 + DETECTORS.length);
  }

  @Test
  void queryDataIdsPrintsTheButlersTableOrItsReason() {
    assertThat(run("query-data-ids", repo, "physical_filter", "--where", "band = 'g'")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(text(List.of(
        "instrument physical_filter band",
        "---------- --------------- ----",
        "LSSTComCam            g_01    g",
        "LSSTComCam            g_07    g")));
    assertThat(run("query-data-ids", repo)).isZero();
    assertThat(out.toString()).isEqualTo(text(List.of(
        "Result has one logical row but no columns because no dimensions were requested.",
        "No results. Try requesting some dimensions or datasets, see --help for more information.")));
    assertThat(run("query-data-ids", repo, "detector", "--where", "detector > 8")).isZero();
    assertThat(out.toString()).isEqualTo("No results. Try --help for more information.\n");
    assertThat(run("query-data-ids", repo, "galaxy")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Unknown dimension 'galaxy'\n");
  }
}
