package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.transfer.DimensionBlock;
import io.autobutler.core.transfer.ExportFileWriter;

/**
 * {@code define-visits} as RTN-103 runs it after ingest-raws ({@code butler define-visits $REPO LSSTComCam
 * --collections LSSTComCam/raw/all}), against the real catalog-service of the run's {@link RealStack}, on synthetic
 * ComCam raws imported with the CLI.
 */
class DefineVisitsCommandTest extends StackCommandTest {

  @TempDir
  Path data;

  DefineVisitsCommandTest(RealStack.Stack stack) {
    super(stack);
  }

  @Test
  void definesTheVisitsOfTheSkyExposuresOnceAndLogsLikeTheButler() throws Exception {
    String repo = stack.newRepository("define_visits");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();
    SyntheticRaws.Campaign campaign = SyntheticRaws.generate(9 * 80, 20241108L, "davs://host/raw/LSSTComCam");
    long onSky = campaign.exportFile().blocks(DimensionBlock.class).stream()
        .filter(b -> b.element().equals("exposure")).flatMap(b -> b.records().stream())
        .filter(r -> Boolean.TRUE.equals(r.get("can_see_sky"))).count();
    assertThat(onSky).isPositive();
    Files.writeString(data.resolve("export.yaml"), new ExportFileWriter().write(campaign.exportFile()));
    assertThat(run("import", repo, data.toString(), "--export-file", "export.yaml", "--transfer", "direct"))
        .as(err.toString()).isZero();

    assertThat(run("define-visits", repo, "LSSTComCam", "--collections", SyntheticRaws.RUN)).as(err.toString())
        .isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo(ButlerDataCommandsTest.text(
        "lsst.defineVisits INFO: Preprocessing data IDs.",
        "lsst.defineVisits INFO: Registering visit_system 0: one-to-one.",
        "lsst.defineVisits INFO: Registering visit_system 2: by-seq-start-end.",
        "lsst.defineVisits INFO: Grouping " + onSky + " exposure(s) into visits.",
        "lsst.defineVisits INFO: Computing regions and other metadata for " + onSky + " visit(s).",
        "lsst.defineVisits INFO: Finished writing database records for " + onSky + " visit(s): 0 left unchanged, "
            + onSky + " new, 0 updated with new detector regions, 0 updated without new detector regions."));

    assertThat(run("define-visits", repo, "lsst.obs.lsst.LsstComCam", "--where",
        "exposure.observation_type = 'science'", "--incremental")).as(err.toString()).isZero();
    assertThat(err.toString()).endsWith("Finished writing database records for " + onSky + " visit(s): " + onSky
        + " left unchanged, 0 new, 0 updated with new detector regions, 0 updated without new detector regions.\n");

    assertThat(run("define-visits", repo, "LSSTComCam", "--where", "exposure.observation_type != 'science'"))
        .isZero();
    assertThat(err.toString()).isEqualTo(ButlerDataCommandsTest.text(
        "lsst.defineVisits INFO: Preprocessing data IDs.",
        "lsst.defineVisits INFO: No on-sky exposures found after filtering."));
  }

  @Test
  void badArgumentsAreOneErrorLine() {
    String repo = stack.newRepository("define_visits_errors");
    assertThat(run("define-visits", repo, "LSSTComCam")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Instrument LSSTComCam is not registered in this repository"
        + " (register-instrument first)\n");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();

    assertThat(run("define-visits", repo, "LSSTComCam")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: No exposures given. (No LSSTComCam exposure is in the repository.)\n");
    assertThat(run("define-visits", repo, "LSSTComCam", "--where", "exposure.bogus = 1")).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: --where: ").contains("bogus");
    assertThat(run("define-visits", repo, "lsst.obs.nowhere.Nothing")).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: Unknown instrument 'lsst.obs.nowhere.Nothing'");
    assertThat(run("define-visits", repo, "LSSTComCam", "--collections", "LSSTComCam/calib")).isEqualTo(1);
    assertThat(err.toString()).contains("LSSTComCam/calib");
    assertThat(run("define-visits", repo, "LSSTComCam", "-C", "overrides.py")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: --config-file is not supported: autobutler defines visits with"
        + " obs_base's default configuration only\n");
  }
}
