package io.autobutler.core.registry.collections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.autobutler.core.table.TextTable;

/**
 * {@code butler query-collections}: the matching collections shown in one of the {@code --chains} modes, from a
 * snapshot of the collection and chain tables.
 */
public final class CollectionQuery {

  /** The {@code --chains} modes; {@link #TREE} is the butler's default. */
  public enum ChainsMode {
    TABLE, INVERSE_TABLE, TREE, INVERSE_TREE, FLATTEN, NO_CHILDREN;

    public static ChainsMode parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("'" + text + "' is not a --chains mode; use one of TABLE, INVERSE-TABLE,"
            + " TREE, INVERSE-TREE, FLATTEN, NO-CHILDREN");
      }
    }
  }

  private final Map<String, CollectionRecord> collections;
  private final Map<String, List<String>> chains;
  private final Map<String, Set<String>> parents = new TreeMap<>();

  public CollectionQuery(Map<String, CollectionRecord> collections, Map<String, List<String>> chains) {
    this.collections = new TreeMap<>(collections);
    this.chains = chains;
    chains.forEach((parent, children) -> children.forEach(
        child -> parents.computeIfAbsent(child, k -> new TreeSet<>()).add(parent)));
  }

  /** The collections whose names match any glob ({@code *}, {@code ?}, {@code [...]}; none means all), by name. */
  public List<CollectionRecord> matching(List<String> globs, Set<CollectionType> types) {
    List<Pattern> patterns = globs == null || globs.isEmpty() ? List.of(Pattern.compile(".*"))
        : globs.stream().map(CollectionQuery::globToRegex).toList();
    return collections.values().stream()
        .filter(r -> types == null || types.isEmpty() || types.contains(r.type()))
        .filter(r -> patterns.stream().anyMatch(p -> p.matcher(r.name()).matches()))
        .toList();
  }

  public TextTable table(List<String> globs, Set<CollectionType> types, ChainsMode mode) {
    List<CollectionRecord> matches = matching(globs, types);
    List<List<String>> rows = new ArrayList<>();
    switch (mode) {
      case TREE -> matches.forEach(r -> addTree(r.name(), 0, rows, false));
      case INVERSE_TREE -> matches.forEach(r -> addTree(r.name(), 0, rows, true));
      case NO_CHILDREN -> matches.forEach(r -> rows.add(List.of(r.name(), r.type().name())));
      case FLATTEN -> {
        Set<String> leaves = new LinkedHashSet<>();
        matches.forEach(r -> addLeaves(r.name(), leaves, new LinkedHashSet<>()));
        leaves.stream().map(collections::get)
            .filter(r -> types == null || types.isEmpty() || types.contains(r.type()))
            .forEach(r -> rows.add(List.of(r.name(), r.type().name())));
      }
      case TABLE -> {
        return relationTable(matches, "Children", r -> chains.getOrDefault(r.name(), List.of()),
            matches.stream().anyMatch(r -> r.type() == CollectionType.CHAINED));
      }
      case INVERSE_TABLE -> {
        return relationTable(matches, "Parents", r -> parents.getOrDefault(r.name(), Set.of()),
            matches.stream().anyMatch(r -> parents.containsKey(r.name())));
      }
      default -> throw new IllegalStateException(mode.name());
    }
    return new TextTable(List.of("Name", "Type"), rows);
  }

  private TextTable relationTable(List<CollectionRecord> matches, String column,
                                  java.util.function.Function<CollectionRecord, Collection<String>> related,
                                  boolean withColumn) {
    if (!withColumn) {
      return new TextTable(List.of("Name", "Type"),
          matches.stream().map(r -> List.of(r.name(), r.type().name())).toList());
    }
    List<List<String>> rows = new ArrayList<>();
    for (CollectionRecord record : matches) {
      List<String> names = new ArrayList<>(related.apply(record));
      rows.add(List.of(record.name(), record.type().name(), names.isEmpty() ? "" : names.get(0)));
      for (int i = 1; i < names.size(); i++) {
        rows.add(List.of("", "", names.get(i)));
      }
    }
    return new TextTable(List.of("Name", "Type", column), rows);
  }

  private void addTree(String name, int level, List<List<String>> rows, boolean inverse) {
    CollectionRecord record = collections.get(name);
    rows.add(List.of("  ".repeat(level) + name, record.type().name()));
    Collection<String> next = inverse ? parents.getOrDefault(name, Set.of()) : chains.getOrDefault(name, List.of());
    for (String other : next) {
      addTree(other, level + 1, rows, inverse);
    }
  }

  private void addLeaves(String name, Set<String> leaves, Set<String> path) {
    CollectionRecord record = collections.get(name);
    if (record.type() != CollectionType.CHAINED) {
      leaves.add(name);
    } else if (path.add(name)) {
      chains.getOrDefault(name, List.of()).forEach(child -> addLeaves(child, leaves, path));
      path.remove(name);
    }
  }

  /** fnmatch-style glob to regex: {@code *}, {@code ?} and {@code [...]} classes; everything else literal. */
  public static Pattern globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      switch (ch) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            regex.append("\\[");
          } else {
            String body = glob.substring(i + 1, close);
            String negate = body.startsWith("!") ? "^" : "";
            String members = (negate.isEmpty() ? body : body.substring(1)).replace("\\", "\\\\").replace("[", "\\[");
            regex.append('[').append(negate).append(members).append(']');
            i = close;
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
