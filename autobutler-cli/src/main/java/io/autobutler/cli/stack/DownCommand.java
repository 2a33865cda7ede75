package io.autobutler.cli.stack;

import java.util.concurrent.Callable;

import io.autobutler.cli.AutobutlerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./autobutler down}. */
@Command(name = "down", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Stops what 'up' started: the services, then Kafka, then the embedded PostgreSQL.",
        "",
        "Only processes recorded in .autobutler/run/ whose command line is still the one started are stopped "
            + "(SIGTERM, then SIGKILL after a grace period); a PostgreSQL server that 'up' did not start is never "
            + "touched. Data (Kafka topics, the registry) stay."})
public class DownCommand implements Callable<Integer> {

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions options;

  @Override
  public Integer call() {
    StackConfig config = StackConfig.resolve(options, parent.env(), parent.home());
    new LocalStack(config, spec.commandLine().getOut(), spec.commandLine().getErr()).down();
    return 0;
  }
}
