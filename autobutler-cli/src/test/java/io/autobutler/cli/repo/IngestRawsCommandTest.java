package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;
import io.autobutler.core.campaign.SyntheticRaws;

/**
 * {@code ./autobutler ingest-raws} as RTN-103 runs it ({@code --fail-fast --transfer direct $REPO
 * $DATA/raw/LSSTComCam}), against the real catalog-service of the run's {@link RealStack}, from a local folder of
 * exposure folders with their {@code _index.json} files.
 */
class IngestRawsCommandTest extends StackCommandTest {

  @TempDir
  Path data;

  IngestRawsCommandTest(RealStack.Stack stack) {
    super(stack);
  }

  private String repositoryWithComCam() {
    String repo = stack.newRepository("ingest_raws");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();
    return repo;
  }

  @Test
  void rtn103sIngestRawsRegistersTheRawsOnceAndSaysSoAsTheButler() throws Exception {
    String repo = repositoryWithComCam();
    Path raws = data.resolve("raw/LSSTComCam");
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(40, 5, raws);
    String summary = "lsst.ingest INFO: Successfully processed data from " + campaign.exposures() + " exposures"
        + " with 0 failures from exposure registration and 0 failures from file ingest.\n"
        + "lsst.ingest INFO: Ingested 40 distinct Butler datasets\n";

    assertThat(run("ingest-raws", "--fail-fast", "--transfer", "direct", repo, raws.toString())).as(err.toString())
        .isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo(summary);

    assertThat(run("query-datasets", repo, "raw", "--collections", "LSSTComCam/raw/all", "--limit", "0"))
        .as(err.toString()).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(40 + 4);
    assertThat(run("query-datasets", repo, "raw", "--collections", "LSSTComCam/raw/all", "--where",
        "exposure.observation_type='science'", "--limit", "0")).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(campaign.scienceRaws() + 4);

    // Again, as a file: URI: the same summary, nothing new.
    assertThat(run("ingest-raws", "-t", "direct", repo, raws.toUri().toString())).as(err.toString()).isZero();
    assertThat(err.toString()).isEqualTo(summary);
    assertThat(stack.datasetTypes(repo)).containsOnlyKeys("raw");
  }

  @Test
  void aRawWithoutMetadataIsReportedAndTheCommandFailsAsTheButlerDoes() throws Exception {
    String repo = repositoryWithComCam();
    Path raws = data.resolve("raw/LSSTComCam");
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(18, 9, raws);
    Path stray = Files.createDirectories(raws.resolve("20241124/CC_O_20241124_000099"))
        .resolve("CC_O_20241124_000099_R22_S00.fits");
    Files.write(stray, new byte[1]);
    String strayUri = "file://" + stray.toUri().getPath();

    assertThat(run("ingest-raws", "--transfer", "direct", repo, raws.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(String.join("\n",
        "lsst.ingest WARNING: Could not extract observation metadata from the following:",
        "lsst.ingest WARNING: - " + strayUri + " (no entry for this file in an _index.json of its folder (autobutler"
            + " reads raw metadata from _index.json files only, not from FITS headers))",
        "lsst.ingest INFO: Successfully processed data from " + campaign.exposures() + " exposures with 0 failures"
            + " from exposure registration and 0 failures from file ingest.",
        "lsst.ingest INFO: Ingested 18 distinct Butler datasets",
        "Error: Some failures encountered during ingestion", ""));

    assertThat(run("ingest-raws", "--fail-fast", "--transfer", "direct", repo, raws.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: Problem extracting metadata for file " + strayUri + ": no entry");
  }

  @Test
  void onlyTransferDirectIsAccepted() {
    assertThat(run("ingest-raws", "ccms1", "/data/raw/LSSTComCam")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: transfer mode 'auto' is not supported: autobutler never copies or"
        + " links files, it records raws where they are; use --transfer direct\n");
    assertThat(run("ingest-raws", "-t", "copy", "ccms1", "/data")).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: transfer mode 'copy' is not supported");
    assertThat(run("ingest-raws", "-t", "teleport", "ccms1", "/data")).isEqualTo(2);
    assertThat(err.toString()).contains("'teleport' is not one of 'auto', 'link', 'symlink', 'hardlink', 'copy',"
        + " 'move', 'relsymlink', 'direct'.");
  }
}
