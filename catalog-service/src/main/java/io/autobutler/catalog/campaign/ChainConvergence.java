package io.autobutler.catalog.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.ChainMode;
import io.autobutler.core.registry.collections.CollectionRecord;

/**
 * Converges the manifest's chains: each holds, in declared order, those of its declared children that exist
 * (daf_butler refuses a chain with a missing child), so a chain grows as its children appear. A chain is written
 * only when what it should hold differs from what it holds; it is created once one of its children exists. Chains
 * that are children of other chains are converged first, so that a parent sees them. Children the chain holds but
 * the manifest does not declare are dropped: the manifest is what the chain should be. The declared tree is read with
 * {@link DeclaredCollections}, as the verifier reads it.
 */
final class ChainConvergence {

  private ChainConvergence() {
  }

  /**
   * Brings one chain to its declared children that exist, in one transaction; returns the change made, if any
   * ({@code "chain X: + child Y, - child Z"}).
   */
  static Optional<String> converge(Registry registry, Chain chain) {
    return registry.transaction(c -> {
      var collections = registry.collections();
      List<String> present = DeclaredCollections.presentChildren(registry, c, chain);
      Optional<CollectionRecord> existing = collections.find(c, chain.name());
      if (existing.isEmpty() && present.isEmpty()) {
        return Optional.empty();
      }
      List<String> actual = DeclaredCollections.actualChildren(registry, c, chain.name());
      if (existing.isPresent() && actual.equals(present)) {
        return Optional.empty();
      }
      if (present.isEmpty()) {
        collections.editChain(c, chain.name(), actual, ChainMode.REMOVE, false, null);
      } else {
        // A name taken by a collection of another type is refused here, with the registry's message.
        collections.editChain(c, chain.name(), present, ChainMode.REDEFINE, false,
            existing.isEmpty() ? chain.doc() : null);
      }
      return Optional.of(describe(chain.name(), existing.isEmpty(), actual, present));
    });
  }

  /** The chain as declared and as it is now, for {@code GET /api/campaign}. */
  static DeclaredCollections.ChainState state(Registry registry, Chain chain) {
    return registry.transaction(c -> DeclaredCollections.chainState(registry, c, chain));
  }

  private static String describe(String chain, boolean created, List<String> before, List<String> after) {
    List<String> parts = new ArrayList<>();
    after.stream().filter(child -> !before.contains(child)).forEach(child -> parts.add("+ " + child));
    before.stream().filter(child -> !after.contains(child)).forEach(child -> parts.add("- " + child));
    if (parts.isEmpty()) {
      parts.add("reordered to " + after);
    }
    return "chain " + chain + (created ? " (created)" : "") + ": " + String.join(", ", parts);
  }
}
