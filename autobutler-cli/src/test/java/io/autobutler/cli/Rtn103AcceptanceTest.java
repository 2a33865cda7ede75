package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import io.autobutler.cli.demo.DemoCommand;

/**
 * The acceptance test of RTN-103's procedure through the command line: a repository is built on the run's
 * {@link RealStack} with RTN-103's own commands, {@code butler} replaced by the CLI's entry point, and
 * {@code query-collections --chains=tree $REPO LSSTComCam/DP1/defaults} must print RTN-103's tree character for
 * character (every line padded to the table width; {@code deploy/campaigns/frdf-comcam/rtn103-defaults-tree.txt}).
 *
 * <p>What stands in for what RTN-103 had at the site (resources under {@code rtn103/}):
 * <ul>
 *   <li>the seed file is RTN-103's {@code butler-seed_ccms1.yaml} with {@code registry.db} pointed at the stack's
 *       database; the repository (its name, namespace and root's last segment) is {@code ccms1_<n>}, so that it
 *       never meets another repository of the same stack;</li>
 *   <li>the calibration tickets' {@code export.yaml} files ({@code rtn103/calib/<ticket>/export.yaml}) and the Solar
 *       System Objects' one ({@code rtn103/DM-49977/export.yaml}) are small stand-ins written for this test, with
 *       the collections the tree shows; the SSO RUN is {@code u/sso/dp1_ephem_2};</li>
 *   <li>{@code ingest-files} of the refcats and {@code ingest-raws} are not implemented yet: small exports put a few
 *       htm7 shards in the refcat RUNs and one raw in {@code LSSTComCam/raw/all}; the TAGGED
 *       {@code LSSTComCam/raw/DP1-RC3/DM-49594} (a site script in RTN-103) is made with {@code associate};</li>
 *   <li>the SSO TAGGED collection (Python in RTN-103) is made with {@code associate}, its CLI equivalent;</li>
 *   <li>the export files are given by absolute name: with a remote DIRECTORY the CLI looks for the export file in
 *       the current folder only, which a test cannot choose.</li>
 * </ul>
 * {@code $DATA} is RTN-103's URI; nothing is read from it.
 */
@ExtendWith(RealStack.class)
class Rtn103AcceptanceTest {

  static final String DATA = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument";
  static final String REPO_PARENT = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/";

  /** RTN-103's calibration tickets, in the order of its LSSTComCam/calib chain. */
  static final List<String> TICKETS = List.of("DM-48955", "DM-48520", "DM-47365", "DM-47741", "DM-47547",
      "DM-47499", "DM-47447", "DM-47197", "DM-46360", "DM-47498");

  static final String FGCM_RUN = "LSSTComCam/calib/fgcmcal/DM-48089";
  static final String FGCM_ID = "bb573ca3-6159-45d9-88e3-866e01da4882";
  static final String FGCM_PATH = "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/"
      + "fgcmLookUpTable_LSSTComCam_LSSTComCam_calib_fgcmcal_DM-48089.fits";
  static final String SSO_TAGGED = "LSSTComCam/calib/DM-49977/DP1.0/preloaded_SsObjects.20250409";
  static final String RAW_TAGGED = "LSSTComCam/raw/DP1-RC3/DM-49594";
  static final String DEFAULTS = "LSSTComCam/DP1/defaults";

  /** An empty state folder: no token file and no stack record there, so that only the environment below counts. */
  @TempDir
  Path state;

  /** Where the seed file with the stack's database is written. */
  @TempDir
  Path work;

  private final RealStack.Stack stack;
  private final Map<String, String> env = new HashMap<>();
  private ButlerSession session;

  Rtn103AcceptanceTest(RealStack.Stack stack) {
    this.stack = stack;
    env.put("AUTOBUTLER_CATALOG_URL", stack.catalogUrl());
    env.put("AUTOBUTLER_TOKEN", stack.token());
  }

  /** Runs one command that must succeed; returns its stdout. */
  private String butler(String... args) {
    if (session == null) {
      env.put("AUTOBUTLER_STATE_DIR", state.toString());
      session = new ButlerSession(env);
    }
    return session.butler(args);
  }

  /** A file of src/test/resources/rtn103/, by absolute name. */
  static String resource(String name) {
    try {
      return Path.of(Rtn103AcceptanceTest.class.getResource("/rtn103/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource rtn103/" + name, e);
    }
  }

  static String readResource(String name) throws IOException {
    return Files.readString(Path.of(resource(name)), StandardCharsets.UTF_8);
  }

  /** RTN-103's seed file with the stack's registry database and the test's namespace and root. */
  private Path seedFile(String name) throws IOException {
    String rtn103 = readResource("butler-seed_ccms1.yaml");
    String seed = rtn103
        .replace("db: postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod", "db: " + stack.registryDb())
        .replace("namespace: ccms1", "namespace: " + name)
        .replace("/lsst/butler/ccms1\"", "/lsst/butler/" + name + "\"");
    assertThat(seed).as("the seed was adapted").contains(stack.registryDb(), "namespace: " + name + "\n")
        .contains(REPO_PARENT + name + "\"");
    return Files.writeString(work.resolve("butler-seed_ccms1.yaml"), seed);
  }

  /** The lines of {@code query-datasets} that are data rows (the butler's blank, header and dash lines dropped). */
  static List<String> rows(String queryDatasetsOutput) {
    List<String> rows = new ArrayList<>();
    List<String> lines = queryDatasetsOutput.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean header = i + 1 < lines.size() && lines.get(i + 1).matches("[- ]*-[- ]*");
      if (!line.isBlank() && !line.matches("[- ]*-[- ]*") && !header) {
        rows.add(line);
      }
    }
    return rows;
  }

  @Test
  void rtn103ProcedureBuildsTheReferenceTree() throws IOException {
    String name = stack.uniqueName("ccms1");
    String repo = REPO_PARENT + name;

    // ---------------------------------------------------------------------------------- create the repository
    butler("create", "--seed-config", seedFile(name).toString(), "--override", repo);
    butler("register-instrument", repo, "lsst.obs.lsst.LsstComCam");
    butler("register-skymap", "--config-file", resource("lsst_cells_v1.skymap.config"), repo);
    assertThat(stack.skymapRecords(name, "tract", "lsst_cells_v1")).isEqualTo(18_938);
    assertThat(stack.skymapRecords(name, "patch", "lsst_cells_v1")).isEqualTo(1_893_800);

    // ---------------------------------------------------------------------------------- calibrations
    butler("write-curated-calibrations", repo, "lsst.obs.lsst.LsstComCam", "--label", "DM-48650");
    for (String ticket : TICKETS) {
      butler("import", repo, DATA + "/ancillary", "--export-file", resource("calib/" + ticket + "/export.yaml"),
          "--transfer", "direct");
    }
    String calibChain = butler("collection-chain", repo, "LSSTComCam/calib", "LSSTComCam/calib/DM-48955,"
        + "LSSTComCam/calib/DM-48520,LSSTComCam/calib/DM-47365,LSSTComCam/calib/DM-47741,LSSTComCam/calib/DM-47547,"
        + "LSSTComCam/calib/DM-47499,LSSTComCam/calib/DM-47447,LSSTComCam/calib/DM-47197,LSSTComCam/calib/DM-46360,"
        + "LSSTComCam/calib/DM-47498,LSSTComCam/calib/DM-48650,LSSTComCam/calib/DM-48650/unbounded");
    assertThat(calibChain).isEqualTo("[" + String.join(", ", TICKETS.stream().map(t -> "LSSTComCam/calib/" + t)
        .toList()) + ", LSSTComCam/calib/DM-48650, LSSTComCam/calib/DM-48650/unbounded]\n");

    // ---------------------------------------------------------------------------------- reference catalogs
    butler("register-dataset-type", repo, "the_monster_20240904", "SimpleCatalog", "htm7");
    butler("import", repo, DATA + "/raw/refcats/", "--export-file", resource("the_monster_20240904-export.yaml"),
        "--transfer", "direct");
    butler("register-dataset-type", repo, "the_monster_20250219", "SimpleCatalog", "htm7");
    butler("import", repo, DATA + "/raw/refcats/", "--export-file", resource("the_monster_20250219-export.yaml"),
        "--transfer", "direct");
    butler("collection-chain", repo, "refcats",
        "refcats/DM-46370/the_monster_20240904,refcats/DM-49042/the_monster_20250219");

    // ---------------------------------------------------------------------------------- pretrained models, FGCM
    butler("import", repo, "--export-file", resource("pretrained-models-export.yaml"), "--transfer", "direct",
        DATA + "/ancillary/");
    butler("collection-chain", repo, "pretrained_models", "pretrained_models/tac_cnn_comcam_2025-02-18");
    butler("import", repo, "--export-file", resource("DM-48089-fgcmLookupTable-export.yaml"), "--transfer",
        "direct", DATA + "/ancillary/");
    butler("collection-chain", repo, "LSSTComCam/calib/fgcmcal", FGCM_RUN);

    // ---------------------------------------------------------------------------------- Solar System Objects
    butler("import", repo, "--export-file", resource("DM-49977/export.yaml"), "--transfer", "direct",
        DATA + "/ancillary/");
    butler("associate", repo, SSO_TAGGED, "--collections", "u/sso/dp1_ephem_2*", "-d", "preloaded_DRP_SsObjects",
        "--where", "instrument='LSSTComCam'");

    // ---------------------------------------------------------------------------------- selected raws
    butler("import", repo, DATA + "/raw/", "--export-file", resource("raw-all-export.yaml"), "--transfer", "direct");
    butler("associate", repo, RAW_TAGGED, "--collections", "LSSTComCam/raw/all", "-d", "raw", "--where",
        "instrument='LSSTComCam' AND exposure.observation_type='science'");

    // ---------------------------------------------------------------------------------- the global collection
    butler("collection-chain", repo, DEFAULTS, RAW_TAGGED + ",LSSTComCam/calib,refcats,skymaps,pretrained_models,"
        + "LSSTComCam/calib/fgcmcal," + SSO_TAGGED);

    // ---------------------------------------------------------------------------------- RTN-103's tree
    String tree = butler("query-collections", "--chains=tree", repo, DEFAULTS);
    String expected = Files.readString(ProjectHome.locate(Map.of()).resolve(DemoCommand.REFERENCE_TREE),
        StandardCharsets.UTF_8);
    assertThat(expected.lines().count()).as("the reference tree").isEqualTo(61);
    assertThat(expected.lines()).as("the reference tree's lines").allMatch(l -> l.length() == 86);
    assertThat(tree).as("query-collections --chains=tree differs from RTN-103's tree:\n%s",
        diff(expected, tree)).isEqualTo(expected);

    // ---------------------------------------------------------------------------------- the FGCM table
    String fgcm = butler("query-datasets", repo, "fgcmLookUpTable", "--collections", DEFAULTS, "--show-uri");
    List<String> fgcmLines = fgcm.lines().toList();
    assertThat(fgcmLines).as(fgcm).hasSize(5);
    assertThat(fgcmLines.get(1)).as(fgcm).matches("\\s+type\\s+run\\s+id\\s+instrument\\s+URI\\s*");
    assertThat(fgcmLines.get(3)).isEqualTo("fgcmLookUpTable " + FGCM_RUN + " " + FGCM_ID + " LSSTComCam "
        + DATA + "/ancillary/" + FGCM_PATH);

    // ---------------------------------------------------------------------------------- what the collections hold
    assertThat(rows(butler("query-datasets", repo, "preloaded_DRP_SsObjects", "--collections", SSO_TAGGED)))
        .as("the SSO TAGGED collection holds every preloaded_DRP_SsObjects of the RUN").hasSize(3)
        .allMatch(row -> row.contains(" u/sso/dp1_ephem_2 "));
    assertThat(rows(butler("query-datasets", repo, "raw", "--collections", RAW_TAGGED))).hasSize(1);
    assertThat(rows(butler("query-datasets", repo, "the_monster_20240904,the_monster_20250219", "--collections",
        "refcats"))).hasSize(6);
    assertThat(rows(butler("query-datasets", repo, "flat", "--collections", "LSSTComCam/calib/DM-48520",
        "--limit", "0"))).as("the DM-48520 flats").hasSize(18);

    // ---------------------------------------------------------------------------------- importing again
    String[] everything = {"query-datasets", repo, "*", "--collections", "*", "--limit", "0"};
    String datasetsBefore = butler(everything);
    String collectionsBefore = butler("query-collections", repo, "--chains", "TABLE");
    String ticketBefore = butler("query-datasets", repo, "*", "--collections", "LSSTComCam/calib/DM-48520",
        "--limit", "0");
    assertThat(rows(ticketBefore)).as("DM-48520's datasets: 6 flat types, dark, bias, cti, defects, 3 detectors")
        .hasSize(30);
    butler("import", repo, DATA + "/ancillary", "--export-file", resource("calib/DM-48520/export.yaml"),
        "--transfer", "direct");
    assertThat(butler(everything)).as("all datasets after a second import of DM-48520").isEqualTo(datasetsBefore);
    assertThat(butler("query-collections", repo, "--chains", "TABLE")).isEqualTo(collectionsBefore);
    assertThat(butler("query-datasets", repo, "*", "--collections", "LSSTComCam/calib/DM-48520", "--limit", "0"))
        .isEqualTo(ticketBefore);
    assertThat(butler("query-collections", "--chains=tree", repo, DEFAULTS)).isEqualTo(expected);
  }

  /** A line-by-line comparison; {@code $} marks each line's end, so that trailing spaces show. */
  static String diff(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
      String want = i < e.size() ? e.get(i) + "$" : "(no line)";
      String got = i < a.size() ? a.get(i) + "$" : "(no line)";
      if (want.equals(got)) {
        text.append(String.format("  %2d  %s%n", i + 1, want));
      } else {
        text.append(String.format("- %2d  %s%n+ %2d  %s%n", i + 1, want, i + 1, got));
      }
    }
    if (!actual.endsWith("\n")) {
      text.append("(the output does not end with a newline)\n");
    }
    return text.toString();
  }
}
