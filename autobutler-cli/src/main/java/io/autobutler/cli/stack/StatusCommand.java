package io.autobutler.cli.stack;

import java.util.concurrent.Callable;

import io.autobutler.cli.AutobutlerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./autobutler status}. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Shows whether each part of the local stack is up.",
        "",
        "One line per service with its base URL and health (UP, DOWN or not running), then "
            + "'kafka <bootstrap address> <state>' and 'postgresql postgresql://host:port/database <state>'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:everything is UP", "1:something is DOWN or not running"})
public class StatusCommand implements Callable<Integer> {

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions options;

  @Override
  public Integer call() {
    StackConfig config = StackConfig.resolve(options, parent.env(), parent.home());
    return new LocalStack(config, spec.commandLine().getOut(), spec.commandLine().getErr()).status() ? 0 : 1;
  }
}
