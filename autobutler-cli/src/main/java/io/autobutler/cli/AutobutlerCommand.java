package io.autobutler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import io.autobutler.cli.bench.BenchCommand;
import io.autobutler.cli.demo.DemoCommand;
import io.autobutler.cli.repo.AssociateCommand;
import io.autobutler.cli.repo.CertifyCalibrationsCommand;
import io.autobutler.cli.repo.CollectionChainCommand;
import io.autobutler.cli.repo.CreateCommand;
import io.autobutler.cli.repo.DecertifyCalibrationsCommand;
import io.autobutler.cli.repo.DefineVisitsCommand;
import io.autobutler.cli.repo.DisassociateCommand;
import io.autobutler.cli.repo.ExportCalibsCommand;
import io.autobutler.cli.repo.ExportCommand;
import io.autobutler.cli.repo.ImportCommand;
import io.autobutler.cli.repo.IngestFilesCommand;
import io.autobutler.cli.repo.IngestRawsCommand;
import io.autobutler.cli.repo.IngestZipCommand;
import io.autobutler.cli.repo.QueryCollectionsCommand;
import io.autobutler.cli.repo.QueryDatasetTypesCommand;
import io.autobutler.cli.repo.QueryDataIdsCommand;
import io.autobutler.cli.repo.QueryDatasetsCommand;
import io.autobutler.cli.repo.QueryDimensionRecordsCommand;
import io.autobutler.cli.repo.RegisterDatasetTypeCommand;
import io.autobutler.cli.repo.RegisterInstrumentCommand;
import io.autobutler.cli.repo.RegisterSkymapCommand;
import io.autobutler.cli.repo.RemoveCollectionsCommand;
import io.autobutler.cli.repo.WriteCuratedCalibrationsCommand;
import io.autobutler.cli.stack.DownCommand;
import io.autobutler.cli.stack.StatusCommand;
import io.autobutler.cli.stack.UpCommand;
import io.autobutler.cli.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./autobutler}: the local stack (up, down, status, demo) and the butler subcommands, over REST. */
@Command(
    name = "autobutler",
    mixinStandardHelpOptions = true,
    versionProvider = AutobutlerCommand.Version.class,
    description = {
        "Runs the local autobutler stack (Kafka, PostgreSQL and the four services) and speaks the butler "
            + "command line to it: RTN-103's butler commands work with 'butler' replaced by './autobutler'."},
    subcommands = {
        UpCommand.class, DownCommand.class, StatusCommand.class, DemoCommand.class,
        CreateCommand.class, CollectionChainCommand.class, RegisterDatasetTypeCommand.class,
        QueryDatasetTypesCommand.class, QueryCollectionsCommand.class, RemoveCollectionsCommand.class,
        RegisterInstrumentCommand.class, RegisterSkymapCommand.class, WriteCuratedCalibrationsCommand.class,
        ImportCommand.class, QueryDatasetsCommand.class, AssociateCommand.class, CertifyCalibrationsCommand.class,
        DisassociateCommand.class,
        DecertifyCalibrationsCommand.class,
        ExportCommand.class,
        ExportCalibsCommand.class,
        QueryDimensionRecordsCommand.class,
        QueryDataIdsCommand.class,
        DefineVisitsCommand.class,
        IngestRawsCommand.class,
        IngestFilesCommand.class,
        IngestZipCommand.class,
        VerifyCommand.class,
        BenchCommand.class, HelpCommand.class},
    footer = {
        "",
        "The local stack keeps its logs, pid files and data under .autobutler/ in the project folder. "
            + "Ports and addresses: see './autobutler up --help' (every option there also has an AUTOBUTLER_* "
            + "environment variable)."})
public class AutobutlerCommand implements Runnable {

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;
  private Path home;

  public AutobutlerCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The configured command line; tests pass their own environment. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new AutobutlerCommand(env));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // as click: an option given twice takes the last value (e.g. --flatten ... --no-flatten)
    cl.setOverwrittenOptionsAllowed(true);
    cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
      PrintWriter err = command.getErr();
      if (ex instanceof CliException) {
        err.println("Error: " + ex.getMessage());
        err.flush();
        return 1;
      }
      err.println("Error: " + ex);
      ex.printStackTrace(err);
      err.flush();
      return 2;
    });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: see the list above.");
  }

  /** The environment the command runs in (the process's, or a test's). */
  public Map<String, String> env() {
    return env;
  }

  /** The project folder: deploy/, the service modules, and .autobutler/ by default. */
  public synchronized Path home() {
    if (home == null) {
      home = ProjectHome.locate(env);
    }
    return home;
  }

  /** Prints the version from the jar manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AutobutlerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"autobutler " + (version == null ? "(development build)" : version)};
    }
  }
}
