package io.autobutler.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import picocli.CommandLine;

class StackConfigTest {

  @TempDir
  Path root;

  private static StackOptions options(String... args) {
    CommandLine cl = AutobutlerCommand.commandLine(Map.of());
    CommandLine.ParseResult parsed = cl.parseArgs(prepend("status", args));
    return ((StatusCommand) parsed.subcommand().commandSpec().userObject()).options;
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void defaults() {
    StackConfig c = StackConfig.resolve(options(), Map.of(), root);
    assertThat(c.stateDir()).isEqualTo(root.resolve(".autobutler"));
    assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(c.kafkaControllerPort()).isEqualTo(9093);
    assertThat(c.serviceUrl(Service.REPLICATION_WATCHER)).isEqualTo("http://127.0.0.1:8081");
    assertThat(c.serviceUrl(Service.INGEST_SERVICE)).isEqualTo("http://127.0.0.1:8082");
    assertThat(c.serviceUrl(Service.CATALOG_SERVICE)).isEqualTo("http://127.0.0.1:8083");
    assertThat(c.serviceUrl(Service.VERIFIER_SERVICE)).isEqualTo("http://127.0.0.1:8084");
    assertThat(c.dbUrl().jdbc()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/autobutler");
    assertThat(c.dbUser()).isEqualTo("postgres");
    assertThat(c.dbPassword()).isEqualTo("postgres");
    assertThat(c.postgresMode()).isEqualTo(PostgresMode.AUTO);
    assertThat(c.embeddedPostgresPort()).isEqualTo(55432);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.logFile("kafka")).isEqualTo(root.resolve(".autobutler/logs/kafka.log"));
    assertThat(c.pidFile("catalog-service")).isEqualTo(root.resolve(".autobutler/run/catalog-service.pid"));
  }

  @Test
  void optionBeatsEnvironmentBeatsDefault() {
    Map<String, String> env = Map.of(
        "AUTOBUTLER_KAFKA_PORT", "19092",
        "AUTOBUTLER_CATALOG_PORT", "18083",
        "AUTOBUTLER_DB_URL", "jdbc:postgresql://db.example.org/registry?sslmode=require",
        "AUTOBUTLER_DB_PASSWORD", "secret",
        "AUTOBUTLER_POSTGRES", "Embedded",
        "AUTOBUTLER_STATE_DIR", root.resolve("other").toString());
    StackConfig c = StackConfig.resolve(options("--kafka-port", "29092", "--verifier-port", "28084"), env, root);
    assertThat(c.kafkaPort()).isEqualTo(29092);
    assertThat(c.port(Service.CATALOG_SERVICE)).isEqualTo(18083);
    assertThat(c.port(Service.VERIFIER_SERVICE)).isEqualTo(28084);
    assertThat(c.port(Service.INGEST_SERVICE)).isEqualTo(8082);
    assertThat(c.dbUrl()).isEqualTo(new JdbcUrl("db.example.org", 5432, "registry", "sslmode=require"));
    assertThat(c.dbUrl().display()).isEqualTo("postgresql://db.example.org:5432/registry");
    assertThat(c.dbPassword()).isEqualTo("secret");
    assertThat(c.postgresMode()).isEqualTo(PostgresMode.EMBEDDED);
    assertThat(c.stateDir()).isEqualTo(root.resolve("other"));
  }

  @Test
  void laterCommandsFindTheRecordedStackButNeverItsPassword() {
    Map<String, String> env = Map.of("AUTOBUTLER_DB_PASSWORD", "secret");
    StackConfig up = StackConfig.resolve(options("--kafka-port", "19092", "--ingest-port", "18082",
        "--db-url", "jdbc:postgresql://127.0.0.1:6543/reg"), env, root);
    up.record("server", up.dbUrl());

    StackConfig later = StackConfig.resolve(options(), Map.of(), root);
    assertThat(later.kafkaPort()).isEqualTo(19092);
    assertThat(later.port(Service.INGEST_SERVICE)).isEqualTo(18082);
    assertThat(later.dbUrl().port()).isEqualTo(6543);
    assertThat(later.dbPassword()).isEqualTo("postgres");
    assertThat(later.recorded().getProperty("postgres.kind")).isEqualTo("server");
    assertThat(later.recorded().values()).noneMatch(v -> v.toString().contains("secret"));

    // the environment still wins over the record
    assertThat(StackConfig.resolve(options(), Map.of("AUTOBUTLER_KAFKA_PORT", "9092"), root).kafkaPort())
        .isEqualTo(9092);
  }

  @Test
  void aCampaignStackRecordsItsDatabaseManifestAndSimulatorForLaterCommands() {
    StackConfig plain = StackConfig.resolve(options("--simulator-port", "28085"), Map.of(), root);
    assertThat(plain.simulatorUrl()).isEqualTo("http://127.0.0.1:28085");
    assertThat(plain.rucioListing()).isNull();
    assertThat(StackConfig.resolve(options(), Map.of("AUTOBUTLER_SIMULATOR_PORT", "18085"), root).simulatorPort())
        .isEqualTo(18085);
    assertThat(StackConfig.resolve(options(), Map.of(), root).simulatorPort()).isEqualTo(8085);

    StackConfig demo = plain.withCampaign(plain.dbUrl().withDatabase("autobutler_demo_small"),
        root.resolve("demo/manifest.yaml"), root.resolve("demo/rucio-catalogue.jsonl"));
    demo.record("server", demo.dbUrl());
    StackConfig later = StackConfig.resolve(options(), Map.of(), root);
    assertThat(later.dbUrl().database()).isEqualTo("autobutler_demo_small");
    assertThat(later.manifest()).isEqualTo(root.resolve("demo/manifest.yaml"));
    assertThat(later.rucioListing()).isEqualTo(root.resolve("demo/rucio-catalogue.jsonl"));
    assertThat(later.simulatorPort()).isEqualTo(28085);
  }

  @Test
  void rejectsBadValuesClearly() {
    assertThatThrownBy(() -> StackConfig.resolve(options(), Map.of("AUTOBUTLER_KAFKA_PORT", "x"), root))
        .isInstanceOf(CliException.class).hasMessageContaining("AUTOBUTLER_KAFKA_PORT");
    assertThatThrownBy(() -> StackConfig.resolve(options("--catalog-port", "70000"), Map.of(), root))
        .isInstanceOf(CliException.class).hasMessageContaining("70000");
    assertThatThrownBy(() -> StackConfig.resolve(options(), Map.of("AUTOBUTLER_DB_URL", "postgres://x/y"), root))
        .isInstanceOf(CliException.class).hasMessageContaining("jdbc:postgresql://");
    assertThatThrownBy(() -> StackConfig.resolve(options(), Map.of("AUTOBUTLER_POSTGRES", "docker"), root))
        .isInstanceOf(CliException.class).hasMessageContaining("auto, server, embedded");
  }

  @Test
  void helpDocumentsEveryVariable() {
    CommandLine cl = AutobutlerCommand.commandLine(Map.of());
    String help = cl.getSubcommands().get("up").getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(help).contains("AUTOBUTLER_STATE_DIR", "AUTOBUTLER_KAFKA_PORT", "AUTOBUTLER_KAFKA_CONTROLLER_PORT",
        "AUTOBUTLER_DB_URL", "AUTOBUTLER_DB_USER", "AUTOBUTLER_DB_PASSWORD", "AUTOBUTLER_POSTGRES",
        "AUTOBUTLER_EMBEDDED_POSTGRES_PORT", "AUTOBUTLER_TIMEOUT", "AUTOBUTLER_SIMULATOR_PORT");
    for (Service s : Service.values()) {
      assertThat(help).contains(s.portEnv(), "--" + s.key() + "-port");
    }
  }
}
