package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.RealStack;

/**
 * The butler commands that bring data into a repository and list it (import, query-datasets, associate,
 * certify-calibrations, register-instrument, register-skymap, write-curated-calibrations) against the real
 * catalog-service of the run's {@link RealStack}, with RTN-103's files: each test makes a repository of its own, runs
 * the commands as RTN-103 writes them and compares exactly what they print.
 */
class ButlerDataCommandsTest extends StackCommandTest {

  static final String FGCM_EXPORT = "DM-48089-fgcmLookupTable-export.yaml";
  static final String MODELS_EXPORT = "pretrained-models-export.yaml";
  /** 42 tracts of 5×5 patches: registers in a moment, where lsst_cells_v1 writes 1,893,800 patch records. */
  static final String SMALL_SKYMAP_CONFIG = "rings4.skymap.config";
  static final String FGCM_RUN = "LSSTComCam/calib/fgcmcal/DM-48089";
  static final String FGCM_ID = "bb573ca3-6159-45d9-88e3-866e01da4882";
  static final String FGCM_PATH = "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/"
      + "fgcmLookUpTable_LSSTComCam_LSSTComCam_calib_fgcmcal_DM-48089.fits";
  static final String MODELS_RUN = "pretrained_models/tac_cnn_comcam_2025-02-18";
  static final String MODELS_ID = "a83d850a-0094-417c-ac9c-64d0f7b98048";
  static final String MODELS_PATH = "pretrained_models/tac_cnn_comcam_2025-02-18/pretrainedModelPackage/"
      + "pretrainedModelPackage_pretrained_models_tac_cnn_comcam_2025-02-18.zip";
  /** Where RTN-103's files are ($DATA/ancillary/ at the site): a URI the CLI passes on without looking. */
  static final String REMOTE_ANCILLARY = "davs://webdav.example.org:2880/lsst/instrument/ancillary/";

  /** An empty state folder: no token file and no stack record there, so that only the environment below counts. */

  /** The local copy of $DATA/ancillary/ that holds the export files. */
  @TempDir
  Path ancillary;

  ButlerDataCommandsTest(RealStack.Stack stack) {
    super(stack);
  }

  /** The lines, each ending with a newline. */
  static String text(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** A file of src/test/resources/butler-data/. */
  static Path resource(String name) {
    try {
      return Path.of(ButlerDataCommandsTest.class.getResource("/butler-data/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The export file copied into the local ancillary folder, to be found there by its relative name. */
  private void copyToAncillary(String name) throws IOException {
    Files.copy(resource(name), ancillary.resolve(name));
  }

  /** The fgcm export imported as RTN-103 writes it: DIRECTORY after the options, the export file found in it. */
  private void importFgcm(String repo) throws IOException {
    copyToAncillary(FGCM_EXPORT);
    assertThat(run("import", repo, "--export-file", FGCM_EXPORT, "--transfer", "direct", ancillary + "/"))
        .as(err.toString()).isZero();
  }

  /** The pretrained-models export, with an absolute export file and the site's remote ancillary folder. */
  private void importModels(String repo) {
    assertThat(run("import", repo, "--export-file", resource(MODELS_EXPORT).toString(), "-t", "DIRECT",
        REMOTE_ANCILLARY)).as(err.toString()).isZero();
  }

  // ------------------------------------------------------------------------------------------ import

  @Test
  void importWithDirectoryAfterTheOptionsFindsTheExportFileThereAndPrintsNothing() throws IOException {
    String repo = stack.newRepository("import_fgcm");
    importFgcm(repo);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
    assertThat(stack.collectionTypes(repo)).containsExactly(entry(FGCM_RUN, "RUN"));
    assertThat(stack.datasetTypes(repo)).containsOnlyKeys("fgcmLookUpTable");

    // the same file again: nothing new, nothing printed
    assertThat(run("import", repo, "--export-file", FGCM_EXPORT, "--transfer", "direct", ancillary.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();

    assertThat(run("query-datasets", repo, "fgcmLookUpTable", "--collections", FGCM_RUN)).isZero();
    String table = text(
        "",
        "      type                     run                                 id                  instrument",
        "--------------- --------------------------------- ------------------------------------ ----------",
        "fgcmLookUpTable " + FGCM_RUN + " " + FGCM_ID + " LSSTComCam",
        "");
    assertThat(out.toString()).isEqualTo(table);
    assertThat(err.toString()).isEmpty();
    // RTN-103's "| wc -l": the rows plus 4 lines (blank, header, dashes, blank)
    assertThat(out.toString().lines().count()).isEqualTo(1 + 4);

    // the file's URI: the local DIRECTORY (made absolute) joined with the export's relative path
    assertThat(run("query-datasets", repo, "fgcmLookUpTable", "--collections", FGCM_RUN, "--show-uri")).isZero();
    String uri = "file://" + ancillary.toAbsolutePath() + "/" + FGCM_PATH;
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEmpty();
    assertThat(lines.get(1)).matches("\\s+type\\s+run\\s+id\\s+instrument\\s+URI\\s*");
    assertThat(lines.get(3)).isEqualTo("fgcmLookUpTable " + FGCM_RUN + " " + FGCM_ID + " LSSTComCam " + uri);
    assertThat(lines.get(4)).isEmpty();
  }

  @Test
  void importOfARemoteDirectorySendsItAsGivenAndTheExportFileMustBeHere() {
    String repo = stack.newRepository("import_remote");
    importModels(repo);
    assertThat(out.toString()).isEmpty();

    assertThat(run("query-datasets", repo, "pretrainedModelPackage", "--collections", MODELS_RUN, "--show-uri"))
        .isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(3)).isEqualTo("pretrainedModelPackage " + MODELS_RUN + " " + MODELS_ID + " "
        + REMOTE_ANCILLARY + MODELS_PATH);

    // a relative export file that is neither in a local DIRECTORY nor here
    Path cwd = Path.of("").toAbsolutePath();
    assertThat(run("import", repo, "--export-file", "no-such-export.yaml", "--transfer", "direct",
        ancillary.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Export file could not be found in "
        + cwd.resolve("no-such-export.yaml").toUri() + " or " + ancillary.resolve("no-such-export.yaml").toUri()
        + ".\n");
    assertThat(out.toString()).isEmpty();

    // nor here, with a remote DIRECTORY (which autobutler does not search)
    assertThat(run("import", repo, "--transfer", "direct", REMOTE_ANCILLARY)).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Export file could not be found in "
        + cwd.resolve("export.yaml").toUri() + " or " + REMOTE_ANCILLARY + "export.yaml (autobutler looks for the "
        + "export file on this machine only).\n");
  }

  @Test
  void importRefusesEveryTransferButDirect() throws IOException {
    String repo = stack.newRepository("import_transfer");
    copyToAncillary(FGCM_EXPORT);
    for (String[] transfer : List.of(new String[] {"--transfer", "copy"}, new String[0])) {
      String[] args = new String[] {"import", repo, ancillary.toString(), "--export-file", FGCM_EXPORT};
      String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(transfer))
          .toArray(String[]::new);
      assertThat(run(all)).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("Error: transfer mode '" + (transfer.length == 0 ? "auto" : "copy")
          + "' is not supported: autobutler never copies or links files, it records them where they are; use "
          + "--transfer direct\n");
    }
    assertThat(run("import", repo, ancillary.toString(), "--export-file", FGCM_EXPORT, "-t", "teleport"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--transfer': 'teleport' is not one of 'auto'");
    assertThat(stack.collectionTypes(repo)).as("nothing was imported").isEmpty();
  }

  // ------------------------------------------------------------------------------------------ query-datasets

  @Test
  void queryDatasetsPrintsOneTablePerDatasetTypeAndLogsLikeTheButler() throws IOException {
    String repo = stack.newRepository("query_datasets");
    importFgcm(repo);
    importModels(repo);

    // both types, sorted by name, each after a blank line; one blank line at the end
    assertThat(run("query-datasets", repo, "*", "--collections", "*")).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "",
        "      type                     run                                 id                  instrument",
        "--------------- --------------------------------- ------------------------------------ ----------",
        "fgcmLookUpTable " + FGCM_RUN + " " + FGCM_ID + " LSSTComCam",
        "",
        "         type                              run                                      id                 ",
        "---------------------- ------------------------------------------- ------------------------------------",
        "pretrainedModelPackage " + MODELS_RUN + " " + MODELS_ID,
        ""));
    assertThat(err.toString()).isEmpty();

    // a cap that is hit: the first table only, and the butler's warning
    assertThat(run("query-datasets", repo, "fgcm*,pretrained*", "--collections", "*", "--limit", "-1")).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(1 + 4);
    assertThat(err.toString()).isEqualTo("lsst.daf.butler.script.queryDatasets WARNING: Requested limit of 1 hit "
        + "for number of datasets returned. Use --limit to increase this limit.\n");

    // no GLOB and no --collections: all of them, with the butler's two FutureWarnings
    assertThat(run("query-datasets", repo)).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(2 + 2 * 3 + 1);
    assertThat(err.toString()).isEqualTo(text(
        "py.warnings WARNING: FutureWarning: No --collections specified.  The --collections argument will become "
            + "mandatory after v28.",
        "py.warnings WARNING: FutureWarning: No dataset types specified.  Explicitly specifying dataset types will "
            + "become mandatory after v28. Specify '*' to match the current behavior of querying all dataset "
            + "types."));

    // nothing found: the one final blank line; an unknown dataset type is logged at INFO
    assertThat(run("query-datasets", repo, "fgcmLookUpTable", "--collections", MODELS_RUN)).isZero();
    assertThat(out.toString()).isEqualTo("\n");
    assertThat(err.toString()).isEmpty();
    assertThat(run("query-datasets", repo, "raw", "--collections", "*")).isZero();
    assertThat(out.toString()).isEqualTo("\n");
    assertThat(err.toString()).isEqualTo(
        "lsst.daf.butler.script.queryDatasets INFO: Dataset type raw is not registered.\n");

    // --where and --bind reach the query
    assertThat(run("query-datasets", repo, "fgcmLookUpTable", "--collections", "*", "--where", "instrument = inst",
        "--bind", "inst=LSSTComCam")).as(err.toString()).isZero();
    assertThat(out.toString()).contains(FGCM_ID);
    assertThat(out.toString().lines().count()).isEqualTo(1 + 4);
    assertThat(run("query-datasets", repo, "fgcmLookUpTable", "--collections", "*", "--where", "instrument = inst",
        "--bind", "inst=LSSTCam")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("\n");
  }

  @Test
  void queryDatasetsWithABadWhereIsOneErrorLine() {
    String repo = stack.newRepository("query_bad_where");
    importModels(repo);
    assertThat(run("query-datasets", repo, "pretrainedModelPackage", "--collections", MODELS_RUN,
        "--where", "instrument =")).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("Error: ").endsWith("\n");
    assertThat(err.toString().lines().count()).isEqualTo(1);

    assertThat(run("query-datasets", repo, "pretrainedModelPackage", "--collections", "no/such/collection"))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: ").contains("no/such/collection");
  }

  // ------------------------------------------------------------------------------------------ instrument, skymap

  @Test
  void registerInstrumentPrintsNothingAndCanRunTwice() {
    String repo = stack.newRepository("register_instrument");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("autobutler INFO: Instrument LSSTComCam registered: 9 detectors, ")
        .doesNotContain("(0 new records)");

    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("autobutler INFO: Instrument LSSTComCam registered: ")
        .endsWith("(0 new records)\n");

    // no raws yet: no dataset at all
    assertThat(run("query-datasets", repo, "*", "--collections", "*")).isZero();
    assertThat(out.toString()).isEqualTo("\n");
    assertThat(err.toString()).isEmpty();

    assertThat(run("register-instrument", repo, "lsst.obs.nowhere.Nothing")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: Unknown instrument 'lsst.obs.nowhere.Nothing'; known: "
        + "lsst.obs.lsst.LsstComCam, lsst.obs.lsst.LsstCam\n");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam", "--update")).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: --update is not supported yet");
  }

  @Test
  void registerSkymapReadsTheConfigFileHere() {
    String repo = stack.newRepository("register_skymap");
    String config = resource(SMALL_SKYMAP_CONFIG).toString();
    // as RTN-103 writes it: the option before REPO
    assertThat(run("register-skymap", "--config-file", config, repo)).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("autobutler INFO: Skymap rings4 registered: 42 tracts of 5x5 patches, hash "
        + "accc57cdcd8fc6bab9cde846ad202f33de06e60a; 42 tract and 1050 patch records written\n");
    assertThat(stack.collectionTypes(repo)).containsExactly(entry("skymaps", "RUN"));
    assertThat(stack.skymapRecords(repo, "tract", "rings4")).isEqualTo(42);
    assertThat(stack.skymapRecords(repo, "patch", "rings4")).isEqualTo(1050);

    assertThat(run("register-skymap", repo, "-C", config)).as(err.toString()).isZero();
    assertThat(err.toString()).endsWith(" (already registered)\n");
    assertThat(stack.skymapRecords(repo, "patch", "rings4")).isEqualTo(1050);

    assertThat(run("query-datasets", repo, "skyMap", "--collections", "skymaps")).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(1)).matches("\\s*type\\s+run\\s+id\\s+skymap\\s*");
    assertThat(lines.get(3)).matches("skyMap skymaps [0-9a-f-]{36} rings4");

    assertThat(run("register-skymap", repo, "-C", config, "-c", "name=other")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: -c/--config overrides are not supported yet: put name=other in the "
        + "--config-file\n");
    assertThat(run("register-skymap", repo)).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: --config-file is required");
  }

  // ------------------------------------------------------------------------------------------ curated calibrations

  @Test
  void writeCuratedCalibrationsMakesTheCalibrationCollectionAndItsRuns() {
    String repo = stack.newRepository("curated");
    assertThat(run("register-instrument", repo, "lsst.obs.lsst.LsstComCam")).as(err.toString()).isZero();

    assertThat(run("write-curated-calibrations", repo, "lsst.obs.lsst.LsstComCam")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: At least one label or --collection must be provided.\n");

    assertThat(run("write-curated-calibrations", repo, "lsst.obs.lsst.LsstComCam", "--label", "DM-48650"))
        .as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("autobutler INFO: Curated calibrations of LSSTComCam written to "
        + "LSSTComCam/calib/DM-48650: ").doesNotContain("already written");

    assertThat(run("query-collections", repo, "LSSTComCam/calib/DM-48650,LSSTComCam/calib/DM-48650/unbounded"))
        .isZero();
    assertThat(out.toString()).isEqualTo(text(
        "                Name                    Type   ",
        "----------------------------------- -----------",
        "LSSTComCam/calib/DM-48650           CALIBRATION",
        "LSSTComCam/calib/DM-48650/unbounded RUN        "));

    // again: nothing new
    assertThat(run("write-curated-calibrations", repo, "lsst.obs.lsst.LsstComCam", "DM-48650")).isZero();
    assertThat(err.toString()).endsWith(" (already written)\n");

    assertThat(run("write-curated-calibrations", repo, "LSSTComCam", "--label", "DM-48650", "--collection",
        "elsewhere")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: --collection elsewhere is not supported yet: autobutler writes the "
        + "calibration collection <INSTRUMENT>/calib/<labels> (LSSTComCam/calib/DM-48650); leave --collection out\n");

    // the camera is a calibration: certified again elsewhere, over a range
    assertThat(run("certify-calibrations", repo, "LSSTComCam/calib/DM-48650/unbounded", "LSSTComCam/calib/mine",
        "camera", "--begin-date", "2024-10-01T00:00:00", "--end-date", "2025-01-01T00:00:00")).as(err.toString())
        .isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
    assertThat(stack.collectionTypes(repo)).contains(entry("LSSTComCam/calib/mine", "CALIBRATION"));
    assertThat(run("query-datasets", repo, "camera", "--collections", "LSSTComCam/calib/mine")).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(1 + 4);
    assertThat(out.toString()).contains("LSSTComCam/calib/DM-48650/unbounded");
  }

  // ------------------------------------------------------------------------------------------ associate, certify

  @Test
  void associateAddsWhatTheQueryFindsToATaggedCollection() throws IOException {
    String repo = stack.newRepository("associate");
    importFgcm(repo);
    importModels(repo);

    assertThat(run("associate", repo, "u/someone/tagged", "--collections", MODELS_RUN + "," + FGCM_RUN,
        "-d", "pretrainedModelPackage")).as(err.toString()).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
    assertThat(stack.collectionTypes(repo)).contains(entry("u/someone/tagged", "TAGGED"));

    assertThat(run("query-datasets", repo, "*", "--collections", "u/someone/tagged")).isZero();
    assertThat(out.toString()).isEqualTo(text(
        "",
        "         type                              run                                      id                 ",
        "---------------------- ------------------------------------------- ------------------------------------",
        "pretrainedModelPackage " + MODELS_RUN + " " + MODELS_ID,
        ""));

    // again, with a --where that also takes the fgcm table: both are there once
    assertThat(run("associate", repo, "u/someone/tagged", "--collections", "*", "--where", "instrument = 'LSSTComCam'",
        "-d", "fgcm*")).as(err.toString()).isZero();
    assertThat(run("query-datasets", repo, "*", "--collections", "u/someone/tagged", "--limit", "0")).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(2 + 2 * 3 + 1);

    // into a RUN: refused by the service
    assertThat(run("associate", repo, FGCM_RUN, "--collections", MODELS_RUN, "-d", "pretrainedModelPackage"))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: ").contains(FGCM_RUN);
  }

  @Test
  void certifyCalibrationsRefusesANonCalibrationTypeWithTheServicesMessage() {
    String repo = stack.newRepository("certify");
    importModels(repo);
    assertThat(run("certify-calibrations", repo, MODELS_RUN, "pretrained_models/calib", "pretrainedModelPackage"))
        .isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("Error: Cannot certify datasets of dataset type 'pretrainedModelPackage',"
        + " which is not a calibration dataset type.\n");
    assertThat(stack.collectionTypes(repo)).as("the refused certification left nothing")
        .containsExactly(entry(MODELS_RUN, "RUN"));

    stack.collections(repo, "RUN", "empty_run");
    assertThat(run("certify-calibrations", repo, "empty_run", "calib", "pretrainedModelPackage")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Error: No inputs found for dataset pretrainedModelPackage in empty_run.\n");
  }

  // ------------------------------------------------------------------------------------------ help

  @Test
  void everyHelpSaysWhichRestCallItMakes() {
    Map<String, String> calls = Map.of(
        "import", "POST /api/repositories/<REPO>/import",
        "query-datasets", "GET /api/repositories/<REPO>/datasets",
        "associate", "POST /api/repositories/<REPO>/associate",
        "certify-calibrations", "POST /api/repositories/<REPO>/certify-calibrations",
        "register-instrument", "POST /api/repositories/<REPO>/register-instrument",
        "register-skymap", "POST /api/repositories/<REPO>/register-skymap",
        "write-curated-calibrations", "POST /api/repositories/<REPO>/write-curated-calibrations");
    calls.forEach((command, call) -> {
      assertThat(run(command, "--help")).isZero();
      assertThat(out.toString().replaceAll("\\s+", " ")).as(command).contains(call);
    });
  }
}
