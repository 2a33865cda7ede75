package io.autobutler.cli.stack;

import java.util.concurrent.Callable;

import io.autobutler.cli.AutobutlerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./autobutler up}. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Starts the local stack in the background and waits until every service is healthy.",
        "",
        "A Kafka broker (KRaft, one node) with the autobutler topics; PostgreSQL (the server at --db-url when it "
            + "answers, otherwise an embedded one); replication-watcher, ingest-service, catalog-service and "
            + "verifier-service. Logs go to .autobutler/logs/, pid files to .autobutler/run/. Running 'up' again "
            + "starts only what is not running. Prints '<service> <base URL>' for each service.",
        "",
        "catalog-service accepts writes only with its bearer token: 'up' generates one the first time into "
            + ".autobutler/token (readable by you only; never printed) and reuses it; the butler commands of "
            + "./autobutler read it from there (or take AUTOBUTLER_TOKEN / --token)."})
public class UpCommand implements Callable<Integer> {

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions options;

  @Override
  public Integer call() {
    StackConfig config = StackConfig.resolve(options, parent.env(), parent.home());
    new LocalStack(config, spec.commandLine().getOut(), spec.commandLine().getErr(), parent.env()).up();
    return 0;
  }
}
