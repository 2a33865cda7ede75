package io.autobutler.core.registry.collections;

import static io.autobutler.core.registry.RegistryException.Kind.COLLECTION_CYCLE;
import static io.autobutler.core.registry.RegistryException.Kind.COLLECTION_TYPE;
import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;
import static io.autobutler.core.registry.RegistryException.Kind.MISSING_COLLECTION;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.autobutler.core.registry.RegistryException;

/**
 * Collections and chains, with daf_butler's rules: registration is idempotent for the same type; a chain's
 * children must exist, are de-duplicated (first occurrence wins) and may not lead back to the parent; prepend and
 * extend move children already in the chain; every chain edit locks the parent's row first.
 */
public final class CollectionManager {

  public Optional<CollectionRecord> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT collection_id, name, type, doc FROM collection WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  /** The collection, or MissingCollectionError. */
  public CollectionRecord get(Connection c, String name) throws SQLException {
    return find(c, name).orElseThrow(() -> new RegistryException(MISSING_COLLECTION,
        "No collection with name '" + name + "' found."));
  }

  /**
   * Registers a collection. An existing one of the same type is kept (its doc is updated when one is given);
   * one of another type is a conflict. Returns true when the collection was created.
   */
  public boolean register(Connection c, String name, CollectionType type, String doc) throws SQLException {
    if (name == null || name.isBlank()) {
      throw new RegistryException(INVALID_ARGUMENT, "a collection name cannot be empty");
    }
    Optional<CollectionRecord> existing = find(c, name);
    if (existing.isPresent()) {
      if (existing.get().type() != type) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Collection '" + name + "' already exists with type "
            + existing.get().type() + ", not " + type + ".");
      }
      if (doc != null && !doc.equals(existing.get().doc())) {
        setDoc(c, name, doc);
      }
      return false;
    }
    long id;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO collection (name, type, doc) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING collection_id")) {
      ps.setString(1, name);
      ps.setShort(2, (short) type.code());
      ps.setString(3, doc);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          // Another transaction registered it in between: apply the same rules to what it wrote.
          return register(c, name, type, doc);
        }
        id = rs.getLong(1);
      }
    }
    if (type == CollectionType.RUN) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO run (collection_id) VALUES (?)")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
    }
    return true;
  }

  public void setDoc(Connection c, String name, String doc) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE collection SET doc = ? WHERE name = ?")) {
      ps.setString(1, doc);
      ps.setString(2, name);
      if (ps.executeUpdate() == 0) {
        throw new RegistryException(MISSING_COLLECTION, "No collection with name '" + name + "' found.");
      }
    }
  }

  /** The children of a CHAINED collection, in order. */
  public List<String> children(Connection c, String chain) throws SQLException {
    CollectionRecord parent = get(c, chain);
    requireChained(parent);
    return childrenOf(c, parent.id());
  }

  private List<String> childrenOf(Connection c, long parentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT k.name FROM collection_chain cc"
        + " JOIN collection k ON k.collection_id = cc.child WHERE cc.parent = ? ORDER BY cc.position")) {
      ps.setLong(1, parentId);
      List<String> names = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
    }
  }

  /**
   * Edits a chain as {@code butler collection-chain} does and returns the new list of children.
   *
   * @param children collection names for redefine/extend/prepend/remove; for pop, indices as text (default 0)
   * @param flatten  replace the children by their non-chain leaves (redefine, extend, prepend only)
   * @param doc      documentation of a parent that this call creates (or updates)
   */
  public List<String> editChain(Connection c, String parentName, List<String> children, ChainMode mode,
                                boolean flatten, String doc) throws SQLException {
    if (flatten && !mode.createsParent()) {
      throw new RegistryException(INVALID_ARGUMENT, "--flatten can only be used with redefine, extend or prepend.");
    }
    if (mode != ChainMode.POP && children.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "Must provide children when defining a collection chain in mode "
          + mode.name().toLowerCase(Locale.ROOT) + ".");
    }
    Optional<CollectionRecord> found = lock(c, parentName);
    if (found.isEmpty()) {
      if (!mode.createsParent()) {
        throw new RegistryException(MISSING_COLLECTION, "Mode '" + mode.name().toLowerCase(Locale.ROOT)
            + "' requires that the collection exists but collection '" + parentName
            + "' is not known to this registry");
      }
      register(c, parentName, CollectionType.CHAINED, doc);
      found = lock(c, parentName);
    } else if (doc != null) {
      requireChained(found.get());
      setDoc(c, parentName, doc);
    }
    CollectionRecord parent = found.orElseThrow();
    requireChained(parent);
    List<String> current = childrenOf(c, parent.id());

    List<String> named = mode == ChainMode.POP ? List.of() : dedupe(children);
    for (String child : named) {
      get(c, child);
    }
    List<String> requested = flatten ? flattenNames(c, named) : named;
    List<String> result = switch (mode) {
      case REDEFINE -> requested;
      case EXTEND -> {
        List<String> kept = new ArrayList<>(current);
        kept.removeAll(requested);
        kept.addAll(requested);
        yield kept;
      }
      case PREPEND -> {
        List<String> kept = new ArrayList<>(requested);
        current.stream().filter(name -> !requested.contains(name)).forEach(kept::add);
        yield kept;
      }
      case REMOVE -> {
        List<String> kept = new ArrayList<>(current);
        kept.removeAll(requested);
        yield kept;
      }
      case POP -> pop(current, children.isEmpty() ? List.of("0") : children);
    };
    if (mode.createsParent()) {
      checkNoCycle(c, parent.name(), result);
    }
    writeChain(c, parent.id(), result);
    return result;
  }

  private static List<String> pop(List<String> current, List<String> indexTexts) {
    Set<Integer> indices = new TreeSet<>();
    for (String text : indexTexts) {
      int index;
      try {
        index = Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw new RegistryException(INVALID_ARGUMENT, "pop takes integer indices, not '" + text + "'");
      }
      int resolved = index < 0 ? current.size() + index : index;
      if (resolved < 0 || resolved >= current.size()) {
        throw new RegistryException(INVALID_ARGUMENT, "Index " + index + " is out of range for a chain of "
            + current.size() + " children.");
      }
      indices.add(resolved);
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      if (!indices.contains(i)) {
        kept.add(current.get(i));
      }
    }
    return kept;
  }

  /** Non-chain leaves of the given collections, depth first in chain order, first occurrence kept. */
  public List<String> flattenNames(Connection c, List<String> names) throws SQLException {
    Set<String> leaves = new LinkedHashSet<>();
    for (String name : names) {
      addLeaves(c, get(c, name), leaves, new LinkedHashSet<>());
    }
    return new ArrayList<>(leaves);
  }

  private void addLeaves(Connection c, CollectionRecord record, Set<String> leaves, Set<String> path)
      throws SQLException {
    if (record.type() != CollectionType.CHAINED) {
      leaves.add(record.name());
      return;
    }
    if (!path.add(record.name())) {
      return;
    }
    for (String child : childrenOf(c, record.id())) {
      addLeaves(c, get(c, child), leaves, path);
    }
    path.remove(record.name());
  }

  private void checkNoCycle(Connection c, String parent, List<String> children) throws SQLException {
    // Everything reachable from the new children, chains included; the parent among them is a cycle.
    List<String> pending = new ArrayList<>(children);
    Set<String> seen = new LinkedHashSet<>();
    while (!pending.isEmpty()) {
      String name = pending.remove(0);
      if (name.equals(parent)) {
        throw new RegistryException(COLLECTION_CYCLE, "Cycle in collection chaining when defining '" + parent
            + "'" + cycleDescription(c, parent, children) + ".");
      }
      if (seen.add(name)) {
        CollectionRecord record = get(c, name);
        if (record.type() == CollectionType.CHAINED) {
          pending.addAll(childrenOf(c, record.id()));
        }
      }
    }
  }

  /** Shows one path back to the parent, e.g. {@code : a -> b -> c -> a}. */
  private String cycleDescription(Connection c, String parent, List<String> children) throws SQLException {
    for (String child : children) {
      List<String> path = pathTo(c, child, parent, new LinkedHashSet<>());
      if (path != null) {
        return ": " + parent + " -> " + String.join(" -> ", path);
      }
    }
    return "";
  }

  private List<String> pathTo(Connection c, String from, String target, Set<String> visited) throws SQLException {
    if (from.equals(target)) {
      return new ArrayList<>(List.of(from));
    }
    if (!visited.add(from)) {
      return null;
    }
    CollectionRecord record = get(c, from);
    if (record.type() == CollectionType.CHAINED) {
      for (String child : childrenOf(c, record.id())) {
        List<String> rest = pathTo(c, child, target, visited);
        if (rest != null) {
          rest.add(0, from);
          return rest;
        }
      }
    }
    return null;
  }

  private void writeChain(Connection c, long parentId, List<String> children) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM collection_chain WHERE parent = ?")) {
      delete.setLong(1, parentId);
      delete.executeUpdate();
    }
    if (children.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO collection_chain (parent, position, child)"
        + " SELECT ?, t.ord - 1, k.collection_id FROM unnest(?::text[]) WITH ORDINALITY AS t(name, ord)"
        + " JOIN collection k ON k.name = t.name")) {
      insert.setLong(1, parentId);
      insert.setArray(2, c.createArrayOf("text", children.toArray()));
      insert.executeUpdate();
    }
  }

  private Optional<CollectionRecord> lock(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT collection_id, name, type, doc FROM collection WHERE name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Removes collections. A RUN takes its datasets with it; a collection that is still a chain's child is refused
   * unless the chain is removed in the same call, so that no chain is silently changed.
   */
  public void remove(Connection c, Collection<String> names) throws SQLException {
    List<CollectionRecord> records = new ArrayList<>();
    for (String name : names) {
      records.add(get(c, name));
    }
    Set<String> removing = new LinkedHashSet<>(names);
    for (CollectionRecord record : records) {
      for (String parent : parents(c, record.name())) {
        if (!removing.contains(parent)) {
          throw new RegistryException(INVALID_ARGUMENT, "Collection '" + record.name()
              + "' is a child of chained collection '" + parent + "'; remove it from that chain first.");
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM collection_chain WHERE parent = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("bigint", records.stream().map(CollectionRecord::id).toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM collection WHERE collection_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("bigint", records.stream().map(CollectionRecord::id).toArray()));
      ps.executeUpdate();
    }
  }

  /** The chains that list {@code name} as a child, sorted by name. */
  public List<String> parents(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT p.name FROM collection_chain cc"
        + " JOIN collection p ON p.collection_id = cc.parent JOIN collection k ON k.collection_id = cc.child"
        + " WHERE k.name = ? ORDER BY p.name")) {
      ps.setString(1, name);
      List<String> parents = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          parents.add(rs.getString(1));
        }
      }
      return parents;
    }
  }

  /** Every collection, by name. */
  public Map<String, CollectionRecord> all(Connection c) throws SQLException {
    Map<String, CollectionRecord> all = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT collection_id, name, type, doc FROM collection");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        CollectionRecord record = record(rs);
        all.put(record.name(), record);
      }
    }
    return all;
  }

  /** Every chain's children, in order, keyed by chain name. */
  public Map<String, List<String>> allChains(Connection c) throws SQLException {
    Map<String, List<String>> chains = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT p.name, k.name FROM collection_chain cc"
        + " JOIN collection p ON p.collection_id = cc.parent JOIN collection k ON k.collection_id = cc.child"
        + " ORDER BY p.name, cc.position");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        chains.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    return chains;
  }

  private static void requireChained(CollectionRecord record) {
    if (record.type() != CollectionType.CHAINED) {
      throw new RegistryException(COLLECTION_TYPE, "Collection '" + record.name() + "' has type "
          + record.type() + ", not CHAINED.");
    }
  }

  private static List<String> dedupe(List<String> names) {
    return new ArrayList<>(new LinkedHashSet<>(names));
  }

  private static CollectionRecord record(ResultSet rs) throws SQLException {
    return new CollectionRecord(rs.getLong(1), rs.getString(2), CollectionType.ofCode(rs.getShort(3)), rs.getString(4));
  }
}
