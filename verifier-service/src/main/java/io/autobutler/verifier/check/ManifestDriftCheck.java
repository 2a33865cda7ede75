package io.autobutler.verifier.check;

import static io.autobutler.verifier.check.CheckContext.item;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;

/**
 * Manifest drift: each chain the manifest declares ({@code chain:NAME}) against the children it holds, as a diff of
 * the two lists (missing, extra and misplaced children, each a line {@code - child}, {@code + child},
 * {@code ~ child}), and each tagged selection ({@code tagged:NAME}) against what its query finds now (members
 * missing: an error; members the query no longer finds: a warning, since convergence, like {@code associate}, only
 * adds). The declared tree is read with butler-core's {@link DeclaredCollections}, as catalog-service converges it.
 */
@ApplicationScoped
public class ManifestDriftCheck implements Check {

  private final DatasetQuery query = new DatasetQuery();

  @Override
  public String name() {
    return Checks.MANIFEST_DRIFT;
  }

  @Override
  public List<VerificationReport> run(CheckContext context) {
    if (context.manifest().isEmpty()) {
      return List.of();
    }
    CampaignManifest manifest = context.manifest().get();
    return context.registry().transaction(c -> {
      List<VerificationReport> reports = new ArrayList<>();
      for (Chain chain : DeclaredCollections.childrenFirst(manifest.chains())) {
        reports.add(chain(context, c, chain));
      }
      for (Tagged tagged : manifest.tagged()) {
        reports.add(tagged(context, c, tagged));
      }
      return reports;
    });
  }

  private VerificationReport chain(CheckContext context, Connection c, Chain chain) throws SQLException {
    ReportBuilder report = context.report(name(), "chain:" + chain.name());
    Optional<CollectionRecord> existing = context.registry().collections().find(c, chain.name());
    List<String> declared = chain.children();
    report.count("declared_children", declared.size());
    if (existing.isEmpty() || existing.get().type() != CollectionType.CHAINED) {
      String kind = existing.isEmpty() ? "missing-chain" : "not-a-chain";
      report.count("actual_children", 0).count("missing", declared.size()).count("extra", 0).count("misplaced", 0);
      report.item(Severity.ERROR, item("kind", kind, "line", "- " + chain.name(), "collection", chain.name(),
          "type", existing.map(r -> r.type().name()).orElse(null)));
      report.problem(existing.isEmpty() ? "the chain does not exist"
          : "the name is a " + existing.get().type().name() + " collection, not a chain");
      return report.build(context.now(), null);
    }
    List<String> actual = context.registry().collections().children(c, chain.name());
    report.count("actual_children", actual.size());
    Set<String> actualSet = new HashSet<>(actual);
    Set<String> declaredSet = new HashSet<>(declared);
    // The common children in declared order and in actual order: those out of place are the ones not in the
    // longest common ordered run of the two sequences.
    List<String> commonDeclared = declared.stream().filter(actualSet::contains).toList();
    List<String> commonActual = actual.stream().filter(declaredSet::contains).toList();
    Set<String> inOrder = new HashSet<>(longestCommonSubsequence(commonDeclared, commonActual));
    long missing = 0;
    long extra = 0;
    long misplaced = 0;
    for (int i = 0; i < declared.size(); i++) {
      String child = declared.get(i);
      if (!actualSet.contains(child)) {
        missing++;
        report.item(Severity.ERROR, item("kind", "missing-child", "line", "- " + child, "child", child,
            "declared_position", i + 1));
      } else if (!inOrder.contains(child)) {
        misplaced++;
        report.item(Severity.ERROR, item("kind", "misplaced-child", "line", "~ " + child, "child", child,
            "declared_position", i + 1, "actual_position", actual.indexOf(child) + 1));
      }
    }
    for (int i = 0; i < actual.size(); i++) {
      if (!declaredSet.contains(actual.get(i))) {
        extra++;
        report.item(Severity.ERROR, item("kind", "extra-child", "line", "+ " + actual.get(i), "child", actual.get(i),
            "actual_position", i + 1));
      }
    }
    report.count("missing", missing).count("extra", extra).count("misplaced", misplaced);
    if (missing > 0) {
      report.problem(missing + " declared children missing");
    }
    if (extra > 0) {
      report.problem(extra + " children not declared");
    }
    if (misplaced > 0) {
      report.problem(misplaced + " children out of order");
    }
    return report.build(context.now(), actual.size() + " of " + declared.size() + " children");
  }

  private static List<String> longestCommonSubsequence(List<String> a, List<String> b) {
    int[][] length = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        length[i][j] = a.get(i).equals(b.get(j)) ? length[i + 1][j + 1] + 1
            : Math.max(length[i + 1][j], length[i][j + 1]);
      }
    }
    List<String> common = new ArrayList<>();
    for (int i = 0, j = 0; i < a.size() && j < b.size(); ) {
      if (a.get(i).equals(b.get(j))) {
        common.add(a.get(i));
        i++;
        j++;
      } else if (length[i + 1][j] >= length[i][j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    return common;
  }

  private VerificationReport tagged(CheckContext context, Connection c, Tagged tagged) throws SQLException {
    ReportBuilder report = context.report(name(), "tagged:" + tagged.name());
    List<String> searchPath = DeclaredCollections.searchPath(context.registry(), c, tagged.collections());
    List<UUID> found = DeclaredCollections.selected(query, c, tagged, searchPath);
    Optional<CollectionRecord> existing = context.registry().collections().find(c, tagged.name());
    report.count("selected", found.size());
    if (existing.isEmpty() || existing.get().type() != CollectionType.TAGGED) {
      report.count("members", 0);
      if (existing.isPresent()) {
        report.item(Severity.ERROR, item("kind", "not-tagged", "collection", tagged.name(),
            "type", existing.get().type().name()));
        report.problem("the name is a " + existing.get().type().name() + " collection, not TAGGED");
      } else if (!found.isEmpty()) {
        report.item(Severity.ERROR, item("kind", "missing-collection", "collection", tagged.name(),
            "selected", found.size()));
        report.problem("the TAGGED collection does not exist while its query finds " + found.size() + " datasets");
      }
      return report.build(context.now(), null);
    }
    Map<UUID, String> members = members(c, existing.get());
    report.count("members", members.size());
    Map<UUID, String> dataIds = dataIds(c, found);
    Set<UUID> foundSet = new HashSet<>(found);
    long missing = 0;
    for (UUID id : found) {
      if (!members.containsKey(id)) {
        missing++;
        report.item(Severity.ERROR, item("kind", "missing-member", "line", "- " + dataIds.get(id), "dataset", id,
            "data_id", dataIds.get(id)));
      }
    }
    long extra = 0;
    for (Map.Entry<UUID, String> member : members.entrySet()) {
      if (!foundSet.contains(member.getKey())) {
        extra++;
        report.item(Severity.WARNING, item("kind", "extra-member", "line", "+ " + member.getValue(),
            "dataset", member.getKey(), "data_id", member.getValue()));
      }
    }
    report.count("missing", missing).count("extra", extra);
    if (missing > 0) {
      report.problem(missing + " selected datasets not tagged");
    }
    if (extra > 0) {
      report.problem(extra + " members the query no longer selects");
    }
    return report.build(context.now(), members.size() + " members, " + found.size() + " selected");
  }

  private static Map<UUID, String> members(Connection c, CollectionRecord tagged) throws SQLException {
    Map<UUID, String> members = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT dataset_id, data_id_key FROM dataset_tags"
        + " WHERE collection_id = ? ORDER BY data_id_key")) {
      ps.setLong(1, tagged.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.put(rs.getObject(1, UUID.class), rs.getString(2));
        }
      }
    }
    return members;
  }

  private static Map<UUID, String> dataIds(Connection c, List<UUID> ids) throws SQLException {
    Map<UUID, String> keys = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return keys;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, data_id_key FROM dataset WHERE id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.put(rs.getObject(1, UUID.class), rs.getString(2));
        }
      }
    }
    return keys;
  }
}
