package io.autobutler.catalog.campaign;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.FoundDatasets;

/**
 * Converges one TAGGED selection: the datasets {@code query-datasets TYPE --collections … --where …} finds (the same
 * {@link DatasetQuery} engine) are associated into the TAGGED collection, which is created when the query first finds
 * something. Only datasets not yet associated are added, in one statement; when nothing is new nothing is written.
 * As daf_butler's {@code associate}, this only adds: a member that no longer matches (its exposure record corrected,
 * the manifest's {@code where} changed) stays until an operator runs {@code disassociate}.
 */
final class TaggedConvergence {

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[]");

  private TaggedConvergence() {
  }

  /** What a selection's convergence did: the datasets found and added, and whether the collection was created. */
  record Outcome(String name, int found, int added, boolean created) {
    Optional<String> change() {
      if (added == 0 && !created) {
        return Optional.empty();
      }
      return Optional.of("tagged " + name + (created ? " (created)" : "") + ": + " + added + " datasets");
    }
  }

  /**
   * Converges {@code tagged}, searching all of its collections ({@code runs} null) or only those of them (the leaf
   * collections its search path reaches) that are among {@code runs}: the runs new datasets were ingested into.
   */
  static Outcome converge(Registry registry, DatasetQuery query, Tagged tagged, Set<String> runs) {
    return registry.transaction(c -> {
      List<String> collections = searchPath(registry, c, tagged.collections());
      if (runs != null) {
        Set<String> leaves = new LinkedHashSet<>(registry.collections().flattenNames(c, collections));
        leaves.retainAll(runs);
        collections = List.copyOf(leaves);
      }
      if (collections.isEmpty()) {
        return new Outcome(tagged.name(), 0, 0, false);
      }
      List<UUID> found = FoundDatasets.ids(query.query(c, new DatasetQuery.Request(List.of(tagged.datasetType()),
          collections, where(tagged), Map.of(), false, 0, false)));
      Optional<CollectionRecord> existing = registry.collections().find(c, tagged.name());
      if (existing.isEmpty() && found.isEmpty()) {
        return new Outcome(tagged.name(), 0, 0, false);
      }
      boolean created = registry.collections().register(c, tagged.name(), CollectionType.TAGGED,
          existing.isEmpty() ? tagged.doc() : null);
      CollectionRecord collection = registry.collections().get(c, tagged.name());
      List<UUID> missing = registry.datasets().notAssociated(c, collection, found);
      int added = missing.isEmpty() ? 0 : registry.datasets().associate(c, collection, missing);
      return new Outcome(tagged.name(), found.size(), added, created);
    });
  }

  /** How many datasets the selection's TAGGED collection holds (-1: not created yet). */
  static long members(Registry registry, Tagged tagged) {
    return registry.transaction(c -> {
      Optional<CollectionRecord> collection = registry.collections().find(c, tagged.name());
      return collection.isEmpty() || collection.get().type() != CollectionType.TAGGED ? -1L
          : registry.datasets().associatedCount(c, collection.get());
    });
  }

  /**
   * The selection's collections that exist (globs kept: the query expands them), so that a selection whose
   * collections have not appeared yet finds nothing instead of failing. Empty: nothing to search.
   */
  private static List<String> searchPath(Registry registry, Connection c, List<String> expressions)
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
  static String where(Tagged tagged) {
    if (tagged.where() != null) {
      return tagged.where();
    }
    return "exposure IN (" + tagged.exposures().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
  }
}
