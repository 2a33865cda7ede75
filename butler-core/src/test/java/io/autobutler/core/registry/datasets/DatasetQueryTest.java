package io.autobutler.core.registry.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.ChainMode;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.table.TextTable;
import io.autobutler.testsupport.PostgresServer;

/** query-datasets on a real registry: chains in order, find-first, --where, limits and the butler's table. */
class DatasetQueryTest {

  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("queries").dataSource();
  }

  @BeforeEach
  void eighteenRaws() {
    String namespace = "queries_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    RegistryFixtures.comCamExposures(registry);
    insert(RegistryFixtures.RAW_RUN, List.of(RegistryFixtures.SCIENCE_EXPOSURE, RegistryFixtures.BIAS_EXPOSURE), 9);
  }

  private void insert(String run, List<Long> exposures, int detectors) {
    registry.transaction(c -> {
      registry.collections().register(c, run, CollectionType.RUN, null);
      List<NewDataset> raws = new ArrayList<>();
      for (long exposure : exposures) {
        for (int detector = 0; detector < detectors; detector++) {
          Map<String, Object> dataId = Map.of("instrument", "LSSTComCam", "exposure", exposure, "detector", detector);
          raws.add(new NewDataset(DatasetIds.forRun("raw", run, dataId), dataId,
              new FileRecord("davs://host/" + run + "/" + exposure + "_" + detector + ".fits", "f", null, null, 1L)));
        }
      }
      return registry.datasets().insert(c, registry.datasetTypes().get(c, "raw"), registry.collections().get(c, run),
          raws);
    });
  }

  private DatasetQuery.Result query(List<String> collections, String where, boolean findFirst, int limit,
                                    boolean showUri) {
    return registry.transaction(c -> new DatasetQuery().query(c, new DatasetQuery.Request(List.of("raw"),
        collections, where, Map.of(), findFirst, limit, showUri)));
  }

  @Test
  void printsTheButlersTableForOneRaw() {
    DatasetQuery.Result result = query(List.of(RegistryFixtures.RAW_RUN), "exposure = 2024112600111 AND detector = 4",
        false, -20000, false);
    assertThat(result.tables()).hasSize(1);
    // The reference layout of butler query-datasets for this raw (the id is daf_butler's UUIDv5 for it).
    assertThat(result.tables().get(0).lines(TextTable.Align.RIGHT)).containsExactly(
        "type        run                          id                  instrument detector    exposure   band day_obs"
            + "           group          physical_filter",
        "---- ------------------ ------------------------------------ ---------- -------- ------------- ---- --------"
            + " ----------------------- ---------------",
        " raw LSSTComCam/raw/all 9499cce5-98e8-51e5-973b-be274ad36141 LSSTComCam        4 2024112600111    r 20241126"
            + " 2024-11-27T05:12:33.123            r_03");
  }

  @Test
  void whereSelectsScienceRawsInTheButlersOrder() {
    List<List<String>> rows = query(List.of(RegistryFixtures.RAW_RUN), "exposure.observation_type='science'", false,
        0, false).tables().get(0).rows();
    assertThat(rows).hasSize(9);
    assertThat(rows).extracting(r -> r.get(4)).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8");
    assertThat(rows).allSatisfy(r -> assertThat(r.get(5)).isEqualTo("2024112600111"));
    assertThat(query(List.of(RegistryFixtures.RAW_RUN), "band = 'r' AND detector IN (0..8:4)", false, 0, false)
        .tables().get(0).rows()).hasSize(6);
    assertThat(query(List.of(RegistryFixtures.RAW_RUN), "band = 'g'", false, 0, false).tables()).isEmpty();
    assertThatThrownBy(() -> query(List.of(RegistryFixtures.RAW_RUN), "exposure.observation_type = ", false, 0, false))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("End of input");
  }

  @Test
  void chainsAreSearchedInOrderAndFindFirstKeepsTheFirst() {
    insert("reprocessed", List.of(RegistryFixtures.SCIENCE_EXPOSURE), 2);
    registry.transaction(c -> registry.collections().editChain(c, "defaults",
        List.of("reprocessed", RegistryFixtures.RAW_RUN), ChainMode.REDEFINE, false, null));
    List<List<String>> all = query(List.of("defaults"), "exposure = 2024112600111", false, 0, false)
        .tables().get(0).rows();
    assertThat(all).hasSize(11);
    List<List<String>> first = query(List.of("defaults"), "exposure = 2024112600111", true, 0, true)
        .tables().get(0).rows();
    assertThat(first).hasSize(9);
    assertThat(first.subList(0, 2)).extracting(r -> r.get(1)).containsOnly("LSSTComCam/raw/all");
    assertThat(first).filteredOn(r -> r.get(1).equals("reprocessed")).hasSize(2)
        .allSatisfy(r -> assertThat(r.get(r.size() - 1)).startsWith("davs://host/reprocessed/"));
    assertThatThrownBy(() -> query(List.of("LSST*"), "", true, 0, false)).hasMessageContaining("--find-first needs");
  }

  @Test
  void limitsFollowTheButler() {
    DatasetQuery.Result capped = query(List.of(RegistryFixtures.RAW_RUN), "", false, -5, false);
    assertThat(capped.tables().get(0).rows()).hasSize(5);
    assertThat(capped.warnings()).containsExactly("Requested limit of 5 hit for number of datasets returned. Use"
        + " --limit to increase this limit.");
    DatasetQuery.Result exact = query(List.of(RegistryFixtures.RAW_RUN), "", false, 5, false);
    assertThat(exact.tables().get(0).rows()).hasSize(5);
    assertThat(exact.warnings()).isEmpty();
    assertThat(query(List.of(RegistryFixtures.RAW_RUN), "", false, 0, false).tables().get(0).rows()).hasSize(18);
    assertThat(query(List.of(RegistryFixtures.RAW_RUN), "", false, -18, false).warnings()).isEmpty();
  }
}
