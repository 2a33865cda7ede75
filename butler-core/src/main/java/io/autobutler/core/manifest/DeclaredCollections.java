package io.autobutler.core.manifest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.FoundDatasets;

/**
 * The collections a manifest declares, read against a registry: each chain's declared children beside the ones it
 * holds, and what each tagged selection's query finds. catalog-service converges the registry to this; the verifier
 * reports how far the registry is from it. Only reads.
 */
public final class DeclaredCollections {

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[]");

  private DeclaredCollections() {
  }

  /** One chain as declared and as it is: its children now (empty when it is missing or not a chain). */
  public record ChainState(String name, List<String> declared, List<String> actual, List<String> missing) {
  }

  /** The chains in an order where every chain comes after the declared chains it holds. */
  public static List<Chain> childrenFirst(List<Chain> chains) {
    Map<String, Chain> byName = new LinkedHashMap<>();
    chains.forEach(chain -> byName.put(chain.name(), chain));
    Set<String> ordered = new LinkedHashSet<>();
    for (Chain chain : chains) {
      visit(chain, byName, ordered);
    }
    return ordered.stream().map(byName::get).toList();
  }

  private static void visit(Chain chain, Map<String, Chain> byName, Set<String> ordered) {
    if (ordered.contains(chain.name())) {
      return;
    }
    // The manifest reader refused cycles, so this recursion ends.
    for (String child : chain.children()) {
      Chain nested = byName.get(child);
      if (nested != null) {
        visit(nested, byName, ordered);
      }
    }
    ordered.add(chain.name());
  }

  /** The declared children that exist, in declared order: what the chain should hold now. */
  public static List<String> presentChildren(Registry registry, Connection c, Chain chain) throws SQLException {
    List<String> present = new ArrayList<>();
    for (String child : chain.children()) {
      if (registry.collections().find(c, child).isPresent()) {
        present.add(child);
      }
    }
    return present;
  }

  /** The children a collection holds as a chain; empty when it is missing or of another type. */
  public static List<String> actualChildren(Registry registry, Connection c, String name) throws SQLException {
    Optional<CollectionRecord> existing = registry.collections().find(c, name);
    return existing.isPresent() && existing.get().type() == CollectionType.CHAINED
        ? registry.collections().children(c, name) : List.of();
  }

  /** The chain as declared and as it is now. */
  public static ChainState chainState(Registry registry, Connection c, Chain chain) throws SQLException {
    List<String> missing = new ArrayList<>();
    for (String child : chain.children()) {
      if (registry.collections().find(c, child).isEmpty()) {
        missing.add(child);
      }
    }
    return new ChainState(chain.name(), chain.children(), actualChildren(registry, c, chain.name()), missing);
  }

  /**
   * A selection's collections that exist (globs kept: the query expands them), so that a selection whose
   * collections have not appeared yet finds nothing instead of failing. Empty: nothing to search.
   */
  public static List<String> searchPath(Registry registry, Connection c, List<String> expressions)
      throws SQLException {
    Map<String, CollectionRecord> all = registry.collections().all(c);
    List<String> path = new ArrayList<>();
    for (String expression : expressions) {
      if (GLOB_CHARS.matcher(expression).find()) {
        Pattern glob = CollectionQuery.globToRegex(expression);
        all.keySet().stream().filter(name -> glob.matcher(name).matches()).sorted().forEach(path::add);
      } else if (all.containsKey(expression)) {
        path.add(expression);
      }
    }
    return path;
  }

  /** The selection's {@code where}, or its exposure list as one. */
  public static String where(Tagged tagged) {
    if (tagged.where() != null) {
      return tagged.where();
    }
    return "exposure IN (" + tagged.exposures().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
  }

  /** The datasets the selection's query finds in {@code collections} (a search path from {@link #searchPath}). */
  public static List<UUID> selected(DatasetQuery query, Connection c, Tagged tagged, List<String> collections)
      throws SQLException {
    if (collections.isEmpty()) {
      return List.of();
    }
    return FoundDatasets.ids(query.query(c, new DatasetQuery.Request(List.of(tagged.datasetType()), collections,
        where(tagged), Map.of(), false, 0, false)));
  }
}
