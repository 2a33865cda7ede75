package io.autobutler.catalog.campaign;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;

/**
 * Converges one TAGGED selection: the datasets {@code query-datasets TYPE --collections … --where …} finds (the same
 * {@link DatasetQuery} engine) are associated into the TAGGED collection, which is created when the query first finds
 * something. Only datasets not yet associated are added, in one statement; when nothing is new nothing is written.
 * As daf_butler's {@code associate}, this only adds: a member that no longer matches (its exposure record corrected,
 * the manifest's {@code where} changed) stays until an operator runs {@code disassociate}.
 */
final class TaggedConvergence {

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
      List<String> collections = DeclaredCollections.searchPath(registry, c, tagged.collections());
      if (runs != null) {
        Set<String> leaves = new LinkedHashSet<>(registry.collections().flattenNames(c, collections));
        leaves.retainAll(runs);
        collections = List.copyOf(leaves);
      }
      if (collections.isEmpty()) {
        return new Outcome(tagged.name(), 0, 0, false);
      }
      List<UUID> found = DeclaredCollections.selected(query, c, tagged, collections);
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
}
