package io.autobutler.core.registry.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.CollectionQuery.ChainsMode;
import io.autobutler.core.table.TextTable;
import io.autobutler.testsupport.PostgresServer;

/** Chains, cycles and query-collections on a real registry, against daf_butler's reference sequences. */
class CollectionManagerTest {

  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("collections").dataSource();
  }

  @BeforeEach
  void freshRegistry() {
    String namespace = "chains_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
  }

  private void register(String name, CollectionType type) {
    registry.transaction(c -> registry.collections().register(c, name, type, null));
  }

  private List<String> chain(String parent, ChainMode mode, boolean flatten, String... children) {
    return registry.transaction(c -> registry.collections().editChain(c, parent, List.of(children), mode, flatten, null));
  }

  private List<String> children(String chain) {
    return registry.transaction(c -> registry.collections().children(c, chain));
  }

  /** daf_butler's test repository for collection-chain: chain1=[tag1, run1, chain2], chain2=[calibration1, run1]. */
  private void referenceRepository() {
    register("calibration1", CollectionType.CALIBRATION);
    register("tag1", CollectionType.TAGGED);
    for (String run : List.of("run1", "run2", "run3", "run4")) {
      register(run, CollectionType.RUN);
    }
    chain("chain2", ChainMode.REDEFINE, false, "calibration1", "run1");
    chain("chain1", ChainMode.REDEFINE, false, "tag1", "run1", "chain2");
  }

  @Test
  void everyModeFollowsTheReferenceSequence() {
    referenceRepository();
    assertThat(chain("chain1", ChainMode.POP, false)).containsExactly("run1", "chain2");
    assertThat(chain("chain1", ChainMode.EXTEND, false, "run2", "run3")).containsExactly("run1", "chain2", "run2", "run3");
    assertThat(chain("chain1", ChainMode.REMOVE, false, "chain2", "run2")).containsExactly("run1", "run3");
    assertThat(chain("chain1", ChainMode.PREPEND, false, "chain2", "run2"))
        .containsExactly("chain2", "run2", "run1", "run3");
    assertThat(chain("chain1", ChainMode.POP, false, "1", "3")).containsExactly("chain2", "run1");
    assertThat(chain("chain1", ChainMode.REDEFINE, true, "chain2", "run2", "run3", "run4"))
        .containsExactly("calibration1", "run1", "run2", "run3", "run4");
    assertThat(chain("chain1", ChainMode.POP, false, "-1", "-3")).containsExactly("calibration1", "run1", "run3");
    // What was written is what is read back.
    assertThat(children("chain1"))
        .containsExactly("calibration1", "run1", "run3");
  }

  @Test
  void prependAndExtendMoveExistingChildrenAndDuplicatesCollapse() {
    referenceRepository();
    assertThat(chain("chain1", ChainMode.EXTEND, false, "tag1")).containsExactly("run1", "chain2", "tag1");
    assertThat(chain("chain1", ChainMode.PREPEND, false, "chain2")).containsExactly("chain2", "run1", "tag1");
    assertThat(chain("chain1", ChainMode.REDEFINE, false, "run2", "run3", "run2")).containsExactly("run2", "run3");
  }

  @Test
  void missingParentsAndChildrenAndWrongTypes() {
    referenceRepository();
    assertThat(chain("newchain", ChainMode.EXTEND, false, "run1")).containsExactly("run1");
    assertThatThrownBy(() -> chain("nochain", ChainMode.REMOVE, false, "run1"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Mode 'remove' requires that the collection exists but collection 'nochain' is not known to"
            + " this registry");
    assertThatThrownBy(() -> chain("nochain", ChainMode.POP, false)).hasMessageContaining("Mode 'pop' requires");
    assertThatThrownBy(() -> chain("chain1", ChainMode.EXTEND, false, "ghost"))
        .hasMessage("No collection with name 'ghost' found.");
    assertThatThrownBy(() -> chain("run1", ChainMode.REDEFINE, false, "run2"))
        .hasMessage("Collection 'run1' has type RUN, not CHAINED.");
    assertThatThrownBy(() -> chain("chain1", ChainMode.POP, false, "3"))
        .hasMessageContaining("Index 3 is out of range");
    assertThatThrownBy(() -> chain("chain1", ChainMode.REMOVE, true, "run1"))
        .hasMessageContaining("--flatten can only be used with");
    assertThatThrownBy(() -> register("run1", CollectionType.TAGGED))
        .hasMessage("Collection 'run1' already exists with type RUN, not TAGGED.");
    // A failed edit changes nothing.
    assertThat(children("chain1"))
        .containsExactly("tag1", "run1", "chain2");
  }

  @Test
  void cyclesAreRefusedWithThePathShown() {
    referenceRepository();
    chain("chain3", ChainMode.REDEFINE, false, "chain1");
    assertThatThrownBy(() -> chain("chain2", ChainMode.EXTEND, false, "chain3"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Cycle in collection chaining when defining 'chain2': chain2 -> chain3 -> chain1 -> chain2.")
        .extracting(e -> ((RegistryException) e).kind()).isEqualTo(RegistryException.Kind.COLLECTION_CYCLE);
    assertThatThrownBy(() -> chain("chain1", ChainMode.PREPEND, false, "chain1"))
        .hasMessageContaining("Cycle in collection chaining when defining 'chain1'");
    assertThat(children("chain2"))
        .containsExactly("calibration1", "run1");
  }

  @Test
  void removingAChildOfAChainIsRefusedUnlessTheChainGoesToo() {
    referenceRepository();
    assertThatThrownBy(() -> registry.transaction(c -> {
      registry.collections().remove(c, List.of("run1"));
      return null;
    })).hasMessageContaining("'run1' is a child of chained collection 'chain1'");
    registry.transaction(c -> {
      registry.collections().remove(c, List.of("chain1", "chain2", "run1"));
      return null;
    });
    assertThat(new ArrayList<>(registry.transaction(c -> registry.collections().all(c)).keySet()))
        .containsExactly("calibration1", "run2", "run3", "run4", "tag1");
  }

  @Test
  void queryCollectionsModes() {
    referenceRepository();
    CollectionQuery query = registry.transaction(c -> new CollectionQuery(registry.collections().all(c),
        registry.collections().allChains(c)));
    assertThat(query.table(List.of("chain1"), Set.of(), ChainsMode.TREE).lines(TextTable.Align.LEFT)).containsExactly(
        "      Name           Type   ",
        "---------------- -----------",
        "chain1           CHAINED    ",
        "  tag1           TAGGED     ",
        "  run1           RUN        ",
        "  chain2         CHAINED    ",
        "    calibration1 CALIBRATION",
        "    run1         RUN        ");
    assertThat(query.table(List.of("chain*"), Set.of(), ChainsMode.TABLE).lines(TextTable.Align.LEFT)).containsExactly(
        " Name    Type    Children  ",
        "------ ------- ------------",
        "chain1 CHAINED tag1        ",
        "               run1        ",
        "               chain2      ",
        "chain2 CHAINED calibration1",
        "               run1        ");
    assertThat(query.table(List.of("run1"), Set.of(), ChainsMode.INVERSE_TREE).lines(TextTable.Align.LEFT)).containsExactly(
        "   Name      Type ",
        "---------- -------",
        "run1       RUN    ",
        "  chain1   CHAINED",
        "  chain2   CHAINED",
        "    chain1 CHAINED");
    assertThat(query.table(List.of("chain1"), Set.of(), ChainsMode.FLATTEN).lines(TextTable.Align.LEFT)).containsExactly(
        "    Name         Type   ",
        "------------ -----------",
        "tag1         TAGGED     ",
        "run1         RUN        ",
        "calibration1 CALIBRATION");
    assertThat(query.table(List.of("run?", "tag[0-9]"), Set.of(CollectionType.RUN), ChainsMode.NO_CHILDREN)
        .lines(TextTable.Align.LEFT)).containsExactly(
        "Name Type",
        "---- ----",
        "run1 RUN ",
        "run2 RUN ",
        "run3 RUN ",
        "run4 RUN ");
  }

  @Test
  void rtn103DefaultsTreeIsReproducedCharacterForCharacter() throws IOException {
    List<String> expected;
    try (InputStream in = getClass().getResourceAsStream("/rtn103/defaults-tree.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    // Rebuild the collections from the expected tree: leaves first, then each chain with its children in order.
    List<String[]> rows = new ArrayList<>();
    for (String line : expected.subList(2, expected.size())) {
      String name = line.substring(0, 74).stripTrailing();
      rows.add(new String[] {name.strip(), line.substring(75).strip(), Integer.toString((name.length() - name.strip().length()) / 2)});
    }
    for (String[] row : rows) {
      if (!row[1].equals("CHAINED")) {
        register(row[0], CollectionType.valueOf(row[1]));
      }
    }
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i)[1].equals("CHAINED")) {
        int level = Integer.parseInt(rows.get(i)[2]);
        List<String> children = new ArrayList<>();
        for (int j = i + 1; j < rows.size() && Integer.parseInt(rows.get(j)[2]) > level; j++) {
          if (Integer.parseInt(rows.get(j)[2]) == level + 1) {
            children.add(rows.get(j)[0]);
          }
        }
        chain(rows.get(i)[0], ChainMode.REDEFINE, false, children.toArray(String[]::new));
      }
    }
    CollectionQuery query = registry.transaction(c -> new CollectionQuery(registry.collections().all(c),
        registry.collections().allChains(c)));
    assertThat(query.table(List.of("LSSTComCam/DP1/defaults"), Set.of(), ChainsMode.TREE).lines(TextTable.Align.LEFT))
        .containsExactlyElementsOf(expected);
    assertThat(rows).hasSize(59);
  }
}
