package io.autobutler.cli.verify;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.repo.CatalogClient;
import io.autobutler.cli.repo.RepoRef;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.Topics;
import io.autobutler.core.table.TextTable;
import io.autobutler.core.verify.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler verify REPO}: verifier-service's latest reports on a repository as tables, exit code 1 when
 * anything is not ok; {@code --follow} prints every report published on {@code butler.verification} from now on,
 * one line each, until interrupted.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Shows whether the repository is complete and correct: verifier-service's reports (Rucio vs"
        + " registry, registry vs storage and dark data, completeness and expected counts, manifest drift,"
        + " calibration coverage), one line per check, then every report that is not ok with its first items.",
        "Exit code 0 when every report is ok, 1 when any is not (or verifier-service cannot be reached), 2 on a"
        + " usage error.",
        "With --follow: the reports published on butler.verification from now on, one line each, until"
        + " interrupted."})
public class VerifyCommand implements Callable<Integer> {

  static final String VERIFIER_URL_ENV = "AUTOBUTLER_VERIFIER_URL";
  static final String DEFAULT_VERIFIER_URL = "http://127.0.0.1:8084";

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPO", description = "The repository (its name, or a URI whose last segment"
      + " names it).")
  String repo;

  @Option(names = "--verifier-url", paramLabel = "URL", description = "verifier-service address (env "
      + VERIFIER_URL_ENV + "; default: the local stack's, " + DEFAULT_VERIFIER_URL + " unless 'up' moved it).")
  URI verifierUrl;

  @Option(names = "--now", description = "Run every check now instead of showing the latest reports.")
  boolean now;

  @Option(names = "--checksums", paramLabel = "MODE", defaultValue = "sample", description = "With --now: whose"
      + " adler32 is compared, none, sample (default) or all.")
  String checksums;

  @Option(names = "--all", description = "List every report, not only those that are not ok.")
  boolean all;

  @Option(names = "--items", defaultValue = "5", paramLabel = "N", description = "Items shown per report that is not"
      + " ok (default 5; the report says how many there are).")
  int items;

  @Option(names = "--follow", description = "Print each report published on butler.verification from now on, one"
      + " line each, until interrupted.")
  boolean follow;

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "With --follow: the Kafka broker"
      + " (env KAFKA_BOOTSTRAP_SERVERS; default: the local stack's).")
  String bootstrapServer;

  @Option(names = "--limit", paramLabel = "N", description = "With --follow: stop after N reports (default: never).")
  Integer limit;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String name = RepoRef.parse(repo).name();
    if (follow) {
      follow(name, out);
      return 0;
    }
    CatalogClient client = new CatalogClient(verifier(), Optional.empty(), "verifier-service");
    List<VerificationReport> reports = new ArrayList<>();
    JsonNode body = now ? client.post(CatalogClient.repositoryPath(name, "verify?checksums=" + checksums), Map.of())
        .body() : client.get(CatalogClient.repositoryPath(name, "reports"), Map.of()).body();
    for (JsonNode report : body) {
      reports.add(EventJson.read(report.toString(), VerificationReport.class));
    }
    JsonNode summary = client.get(CatalogClient.repositoryPath(name, "verification"), Map.of()).body();
    print(name, summary, reports, out);
    out.flush();
    return reports.stream().anyMatch(r -> r.severity().isProblem()) ? 1 : 0;
  }

  private void print(String name, JsonNode summary, List<VerificationReport> reports, PrintWriter out) {
    List<List<String>> checks = new ArrayList<>();
    for (JsonNode check : summary.path("checks")) {
      checks.add(List.of(check.path("check").asText(), check.path("severity").asText(),
          check.path("reports").asText(), check.path("problems").asText()));
    }
    out.println("Repository " + name + ": " + summary.path("severity").asText() + " (verified "
        + summary.path("generatedAt").asText("never") + ")");
    out.println();
    new TextTable(List.of("check", "severity", "subjects", "not ok"), checks).lines(TextTable.Align.LEFT)
        .forEach(out::println);
    List<VerificationReport> shown = reports.stream().filter(r -> all || r.severity().isProblem()).toList();
    if (shown.isEmpty()) {
      return;
    }
    out.println();
    List<List<String>> rows = new ArrayList<>();
    for (VerificationReport report : shown) {
      rows.add(List.of(report.check(), report.subject(), report.severity().label(), report.summary()));
    }
    new TextTable(List.of("check", "subject", "severity", "summary"), rows).lines(TextTable.Align.LEFT)
        .forEach(out::println);
    for (VerificationReport report : shown) {
      if (report.items().isEmpty() || items <= 0) {
        continue;
      }
      out.println();
      out.println(report.check() + " " + report.subject() + ": " + report.itemsTotal() + " items"
          + (report.itemsTotal() > Math.min(items, report.items().size()) ? ", the first "
          + Math.min(items, report.items().size()) : ""));
      report.items().stream().limit(items).forEach(item -> out.println("  " + item));
    }
  }

  /** Reads {@code butler.verification} from its end, printing the repository's reports, until interrupted. */
  private void follow(String name, PrintWriter out) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AtomicBoolean stopping = new AtomicBoolean();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      Thread main = Thread.currentThread();
      Thread hook = new Thread(() -> {
        stopping.set(true);
        consumer.wakeup();
        try {
          main.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.BUTLER_VERIFICATION, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
          throw new CliException("no topic " + Topics.BUTLER_VERIFICATION + " at " + bootstrap());
        }
        List<TopicPartition> assigned = partitions.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        out.println("following " + Topics.BUTLER_VERIFICATION + " at " + bootstrap() + " for " + name
            + " (Ctrl-C stops)");
        out.flush();
        String prefix = name + "/";
        int printed = 0;
        while (!stopping.get() && (limit == null || printed < limit)) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
            if (record.key() == null || !record.key().startsWith(prefix)) {
              continue;
            }
            try {
              out.println(EventJson.read(record.value(), VerificationReport.class).line());
            } catch (EventJson.MalformedEventException e) {
              out.println("(unreadable report " + record.key() + ": " + e.getMessage() + ")");
            }
            out.flush();
            if (limit != null && ++printed >= limit) {
              break;
            }
          }
        }
      } catch (WakeupException e) {
        // interrupted: stop quietly
      } finally {
        if (!stopping.get()) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
    }
  }

  private URI verifier() {
    if (verifierUrl != null) {
      return verifierUrl;
    }
    Map<String, String> env = parent.env();
    String fromEnv = env.get(VERIFIER_URL_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return URI.create(fromEnv.strip());
    }
    Path stateDir = StackConfig.stateDir(null, env, parent.home());
    return URI.create(StackConfig.recordedServiceUrl(stateDir, Service.VERIFIER_SERVICE).orElse(DEFAULT_VERIFIER_URL));
  }

  private String bootstrap() {
    if (bootstrapServer != null && !bootstrapServer.isBlank()) {
      return bootstrapServer;
    }
    String fromEnv = parent.env().get("KAFKA_BOOTSTRAP_SERVERS");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    return StackConfig.resolve(new io.autobutler.cli.stack.StackOptions(), parent.env(), parent.home())
        .kafkaBootstrap();
  }
}
