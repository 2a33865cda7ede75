package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ./autobutler collection-chain}: butler's {@code collection-chain}, done by catalog-service. */
@Command(name = "collection-chain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Define a collection chain.",
        "",
        "PARENT is the name of the chained collection to create or modify. If the collection already exists the "
            + "chain associated with it will be updated.",
        "",
        "CHILDREN are the collections to be used to modify the chain. The supplied values will be split on comma. "
            + "The exact usage depends on the MODE option. For example,",
        "",
        "  $ autobutler collection-chain REPO PARENT child1,child2 child3",
        "",
        "will result in three children being included in the chain.",
        "",
        "When the MODE is 'pop' the CHILDREN should be integer indices indicating collections to be removed from "
            + "the current chain. MODE 'pop' can take negative integers to indicate removal relative to the end of "
            + "the chain, but when doing that '--' must be given to indicate the end of the options specification.",
        "",
        "  $ autobutler collection-chain REPO --mode=pop PARENT -- -1",
        "",
        "Will remove the final collection from the chain.",
        "",
        "autobutler: POST /api/repositories/<REPO>/collection-chain; prints the new chain."})
public class CollectionChainCommand extends RepoCommand {

  static final List<String> MODES = List.of("redefine", "extend", "remove", "prepend", "pop");

  @Parameters(index = "1", paramLabel = "PARENT", description = "The chained collection to create or modify.")
  String parentCollection;

  @Parameters(index = "2..*", paramLabel = "CHILDREN", arity = "0..*",
      description = "Children of the chain (split on commas); for --mode pop, integer indices (default 0).")
  List<String> children = new ArrayList<>();

  @Option(names = "--doc", paramLabel = "TEXT", defaultValue = "",
      description = "Documentation string associated with this collection. Only relevant if the collection is "
          + "newly created.")
  String doc;

  @Option(names = "--flatten", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "If `True` recursively flatten out any nested chained collections in children first.")
  boolean flatten;

  @Option(names = "--mode", paramLabel = "[redefine|extend|remove|prepend|pop]", defaultValue = "redefine",
      completionCandidates = Modes.class, converter = Modes.class,
      description = "Update mode: 'redefine': Create new chain or redefine existing chain with the supplied "
          + "CHILDREN. 'remove': Modify existing chain to remove the supplied CHILDREN. 'pop': Pop a numbered element "
          + "off the chain. Defaults to popping the first element (0). ``children`` must be integers if given. "
          + "'prepend': Modify existing chain to prepend the supplied CHILDREN to the front. 'extend': Modify "
          + "existing chain to extend it with the supplied CHILDREN.")
  String mode;

  /** The modes, for the help, and the check of {@code --mode} (exact names, as click's Choice). */
  static final class Modes extends ArrayList<String> implements ITypeConverter<String> {
    Modes() {
      super(MODES);
    }

    @Override
    public String convert(String value) {
      if (!MODES.contains(value)) {
        throw new TypeConversionException("'" + value + "' is not one of "
            + String.join(", ", MODES.stream().map(m -> "'" + m + "'").toList()) + ".");
      }
      return value;
    }
  }

  @Override
  protected int run(Context context) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent", parentCollection);
    body.put("children", splitCommas(children));
    body.put("mode", mode);
    body.put("flatten", flatten);
    body.put("doc", doc == null || doc.isEmpty() ? null : doc);
    JsonNode reply = context.client().post(context.path("collection-chain"), body).body();
    List<String> chain = new ArrayList<>();
    reply.path("children").forEach(child -> chain.add(child.asText()));
    context.out().println(format(chain));
    return 0;
  }

  /** The butler's output: {@code [a, b, c]}. */
  static String format(List<String> chain) {
    return "[" + String.join(", ", chain) + "]";
  }
}
