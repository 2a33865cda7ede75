package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;
import io.autobutler.testsupport.ButlerZips;

/**
 * {@code ./autobutler ingest-zip REPO ZIP --transfer direct} with an LSSTCam raw zip as ctrl_ingestd receives them,
 * against the real catalog-service of the run's {@link RealStack}.
 */
class IngestZipCommandTest extends StackCommandTest {

  private static final String LOG = "lsst.daf.butler.direct_butler._direct_butler INFO: ";
  private static final List<String> MEMBERS = List.of("MC_O_20250614_000123_R22_S11.fits",
      "MC_O_20250614_000123_R22_S12.fits");

  @TempDir
  Path data;

  IngestZipCommandTest(RealStack.Stack stack) {
    super(stack);
  }

  /** A butler zip as retrieve-artifacts writes it: the index first, then the raws. */
  private Path rawZip() throws Exception {
    return ButlerZips.write(data.resolve("raw/LSSTCam/20250614/MC_O_20250614_000123.zip"),
        ButlerZips.index(ButlerZips.LSSTCAM_RAWS));
  }

  /** The URI column of query-datasets --show-uri. */
  private List<String> uris(String repo) {
    assertThat(run("query-datasets", repo, "raw", "--collections", "LSSTCam/raw/all", "--show-uri", "--limit", "0"))
        .as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    return lines.subList(3, lines.size() - 1).stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
  }

  @Test
  void aRawZipGoesInWithItsRecordsAndIsRefusedOrSkippedAgain() throws Exception {
    String repo = stack.newRepository("ingest_zip");
    Path zip = rawZip();
    String uri = "file://" + zip;

    assertThat(run("ingest-zip", repo, zip.toString(), "--transfer", "direct")).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo(LOG + "Ingesting zip file " + uri + " with 2 datasets\n");
    assertThat(uris(repo)).containsExactly(uri + "#zip-path=" + MEMBERS.get(0), uri + "#zip-path=" + MEMBERS.get(1));
    assertThat(run("query-dimension-records", repo, "exposure")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("MC_O_20250614_000123");

    // as the butler: the same zip again is refused, and nothing changes
    assertThat(run("ingest-zip", repo, uri, "-t", "direct")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: " + uri + ": Datastore already contains 2 of the given datasets."
        + " Example: af4edb44-d73f-5cde-9bad-9cf7d72795db\n");
    assertThat(run("ingest-zip", repo, uri, "-t", "direct", "--skip-existing")).as(err.toString()).isZero();
    assertThat(err.toString()).isEqualTo(LOG + "Skipping 2 datasets from zip file " + uri + " which already exist in"
        + " the repository.\n");
    assertThat(uris(repo)).hasSize(2);
  }

  @Test
  void refusalsSayWhy() throws Exception {
    String repo = stack.newRepository("ingest_zip");
    Path zip = rawZip();
    assertThat(run("ingest-zip", repo, zip.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: transfer mode 'auto' is not supported: autobutler never copies zips"
        + " into the datastore, it records them where they are; use --transfer direct\n");
    Path notZip = Files.writeString(data.resolve("notes.zip"), "not a zip");
    assertThat(run("ingest-zip", repo, notZip.toString(), "-t", "direct")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: file://" + notZip + " is not a zip file: it has no end of central"
        + " directory record\n");
    assertThat(run("ingest-zip", repo, data.resolve("absent.zip").toString(), "-t", "direct")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: no file at file://" + data.resolve("absent.zip") + "\n");
    assertThat(stack.collectionTypes(repo)).doesNotContainKey("LSSTCam/raw/all");
  }
}
