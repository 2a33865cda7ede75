package io.autobutler.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.repo.CatalogClient;
import io.autobutler.cli.repo.CreateCommand;
import io.autobutler.cli.stack.LocalStack;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.cli.stack.StackToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./autobutler demo}: the local stack with a demo repository in it. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Starts the local stack with a demo repository in it.",
        "",
        "Runs 'up', then creates the repository 'demo' from deploy/campaigns/demo-seed.yaml (datastore under "
            + ".autobutler/datastore/demo/, registry in the stack's database), or reuses it if it exists, and "
            + "shows what to try next."})
public class DemoCommand implements Callable<Integer> {

  public static final String REPOSITORY = "demo";
  static final String SEED_TEMPLATE = "deploy/campaigns/demo-seed.yaml";
  private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Z_]+@");

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StackConfig config = StackConfig.resolve(options, parent.env(), parent.home());
    // up's service lines are printed below, after the repository
    LocalStack.Registry registry = new LocalStack(config, new PrintWriter(PrintWriter.nullWriter()), err).up();

    Path datastore = config.stateDir().resolve("datastore").resolve(REPOSITORY);
    Path seed = writeSeed(config.projectRoot().resolve(SEED_TEMPLATE), config.stateDir().resolve("demo-seed.yaml"),
        Map.of("DATASTORE_ROOT", datastoreRoot(datastore), "REGISTRY_DB", registry.server().url().display()));

    URI catalog = URI.create(config.serviceUrl(Service.CATALOG_SERVICE));
    CatalogClient.CreateOutcome outcome = new CatalogClient(catalog, StackToken.read(config.tokenFile()))
        .createRepository(REPOSITORY, CreateCommand.readSeed(seed), true, java.util.Optional.empty());
    if (outcome instanceof CatalogClient.CreateOutcome.Created created) {
      out.println(CreateCommand.confirmation(created.repository()));
    } else if (outcome instanceof CatalogClient.CreateOutcome.AlreadyExists exists) {
      out.println("Repository " + REPOSITORY + " exists already (" + exists.message() + "): reusing it");
    } else {
      throw new CliException("cannot create the demo repository: "
          + ((CatalogClient.CreateOutcome.Failed) outcome).message());
    }
    out.println();
    for (Service s : Service.values()) {
      out.println(s.moduleName() + " " + config.serviceUrl(s));
    }
    out.println();
    out.println("Try next:");
    out.println("  ./autobutler status                      # health of every part");
    out.println("  curl " + catalog + "/api/repositories/" + REPOSITORY + "   # the repository, from catalog-service");
    out.println("  ./autobutler create --seed-config " + rel(config, seed) + " --override demo   # 409: exists");
    out.println("  ./autobutler query-dataset-types demo    # butler commands (./autobutler --help) work on it");
    out.println("  ./autobutler down                        # stop everything (data stay in "
        + rel(config, config.stateDir()) + ")");
    out.flush();
    return 0;
  }

  /** {@code file://} URL of the datastore folder, with the trailing slash butler roots have; creates the folder. */
  static String datastoreRoot(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo datastore folder " + folder, e);
    }
    String uri = folder.toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  /** Writes the seed template with its {@code @NAME@} placeholders replaced; every placeholder must be known. */
  static Path writeSeed(Path template, Path target, Map<String, String> values) {
    String text;
    try {
      text = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the demo seed template " + template + ": " + e.getMessage());
    }
    String resolved = resolve(text, values);
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, resolved, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    return target;
  }

  static String resolve(String text, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    // comments may mention placeholders; only values are replaced
    for (String line : text.split("\n", -1)) {
      if (line.stripLeading().startsWith("#")) {
        sb.append(line);
      } else {
        Matcher m = PLACEHOLDER.matcher(line);
        StringBuilder replaced = new StringBuilder();
        while (m.find()) {
          String key = m.group().substring(1, m.group().length() - 1);
          String value = values.get(key);
          if (value == null) {
            throw new CliException("the demo seed template has an unknown placeholder " + m.group());
          }
          m.appendReplacement(replaced, Matcher.quoteReplacement(value));
        }
        m.appendTail(replaced);
        sb.append(replaced);
      }
      sb.append('\n');
    }
    return sb.substring(0, sb.length() - 1);
  }

  private static Path rel(StackConfig config, Path path) {
    return path.startsWith(config.projectRoot()) ? config.projectRoot().relativize(path) : path;
  }
}
