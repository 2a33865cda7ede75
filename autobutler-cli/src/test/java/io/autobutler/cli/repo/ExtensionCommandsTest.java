package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.RealStack;
import picocli.CommandLine;

/**
 * The commands autobutler adds to the butler's (disassociate, decertify-calibrations, export) and export-calibs,
 * against the real catalog-service of the run's {@link RealStack}, with RTN-103's export files; among them the
 * lossless round trip: RTN-103's files imported into one repository, exported, imported into a fresh repository,
 * exported again.
 */
@ExtendWith(RealStack.class)
class ExtensionCommandsTest {

  /** RTN-103's calibration tickets, in the order of its LSSTComCam/calib chain. */
  static final List<String> TICKETS = List.of("DM-48955", "DM-48520", "DM-47365", "DM-47741", "DM-47547",
      "DM-47499", "DM-47447", "DM-47197", "DM-46360", "DM-47498");
  static final String DEFECTS = "LSSTComCam/calib/DM-47365/addManualDefects/defects.20241211a";
  static final String RAW_TAGGED = "LSSTComCam/raw/DP1-RC3/DM-49594";
  static final String SSO_TAGGED = "LSSTComCam/calib/DM-49977/DP1.0/preloaded_SsObjects.20250409";

  /** An empty state folder: no token file and no stack record there, so that only the environment below counts. */
  @TempDir
  Path state;

  @TempDir
  Path work;

  private final RealStack.Stack stack;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> transcript = new ArrayList<>();
  private String out;
  private String err;

  ExtensionCommandsTest(RealStack.Stack stack) {
    this.stack = stack;
    env.put("AUTOBUTLER_CATALOG_URL", stack.catalogUrl());
    env.put("AUTOBUTLER_TOKEN", stack.token());
  }

  private int run(String... args) {
    env.put("AUTOBUTLER_STATE_DIR", state.toString());
    StringWriter outText = new StringWriter();
    StringWriter errText = new StringWriter();
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(outText, true));
    cl.setErr(new PrintWriter(errText, true));
    int code = cl.execute(args);
    out = outText.toString();
    err = errText.toString();
    transcript.add("$ autobutler " + String.join(" ", args) + "  -> " + code);
    return code;
  }

  /** Runs a command that must succeed; returns what it printed. */
  private String ok(String... args) {
    int code = run(args);
    assertThat(code).as("'%s'\nstdout:\n%s\nstderr:\n%s\nso far:\n%s", String.join(" ", args), out, err,
        String.join("\n", transcript)).isZero();
    return out;
  }

  /** A file of src/test/resources/rtn103/, by absolute name. */
  static String resource(String name) {
    try {
      return Path.of(ExtensionCommandsTest.class.getResource("/rtn103/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource rtn103/" + name, e);
    }
  }

  /** The local folder of a repository's datastore root. */
  private Path datastoreRoot(String repo) {
    return Path.of(URI.create(stack.getJson("/api/repositories/" + repo).path("datastoreRoot").asText()));
  }

  private void importFile(String repo, String exportFile, Path directory) {
    ok("import", repo, directory.toString(), "--export-file", exportFile, "--transfer", "direct");
  }

  /** RTN-103's calibration tickets, refcats, pretrained models, FGCM, SSO and raws, as RTN-103 builds them. */
  private void rtn103Repository(String repo, Path directory) {
    for (String ticket : TICKETS) {
      importFile(repo, resource("calib/" + ticket + "/export.yaml"), directory);
    }
    ok("collection-chain", repo, "LSSTComCam/calib", String.join(",",
        TICKETS.stream().map(t -> "LSSTComCam/calib/" + t).toList()));
    ok("register-dataset-type", repo, "the_monster_20240904", "SimpleCatalog", "htm7");
    importFile(repo, resource("the_monster_20240904-export.yaml"), directory);
    ok("register-dataset-type", repo, "the_monster_20250219", "SimpleCatalog", "htm7");
    importFile(repo, resource("the_monster_20250219-export.yaml"), directory);
    ok("collection-chain", repo, "refcats", "refcats/DM-46370/the_monster_20240904,"
        + "refcats/DM-49042/the_monster_20250219");
    importFile(repo, resource("pretrained-models-export.yaml"), directory);
    ok("collection-chain", repo, "pretrained_models", "pretrained_models/tac_cnn_comcam_2025-02-18");
    importFile(repo, resource("DM-48089-fgcmLookupTable-export.yaml"), directory);
    ok("collection-chain", repo, "LSSTComCam/calib/fgcmcal", "LSSTComCam/calib/fgcmcal/DM-48089");
    importFile(repo, resource("DM-49977/export.yaml"), directory);
    ok("associate", repo, SSO_TAGGED, "--collections", "u/sso/dp1_ephem_2*", "-d", "preloaded_DRP_SsObjects");
    importFile(repo, resource("raw-all-export.yaml"), directory);
    ok("associate", repo, RAW_TAGGED, "--collections", "LSSTComCam/raw/all", "-d", "raw");
    ok("collection-chain", repo, "LSSTComCam/DP1/defaults", RAW_TAGGED + ",LSSTComCam/calib,refcats,"
        + "pretrained_models,LSSTComCam/calib/fgcmcal," + SSO_TAGGED);
  }

  @Test
  void rtn103ExportFilesMakeALosslessExportImportExportRoundTrip() throws IOException {
    String first = stack.newRepository("export_first");
    rtn103Repository(first, datastoreRoot(first));
    // A certification split in two and a tag removed, so that the export carries both kinds of edits.
    ok("decertify-calibrations", first, DEFECTS, "defects", "--begin-date", "2025-01-01T00:00:00",
        "--end-date", "2025-02-01T00:00:00", "--where", "detector = 1");
    Path exported = work.resolve("first.yaml");
    assertThat(ok("export", first, "--export-file", exported.toString())).isEmpty();
    assertThat(err).isEmpty();

    String second = stack.newRepository("export_second");
    importFile(second, exported.toString(), datastoreRoot(second));
    Path again = work.resolve("second.yaml");
    ok("export", second, "--export-file", again.toString());
    assertThat(Files.readString(again)).isEqualTo(Files.readString(exported));

    // The same datasets, collections, chains, tags and certifications on both sides.
    String[] everything = {"query-datasets", "REPO", "*", "--collections", "*", "--limit", "0"};
    assertThat(query(second, everything)).isEqualTo(query(first, everything));
    assertThat(query(first, everything).lines().count()).as("every dataset of the files").isGreaterThan(60);
    String[] tree = {"query-collections", "REPO", "--chains", "TREE"};
    assertThat(query(second, tree)).isEqualTo(query(first, tree));
    for (String collection : List.of(RAW_TAGGED, SSO_TAGGED, DEFECTS, "LSSTComCam/DP1/defaults")) {
      String[] members = {"query-datasets", "REPO", "*", "--collections", collection, "--limit", "0"};
      assertThat(query(second, members)).as(collection).isEqualTo(query(first, members));
    }
    String[] certified = {"export", "REPO", "--export-file", "F", "--collections", DEFECTS};
    assertThat(exportText(second, certified)).isEqualTo(exportText(first, certified)).contains("""
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-10-24 00:00:37.000000000'
              end: !butler_time/tai/iso '2025-01-01 00:00:00.000000000'
            dataset_ids:
            - *id003
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2025-02-01 00:00:00.000000000'
              end: !butler_time/tai/iso '2050-01-01 00:00:37.000000000'
            dataset_ids:
            - *id003
        """);

    // RTN-103's two verbatim export files come out of the repository byte for byte.
    for (String[] file : List.of(new String[] {"pretrained-models-export.yaml",
        "pretrained_models/tac_cnn_comcam_2025-02-18"}, new String[] {"DM-48089-fgcmLookupTable-export.yaml",
        "LSSTComCam/calib/fgcmcal/DM-48089"})) {
      assertThat(exportText(first, new String[] {"export", "REPO", "--export-file", "F", "--collections", file[1]}))
          .isEqualTo(Files.readString(Path.of(resource(file[0]))));
    }
  }

  private String query(String repo, String[] args) {
    String[] withRepo = args.clone();
    withRepo[1] = repo;
    return ok(withRepo);
  }

  private String exportText(String repo, String[] args) throws IOException {
    Path file = Files.createTempFile(work, "export", ".yaml");
    String[] withRepo = args.clone();
    withRepo[1] = repo;
    withRepo[3] = file.toString();
    ok(withRepo);
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void disassociateRemovesWhatAQueryFindsFromATaggedCollection() {
    String repo = stack.newRepository("disassociate");
    Path root = datastoreRoot(repo);
    importFile(repo, resource("DM-49977/export.yaml"), root);
    ok("associate", repo, SSO_TAGGED, "--collections", "u/sso/dp1_ephem_2", "-d", "preloaded_DRP_SsObjects");
    assertThat(Rows.of(ok("query-datasets", repo, "preloaded_DRP_SsObjects", "--collections", SSO_TAGGED)))
        .hasSize(3);

    assertThat(ok("disassociate", repo, SSO_TAGGED, "preloaded_DRP_SsObjects", "--collections", SSO_TAGGED,
        "--where", "detector = 1")).isEmpty();
    List<String> left = Rows.of(ok("query-datasets", repo, "preloaded_DRP_SsObjects", "--collections", SSO_TAGGED));
    assertThat(left).hasSize(2).noneMatch(row -> row.contains("58084903-6eac-4235-a962-26dffab16dbf"));
    // Again: nothing there any more, nothing happens.
    ok("disassociate", repo, SSO_TAGGED, "preloaded_DRP_SsObjects", "--collections", "u/sso/dp1_ephem_2",
        "--where", "detector = 1");
    assertThat(Rows.of(ok("query-datasets", repo, "preloaded_DRP_SsObjects", "--collections", SSO_TAGGED)))
        .isEqualTo(left);

    assertThat(run("disassociate", repo, "u/sso/dp1_ephem_2", "preloaded_DRP_SsObjects", "--collections",
        "u/sso/dp1_ephem_2")).isEqualTo(1);
    assertThat(err).isEqualTo("Error: Cannot disassociate datasets with collection 'u/sso/dp1_ephem_2' of type RUN;"
        + " it must be TAGGED.\n");
    assertThat(run("disassociate", repo, SSO_TAGGED)).as("DATASET_TYPE is required").isEqualTo(2);
    assertThat(run("disassociate", "--help")).isZero();
    assertThat(out).contains("autobutler extension: daf_butler's command line has no such command");
  }

  @Test
  void decertifyCalibrationsTruncatesAndSplitsValidityRanges() throws IOException {
    String repo = stack.newRepository("decertify");
    importFile(repo, resource("calib/DM-47365/export.yaml"), datastoreRoot(repo));
    // The defects of detectors 0-2 are valid over [2024-10-24 00:00:37, 2050-01-01 00:00:37).
    ok("decertify-calibrations", repo, DEFECTS, "defects", "--begin-date", "2030-01-01T00:00:00",
        "--where", "detector IN (0, 2)");
    ok("decertify-calibrations", repo, DEFECTS, "defects", "--end-date", "2024-11-01T00:00:00");
    ok("decertify-calibrations", repo, DEFECTS, "defects", "--begin-date", "2025-01-01T00:00:00", "--end-date",
        "2025-02-01T00:00:00", "--where", "detector = 1");
    String exported = exportText(repo, new String[] {"export", "REPO", "--export-file", "F", "--collections",
        DEFECTS});
    assertThat(exported.substring(exported.indexOf("- type: associations"))).isEqualTo("""
        - type: associations
          collection: LSSTComCam/calib/DM-47365/addManualDefects/defects.20241211a
          collection_type: CALIBRATION
          validity_ranges:
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-11-01 00:00:00.000000000'
              end: !butler_time/tai/iso '2030-01-01 00:00:00.000000000'
            dataset_ids:
            - *id001
            - *id002
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-11-01 00:00:00.000000000'
              end: !butler_time/tai/iso '2025-01-01 00:00:00.000000000'
            dataset_ids:
            - *id003
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2025-02-01 00:00:00.000000000'
              end: !butler_time/tai/iso '2050-01-01 00:00:37.000000000'
            dataset_ids:
            - *id003
        """);

    assertThat(run("decertify-calibrations", repo, "LSSTComCam/calib/DM-47365/addManualDefects/run", "defects"))
        .isEqualTo(1);
    assertThat(err).isEqualTo("Error: Cannot decertify datasets with collection "
        + "'LSSTComCam/calib/DM-47365/addManualDefects/run' of type RUN; it must be CALIBRATION.\n");
    assertThat(run("decertify-calibrations", repo, DEFECTS, "defects", "--begin-date", "2026-01-01",
        "--end-date", "2025-01-01")).isEqualTo(1);
    assertThat(err).startsWith("Error: beginDate must be before endDate");
    assertThat(run("decertify-calibrations", repo, DEFECTS, "defects", "--where", "detector ==")).isEqualTo(1);
    assertThat(err).startsWith("Error: --where: ");
    assertThat(exportText(repo, new String[] {"export", "REPO", "--export-file", "F", "--collections", DEFECTS}))
        .as("refused requests changed nothing").isEqualTo(exported);
  }

  @Test
  void exportRefusesBadRequestsAndKeepsTheFileItHad() throws IOException {
    String repo = stack.newRepository("export_errors");
    importFile(repo, resource("DM-48089-fgcmLookupTable-export.yaml"), datastoreRoot(repo));
    Path file = Files.writeString(work.resolve("kept.yaml"), "what was there\n");
    assertThat(run("export", repo, "--export-file", file.toString(), "--where", "instrument = ")).isEqualTo(1);
    assertThat(err).startsWith("Error: --where: ");
    assertThat(run("export", repo, "--export-file", file.toString(), "-d", "nothing")).isEqualTo(1);
    assertThat(err).isEqualTo("Error: Dataset type nothing is not registered.\n");
    assertThat(run("export", repo, "--export-file", file.toString(), "--collections", "LSST*", "--find-first"))
        .isEqualTo(1);
    assertThat(err).contains("--find-first");
    assertThat(Files.readString(file)).isEqualTo("what was there\n");
    assertThat(run("export", repo, "--export-file", work.resolve("no/such/folder.yaml").toString())).isEqualTo(1);
    assertThat(err).contains("its folder does not exist");
    assertThat(run("export", repo)).as("--export-file is required").isEqualTo(2);

    // Without dimension records, collections other than the RUN, or associations.
    ok("export", repo, "--export-file", file.toString(), "--no-include-dimensions");
    assertThat(Files.readString(file)).doesNotContain("type: dimension").contains("type: dataset\n");
    assertThat(run("export", "--help")).isZero();
    assertThat(out).contains("autobutler extension: daf_butler exports through its Python API");
  }

  @Test
  void exportCalibsWritesTheCalibrationsAndPrintsTheirTable() throws IOException {
    String repo = stack.newRepository("export_calibs");
    Path root = datastoreRoot(repo);
    importFile(repo, resource("calib/DM-47365/export.yaml"), root);
    importFile(repo, resource("DM-48089-fgcmLookupTable-export.yaml"), root);
    Path directory = work.resolve("calibs");
    assertThat(ok("export-calibs", repo, directory.toString(), "LSSTComCam/calib/DM-47365", "--transfer", "direct"))
        .isEqualTo("""
            calibrationType                      run                       detector instrument
            --------------- ---------------------------------------------- -------- ----------
            defects         LSSTComCam/calib/DM-47365/addManualDefects/run 0        LSSTComCam
            defects         LSSTComCam/calib/DM-47365/addManualDefects/run 1        LSSTComCam
            defects         LSSTComCam/calib/DM-47365/addManualDefects/run 2        LSSTComCam
            """);
    String original = Files.readString(Path.of(resource("calib/DM-47365/export.yaml")));
    assertThat(Files.readString(directory.resolve("export.yaml")))
        .as("the ticket's export file, without its leading comment")
        .isEqualTo(original.substring(original.indexOf("description:")));

    assertThat(run("export-calibs", repo, directory.toString(), "--transfer", "direct")).isEqualTo(1);
    assertThat(err).isEqualTo("Error: Export directory exists: " + directory + "\n");
    assertThat(run("export-calibs", repo, work.resolve("other").toString())).isEqualTo(1);
    assertThat(err).startsWith("Error: transfer mode 'auto' is not supported");
    assertThat(run("export-calibs", repo, work.resolve("third").toString(), "no/such", "-t", "direct"))
        .isEqualTo(1);
    assertThat(err).contains("'no/such'");
    assertThat(work.resolve("third")).as("a failed export leaves no folder behind").doesNotExist();
  }

  /** The data rows of a query-datasets output. */
  static final class Rows {
    static List<String> of(String output) {
      List<String> lines = output.lines().toList();
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        boolean header = i + 1 < lines.size() && lines.get(i + 1).matches("[- ]*-[- ]*");
        if (!line.isBlank() && !line.matches("[- ]*-[- ]*") && !header) {
          rows.add(line);
        }
      }
      return rows;
    }
  }
}
