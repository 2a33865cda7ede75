package io.autobutler.cli.repo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The shared part of the butler commands that work on an existing repository: the REPO argument, the client of
 * catalog-service (address and token, see {@link CatalogOptions}), and errors printed as the butler prints them,
 * {@code Error: <message>} on stderr with exit code 1.
 */
public abstract class RepoCommand implements Callable<Integer> {

  static final String EXISTING_REPO_HELP = "REPO is the URI or path to an existing data repository root or "
      + "configuration file. autobutler: the repository name (e.g. ccms1), or a catalog-service URL ending in "
      + "/<name> (e.g. http://127.0.0.1:8083/ccms1); any other URI or path names the repository by its last segment.";

  @ParentCommand
  AutobutlerCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPO", description = EXISTING_REPO_HELP)
  String repo;

  @Mixin
  CatalogOptions catalog;

  /** What the command does, once REPO is parsed and the client made; returns the exit code. */
  protected abstract int run(Context context);

  /** Everything a command needs: the repository, the client and the output streams. */
  protected record Context(RepoRef repository, CatalogClient client, PrintWriter out, PrintWriter err) {

    /** {@code /api/repositories/<name>/<rest>}. */
    public String path(String rest) {
      return CatalogClient.repositoryPath(repository.name(), rest);
    }
  }

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      RepoRef ref = RepoRef.parse(repo);
      return run(new Context(ref, catalog.client(ref, parent.env(), parent.home()), out, err));
    } catch (CliException e) {
      out.flush();
      err.println("Error: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The butler's {@code split_commas}: every value split on commas, except for commas inside {@code [...]}, empty
   * parts dropped.
   */
  public static List<String> splitCommas(List<String> values) {
    List<String> result = new ArrayList<>();
    if (values == null) {
      return result;
    }
    for (String value : values) {
      StringBuilder current = new StringBuilder();
      int depth = 0;
      for (char c : value.toCharArray()) {
        if (c == '[') {
          depth++;
        } else if (c == ']' && depth > 0) {
          depth--;
        }
        if (c == ',' && depth == 0) {
          add(result, current);
        } else {
          current.append(c);
        }
      }
      add(result, current);
    }
    return result;
  }

  private static void add(List<String> result, StringBuilder current) {
    if (current.length() > 0) {
      result.add(current.toString());
    }
    current.setLength(0);
  }
}
