package io.autobutler.cli.bench;

import picocli.CommandLine.Command;

/** {@code ./autobutler bench}: benchmarks that print figures; they are never part of the timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {QueryBenchCommand.class, WatchBenchCommand.class, IngestBenchCommand.class,
        VerifyBenchCommand.class},
    description = "Benchmarks against the running local stack (./autobutler up first). Each prints its figures and"
        + " ends with one summary line.")
public class BenchCommand {
}
