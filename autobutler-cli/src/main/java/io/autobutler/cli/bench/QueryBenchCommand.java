package io.autobutler.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.repo.CatalogClient;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.cli.stack.StackToken;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.transfer.ExportFileWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler bench query}: fills a repository with synthetic ComCam raws (once; later runs reuse it) and
 * times RTN-103's science query through the CLI: {@code query-datasets REPO raw --collections LSSTComCam/raw/all
 * --where "exposure.observation_type='science'" --limit 0}.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Fills repository --repo with --raws synthetic LSSTComCam raws (about 16,500 exposures of 9"
        + " detectors, 13% science; skipped when the repository exists), then runs RTN-103's science query through"
        + " the CLI --runs times as a new ./autobutler process (what an operator waits for, JVM start included) and"
        + " --runs times inside this process, and prints the times.",
        "Last line: query raws=<n> science_rows=<n> median_ms=<x> best_ms=<x> in_process_median_ms=<x>, the first"
            + " two times over the new processes"})
public class QueryBenchCommand implements Callable<Integer> {

  private static final String WHERE = "exposure.observation_type='science'";
  private static final String DATA_ROOT = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/raw/LSSTComCam";

  @ParentCommand
  BenchCommand bench;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions options;

  @Option(names = "--raws", defaultValue = "148845", description = "How many raws to generate (default: RTN-103's"
      + " 148,845).")
  int raws;

  @Option(names = "--repo", defaultValue = "bench_query", description = "The repository (and namespace) to fill or"
      + " reuse (default bench_query).")
  String repo;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs, as new processes and in this process"
      + " (default 5 of each).")
  int runs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    AutobutlerCommand root = (AutobutlerCommand) spec.root().userObject();
    StackConfig config = StackConfig.resolve(options, root.env(), root.home());
    String catalogUrl = config.serviceUrl(Service.CATALOG_SERVICE);
    Optional<String> token = StackToken.read(config.tokenFile());
    CatalogClient client = new CatalogClient(URI.create(catalogUrl), token);

    fillIfNeeded(client, config, out);

    List<String> arguments = List.of("query-datasets", repo, "raw", "--collections", SyntheticRaws.RUN,
        "--where", WHERE, "--limit", "0", "--catalog-url", catalogUrl);
    List<Long> times = new ArrayList<>();
    long rows = 0;
    for (int run = 0; run <= runs; run++) {
      LineCounter lines = new LineCounter();
      long start = System.nanoTime();
      int exit = AutobutlerCommand.commandLine(root.env()).setOut(new PrintWriter(lines)).setErr(new PrintWriter(
          new StringWriter())).execute(arguments.toArray(String[]::new));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (exit != 0) {
        throw new CliException("query-datasets failed (exit " + exit + ")");
      }
      rows = lines.lines - 4;
      if (run == 0) {
        out.printf("warm-up query-datasets: %d ms, %d rows%n", millis, rows);
      } else {
        times.add(millis);
        out.printf("query-datasets run %d: %d ms%n", run, millis);
      }
      out.flush();
    }
    List<Long> processTimes = timeAsProcess(root.home(), arguments, out);
    out.printf("query raws=%d science_rows=%d median_ms=%d best_ms=%d in_process_median_ms=%d%n", raws, rows,
        median(processTimes), Collections.min(processTimes), median(times));
    return 0;
  }

  private void fillIfNeeded(CatalogClient client, StackConfig config, PrintWriter out) throws IOException {
    String seed = "registry:\n  db: " + config.dbUrl().display() + "\n  namespace: " + repo + "\n";
    CatalogClient.CreateOutcome outcome = client.createRepository(repo, seed, true, Optional.empty());
    if (outcome instanceof CatalogClient.CreateOutcome.Failed failed) {
      throw new CliException(failed.message());
    }
    // The raw dataset type is registered by the import itself: with it, a previous run filled the repository.
    if (client.get(CatalogClient.repositoryPath(repo, "dataset-types"), Map.of("glob", List.of("raw")))
        .body().size() > 0) {
      out.println("repository " + repo + " already holds raws: reusing them");
      return;
    }
    long start = System.nanoTime();
    client.post(CatalogClient.repositoryPath(repo, "register-instrument"),
        Map.of("instrument", "lsst.obs.lsst.LsstComCam"));
    SyntheticRaws.Campaign campaign = SyntheticRaws.generate(raws, 20241108L, DATA_ROOT);
    String exportFile = new ExportFileWriter().write(campaign.exportFile());
    long generated = System.nanoTime();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("exportFile", exportFile);
    body.put("directory", DATA_ROOT);
    body.put("transfer", "direct");
    client.post(CatalogClient.repositoryPath(repo, "import"), body);
    long imported = System.nanoTime();
    out.printf("fill raws=%d exposures=%d science_raws=%d generate_s=%.1f import_s=%.1f export_mib=%.1f%n",
        campaign.raws(), campaign.exposures(), campaign.scienceRaws(),
        (generated - start) / 1e9, (imported - generated) / 1e9, exportFile.length() / 1048576.0);
    out.flush();
  }

  /**
   * The same query through the launcher {@code ./autobutler}, a new process each time: what an operator typing the
   * command waits for, JVM start included.
   */
  private List<Long> timeAsProcess(Path home, List<String> arguments, PrintWriter out) throws Exception {
    Path launcher = home.resolve("autobutler");
    if (!Files.isExecutable(launcher)) {
      throw new CliException("no launcher " + launcher + ": cannot time the command as a new process");
    }
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(arguments);
    List<Long> times = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      int exit = process.waitFor();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (exit != 0) {
        throw new CliException("./autobutler query-datasets failed (exit " + exit + ")");
      }
      times.add(millis);
      out.printf("./autobutler query-datasets (new process) run %d: %d ms%n", run, millis);
      out.flush();
    }
    return times;
  }

  private static long median(List<Long> times) {
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }

  /** Counts printed lines without keeping them. */
  private static final class LineCounter extends Writer {
    long lines;

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
