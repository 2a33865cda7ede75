package io.autobutler.cli.repo;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.autobutler.cli.CliException;
import io.autobutler.core.table.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler remove-collections}: butler's {@code remove-collections}, done by catalog-service. */
@Command(name = "remove-collections", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Remove one or more non-RUN collections.",
        "",
        "This command can be used to remove only non-RUN collections. If RUN collections are found when searching "
            + "for collections (and the --no-confirm flag is not used), then they will be shown in a separate table "
            + "during confirmation, but they will not be removed.",
        "",
        "Use the remove-runs subcommand to remove RUN collections.",
        "",
        "autobutler: the collections are found with GET /api/repositories/<REPO>/collections (mode NO-CHILDREN) and "
            + "removed with POST /api/repositories/<REPO>/remove-collections. The confirmation is read from the "
            + "terminal; without one, use --no-confirm."})
public class RemoveCollectionsCommand extends RepoCommand {

  static final String NO_NON_RUN = "No non-RUN collections were found.";
  static final String WILL_REMOVE = "The following collections will be removed:";
  static final String REMOVED = "Removed collections";
  static final String CAN_NOT_REMOVE_RUNS =
      "The following RUN collections were found but can NOT be removed by this command:";
  static final String DID_NOT_REMOVE_RUNS = "Found RUN collections but they can NOT be removed by this command:";
  static final String ABORTED = "Aborted.";
  static final String PROMPT = "Continue? [y/N]: ";

  @Parameters(index = "1..*", paramLabel = "COLLECTION", arity = "1..*",
      description = "COLLECTION is a glob-style expression that identifies the collection(s) to remove "
          + "(autobutler: one or more).")
  List<String> collections = new ArrayList<>();

  @Option(names = "--confirm", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Print expected action and a confirmation prompt before executing. Default is --confirm.")
  boolean confirm;

  /** Where the answer to the prompt comes from: the terminal, if there is one. Tests replace it. */
  Supplier<Optional<BufferedReader>> terminal = RemoveCollectionsCommand::systemTerminal;

  @Override
  protected int run(Context context) {
    PrintWriter out = context.out();
    Map<String, String> found = find(context);
    List<List<String>> removable = new ArrayList<>();
    List<List<String>> runs = new ArrayList<>();
    found.forEach((name, type) -> {
      if (type.equals("RUN")) {
        runs.add(List.of(name));
      } else {
        removable.add(List.of(name, type));
      }
    });
    TextTable removeTable = new TextTable(List.of("Collection", "Collection Type"), removable);
    TextTable runsTable = new TextTable(List.of("Collection"), runs);

    boolean doContinue = !removable.isEmpty();
    if (confirm) {
      if (!removable.isEmpty()) {
        out.println("\n" + WILL_REMOVE);
        print(out, removeTable);
      } else {
        out.println("\n" + NO_NON_RUN);
      }
      if (!runs.isEmpty()) {
        out.println("\n" + CAN_NOT_REMOVE_RUNS);
        print(out, runsTable);
        out.println();
      }
      if (!removable.isEmpty()) {
        Optional<Boolean> answer = ask(out);
        if (answer.isEmpty()) {
          context.err().println("Aborted!");
          return 1;
        }
        doContinue = answer.get();
      }
    }
    if (doContinue) {
      context.client().post(context.path("remove-collections"),
          Map.of("names", removable.stream().map(row -> row.get(0)).toList()));
      if (confirm) {
        out.println("\n" + REMOVED + ".\n");
      } else {
        out.println("\n" + REMOVED + ":\n");
        print(out, removeTable);
        if (!runs.isEmpty()) {
          out.println("\n" + DID_NOT_REMOVE_RUNS);
          print(out, runsTable);
          out.println();
        }
      }
    } else if (!removable.isEmpty()) {
      out.println("\n" + ABORTED + "\n");
    }
    return 0;
  }

  /** The collections matching any COLLECTION expression, by name, with their types. */
  private Map<String, String> find(Context context) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("glob", collections);
    query.put("chains", List.of("NO-CHILDREN"));
    TextTable table = QueryCollectionsCommand.table(context.client().get(context.path("collections"), query).body());
    int nameColumn = table.headers().indexOf("Name");
    int typeColumn = table.headers().indexOf("Type");
    if (nameColumn < 0 || typeColumn < 0) {
      throw new CliException("catalog-service answered a collection query without Name and Type columns: "
          + table.headers());
    }
    Map<String, String> found = new TreeMap<>();
    table.rows().forEach(row -> found.put(row.get(nameColumn), row.get(typeColumn)));
    return found;
  }

  /**
   * click's {@code confirm("Continue?", default=False)}, read from the terminal (none is an error); empty when the
   * input ended without an answer.
   */
  private Optional<Boolean> ask(PrintWriter out) {
    BufferedReader in = terminal.get().orElseThrow(() -> {
      out.flush();
      return new CliException("cannot ask for confirmation: there is no terminal. Run it in a terminal, or add "
          + "--no-confirm to remove the collections listed above without asking");
    });
    try {
      while (true) {
        out.print(PROMPT);
        out.flush();
        String line = in.readLine();
        if (line == null) {
          out.println();
          out.flush();
          return Optional.empty();
        }
        String answer = line.strip().toLowerCase(Locale.ROOT);
        switch (answer) {
          case "y", "yes" -> {
            return Optional.of(true);
          }
          case "n", "no", "" -> {
            return Optional.of(false);
          }
          default -> out.println("Error: invalid input");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the answer", e);
    }
  }

  private static void print(PrintWriter out, TextTable table) {
    table.lines(TextTable.Align.LEFT).forEach(out::println);
  }

  /** The console, when this process has one that is a terminal (Java 22+ may give a console that is not). */
  static Optional<BufferedReader> systemTerminal() {
    Console console = System.console();
    if (console == null) {
      return Optional.empty();
    }
    try {
      Object isTerminal = Console.class.getMethod("isTerminal").invoke(console);
      if (Boolean.FALSE.equals(isTerminal)) {
        return Optional.empty();
      }
    } catch (ReflectiveOperationException e) {
      // before Java 22 a console is always a terminal
    }
    return Optional.of(new BufferedReader(console.reader()));
  }
}
