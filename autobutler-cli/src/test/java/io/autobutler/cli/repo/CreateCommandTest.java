package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.AutobutlerCommand;
import picocli.CommandLine;

class CreateCommandTest {

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = AutobutlerCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void parsesButlerCreateArguments() {
    CommandLine cl = AutobutlerCommand.commandLine(Map.of());
    CommandLine.ParseResult parsed = cl.parseArgs("create", "--seed-config", "butler-seed_ccms1.yaml",
        "--override", "-f", "out.yaml", "--standalone", "davs://host:2880/butler/ccms1");
    CreateCommand create = (CreateCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(create.seedConfig).isEqualTo(Path.of("butler-seed_ccms1.yaml"));
    assertThat(create.override).isTrue();
    assertThat(create.standalone).isTrue();
    assertThat(create.outfile).isEqualTo(Path.of("out.yaml"));
    assertThat(create.repo).isEqualTo("davs://host:2880/butler/ccms1");
  }

  @Test
  void helpListsButlerOptions() {
    assertThat(run(Map.of(), "create", "--help")).isZero();
    assertThat(out.toString()).contains("Create an empty Gen3 Butler repository.", "REPO", "--seed-config",
        "--dimension-config", "--standalone", "--override", "-f, --outfile", "--catalog-url",
        "AUTOBUTLER_CATALOG_URL");
  }

  @Test
  void missingSeedFileIsReportedLocally() {
    int code = run(Map.of(), "create", "--seed-config", tmp.resolve("nope.yaml").toString(), "ccms1");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("Error: seed config ").contains("nope.yaml", "does not exist");
  }

  @Test
  void dimensionConfigIsRefused() throws Exception {
    Path seed = Files.writeString(tmp.resolve("seed.yaml"), "registry:\n  namespace: x\n");
    int code = run(Map.of(), "create", "--seed-config", seed.toString(), "--dimension-config", "dims.yaml", "x");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Error: --dimension-config is not supported");
  }

  @Test
  void unreachableCatalogIsAClearError() throws Exception {
    Path seed = Files.writeString(tmp.resolve("seed.yaml"), "registry:\n  namespace: x\n");
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    int code = run(Map.of("AUTOBUTLER_CATALOG_URL", "http://127.0.0.1:" + freePort), "create",
        "--seed-config", seed.toString(), "x");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Error: cannot reach catalog-service at http://127.0.0.1:" + freePort);
  }

  @Test
  void catalogAddressComesFromOptionThenEnvironmentThenDefault() {
    assertThat(CreateCommand.configuredCatalog(URI.create("http://a:1"), Map.of("AUTOBUTLER_CATALOG_URL", "http://b:2")))
        .isEqualTo(URI.create("http://a:1"));
    assertThat(CreateCommand.configuredCatalog(null, Map.of("AUTOBUTLER_CATALOG_URL", "http://b:2")))
        .isEqualTo(URI.create("http://b:2"));
    assertThat(CreateCommand.configuredCatalog(null, Map.of())).isEqualTo(URI.create("http://127.0.0.1:8083"));
  }

  @Test
  void outfileReceivesTheRepositoryConfiguration() throws Exception {
    Path file = tmp.resolve("sub/butler.yaml");
    CreateCommand.writeConfig(new RepositoryInfo("ccms1", "ccms1", "postgresql://h:5432/db", "ccms1",
        "file:///data/ccms1/"), file);
    assertThat(Files.readString(file)).isEqualTo("""
        datastore:
          name: ccms1
          root: file:///data/ccms1/
        registry:
          db: postgresql://h:5432/db
          namespace: ccms1
        """);
  }
}
