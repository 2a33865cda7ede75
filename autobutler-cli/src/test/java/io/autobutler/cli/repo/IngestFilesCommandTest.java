package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;

/**
 * {@code ./autobutler ingest-files} as RTN-103 ingests its reference catalogs ({@code ingest-files $REPO
 * the_monster_20240904 refcats/DM-46370/the_monster_20240904 --prefix $DATA/raw/refcats/the_monster_20240904/
 * --transfer direct the_monster_20240904.ecsv}), against the real catalog-service of the run's {@link RealStack}.
 */
class IngestFilesCommandTest extends StackCommandTest {

  private static final Path MONSTER_ECSV =
      Path.of("src/test/resources/ingest-files/the_monster_20240904.ecsv").toAbsolutePath();
  private static final String REFCAT = "the_monster_20240904";
  private static final String RUN = "refcats/DM-46370/the_monster_20240904";
  private static final String LOG = "lsst.daf.butler.script.ingest_files INFO: ";

  @TempDir
  Path data;

  IngestFilesCommandTest(RealStack.Stack stack) {
    super(stack);
  }

  private String repositoryWithTheRefcatType() {
    String repo = stack.newRepository("ingest_files");
    assertThat(run("register-dataset-type", repo, REFCAT, "SimpleCatalog", "htm7")).as(err.toString()).isZero();
    return repo;
  }

  /** The URI column of query-datasets --show-uri. */
  private List<String> uris(String repo, String run) {
    assertThat(run("query-datasets", repo, REFCAT, "--collections", run, "--show-uri", "--limit", "0"))
        .as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    return lines.subList(3, lines.size() - 1).stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
  }

  @Test
  void rtn103sRefcatIngestRecordsTheFilesUnderThePrefix() throws Exception {
    String repo = repositoryWithTheRefcatType();
    Path refcats = data.resolve("raw/refcats/the_monster_20240904");
    Path table = Files.copy(MONSTER_ECSV, data.resolve("the_monster_20240904.ecsv"));

    assertThat(run("ingest-files", repo, REFCAT, RUN, "--prefix", refcats + "/", "--transfer", "direct",
        table.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo(LOG + "Ingesting 4 dataset ref(s) from 4 file(s)\n");
    assertThat(stack.collectionTypes(repo)).containsEntry(RUN, "RUN");
    assertThat(uris(repo, RUN)).containsExactly(
        "file://" + refcats + "/146812.fits", "file://" + refcats + "/146813.fits",
        "file://" + refcats + "/146814.fits", "file://" + refcats + "/146815.fits");

    // the default UNIQUE mode draws new ids, which the run's datasets conflict with: nothing changes
    assertThat(run("ingest-files", repo, REFCAT, RUN, "--prefix", refcats.toString(), "-t", "direct",
        table.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: Conflicting definition for dataset ")
        .contains("already has that dataset type, data ID and run.");
    assertThat(uris(repo, RUN)).hasSize(4);
  }

  @Test
  void reproducibleIdsDataIdsAndTheCurrentFolder() throws Exception {
    String repo = repositoryWithTheRefcatType();
    Path table = Files.writeString(data.resolve("extra.csv"), "file URI\nextra/a.fits\n");
    // without --prefix, relative paths are relative to the current folder; --data-id gives the missing column
    for (int i = 0; i < 2; i++) {
      assertThat(run("ingest-files", repo, REFCAT, "refcats/extra", table.toString(), "--data-id", "htm7=146900",
          "--id-generation-mode", "dataid_type_run", "--formatter",
          "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter", "--transfer", "direct"))
          .as(err.toString()).isZero();
      assertThat(err.toString()).isEqualTo(LOG + "Ingesting 1 dataset ref(s) from 1 file(s)\n");
    }
    assertThat(uris(repo, "refcats/extra"))
        .containsExactly("file://" + Path.of("").toAbsolutePath() + "/extra/a.fits");
  }

  @Test
  void refusalsSayWhy() throws Exception {
    String repo = repositoryWithTheRefcatType();
    Path table = Files.copy(MONSTER_ECSV, data.resolve("the_monster_20240904.ecsv"));
    assertThat(run("ingest-files", repo, REFCAT, RUN, table.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: transfer mode 'auto' is not supported: autobutler records files"
        + " where they are (--transfer direct) and never copies them\n");
    assertThat(run("ingest-files", repo, "the_monster_20250219", RUN, "-t", "direct", table.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Dataset type 'the_monster_20250219' does not exist.\n");
    Path bad = Files.writeString(data.resolve("bad.ecsv"),
        Files.readString(table).replace("146814.fits 146814", "146814.fits"));
    assertThat(run("ingest-files", repo, REFCAT, RUN, "-t", "direct", "--prefix", "/refcats", bad.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: bad.ecsv: line 10: 1 value(s) for 2 columns [filename, htm7]\n");
    assertThat(run("ingest-files", repo, REFCAT, RUN, "-t", "direct", data.resolve("missing.ecsv").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: cannot read the table file " + data.resolve("missing.ecsv"));
    assertThat(run("ingest-files", repo, REFCAT, RUN, "--id-generation-mode", "random", table.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'random' is not one of 'UNIQUE', 'DATAID_TYPE', 'DATAID_TYPE_RUN'.");
    assertThat(stack.collectionTypes(repo)).doesNotContainKey(RUN);
  }
}
