package io.autobutler.cli.repo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./autobutler create}: butler's {@code create}, done by catalog-service. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Create an empty Gen3 Butler repository.",
        "",
        "autobutler: the repository (a registry namespace, i.e. a PostgreSQL schema, plus its datastore root) is "
            + "created by catalog-service (POST /api/repositories) from the seed config's datastore.name, "
            + "datastore.root, registry.db and registry.namespace."})
public class CreateCommand implements Callable<Integer> {

  public static final String DEFAULT_CATALOG_URL = "http://127.0.0.1:8083";
  public static final String CATALOG_URL_ENV = "AUTOBUTLER_CATALOG_URL";

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPO",
      description = "REPO is the URI or path to the new repository. Will be created if it does not exist. "
          + "autobutler: a repository name (e.g. ccms1), or a catalog-service URL ending in /<name> "
          + "(e.g. http://127.0.0.1:8083/ccms1, whose scheme://host:port is then the service address); any other "
          + "URI or path (e.g. RTN-103's davs://.../butler/ccms1) names the repository by its last segment.")
  String repo;

  @Option(names = "--seed-config", paramLabel = "TEXT",
      description = "Path to an existing YAML config file to apply (on top of defaults).")
  Path seedConfig;

  @Option(names = "--dimension-config", paramLabel = "TEXT",
      description = "Path to an existing YAML config file with dimension configuration. "
          + "autobutler: not supported; repositories use the default dimension universe (version 7).")
  Path dimensionConfig;

  @Option(names = "--standalone",
      description = "Include all defaults in the config file in the repo, insulating the repo from changes in "
          + "package defaults. autobutler: accepted and without effect (the configuration lives in the registry).")
  boolean standalone;

  @Option(names = "--override",
      description = "Allow values in the supplied config to override all repo settings.")
  boolean override;

  @Option(names = {"-f", "--outfile"}, paramLabel = "TEXT",
      description = "Name of output file to receive repository configuration. Default is to write butler.yaml "
          + "into the specified repo. autobutler: writes the created repository's configuration (datastore and "
          + "registry) to this YAML file; without it, nothing is written locally.")
  Path outfile;

  @Mixin
  CatalogOptions catalog;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (dimensionConfig != null) {
      throw new CliException("--dimension-config is not supported: autobutler repositories use the default "
          + "dimension universe (version 7)");
    }
    RepoRef ref = RepoRef.parse(repo);
    String seed = seedConfig == null ? null : readSeed(seedConfig);
    CatalogClient client = catalog.client(ref, parent.env(), parent.home());
    CatalogClient.CreateOutcome outcome = client.createRepository(ref.name(), seed, override, ref.root());
    if (outcome instanceof CatalogClient.CreateOutcome.Created created) {
      out.println(confirmation(created.repository()));
      out.flush();
      if (outfile != null) {
        writeConfig(created.repository(), outfile);
      }
      return 0;
    }
    String message = outcome instanceof CatalogClient.CreateOutcome.AlreadyExists exists ? exists.message()
        : ((CatalogClient.CreateOutcome.Failed) outcome).message();
    err.println("Error: " + message);
    err.flush();
    return 1;
  }

  /**
   * {@code --catalog-url}, else {@code AUTOBUTLER_CATALOG_URL}, else {@code http://127.0.0.1:8083}; the commands
   * also look at the running local stack's address, see {@link CatalogOptions#configuredCatalog}.
   */
  public static URI configuredCatalog(URI option, Map<String, String> env) {
    if (option != null) {
      return option;
    }
    String fromEnv = env.get(CATALOG_URL_ENV);
    return URI.create(fromEnv == null || fromEnv.isBlank() ? DEFAULT_CATALOG_URL : fromEnv.trim());
  }

  /** The seed file's text, or a clear error when it cannot be read. */
  public static String readSeed(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException("seed config " + file + " does not exist");
    } catch (IOException e) {
      throw new CliException("cannot read seed config " + file + ": " + e.getMessage());
    }
  }

  /** The one-line confirmation of a created repository. */
  public static String confirmation(RepositoryInfo r) {
    return "Repository " + r.name() + " created: registry " + r.registryDb() + " namespace " + r.namespace()
        + ", datastore root " + r.datastoreRoot();
  }

  static void writeConfig(RepositoryInfo r, Path file) {
    Map<String, Object> datastore = new LinkedHashMap<>();
    datastore.put("name", r.datastoreName());
    datastore.put("root", r.datastoreRoot());
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("db", r.registryDb());
    registry.put("namespace", r.namespace());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("datastore", datastore);
    config.put("registry", registry);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    try {
      Path parentDir = file.toAbsolutePath().getParent();
      if (parentDir != null) {
        Files.createDirectories(parentDir);
      }
      yaml.writeValue(file.toFile(), config);
    } catch (IOException e) {
      throw new CliException("the repository was created, but " + file + " could not be written: " + e.getMessage());
    }
  }
}
