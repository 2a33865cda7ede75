package io.autobutler.core.registry.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager.Decertified;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.dimensions.DimensionRecordManager;
import io.autobutler.core.time.Timespan;
import io.autobutler.testsupport.PostgresServer;

/**
 * daf_butler's Registry.decertify on a real registry: the part of each certification that overlaps the range is
 * taken out (removed, truncated or split), and the database's exclusion constraint still guards what is left.
 */
class DecertifyTest {

  private static final String CALIB = "LSSTComCam/calib";
  private static final String RUN = "LSSTComCam/calib/bias/run";
  private static final long MAX = DimensionRecordManager.MAX_TIME_NS;
  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("decertify").dataSource();
  }

  @BeforeEach
  void registryWithBiases() {
    String namespace = "decertify_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
    RegistryFixtures.comCamExposures(registry);
    registry.transaction(c -> {
      registry.datasetTypes().register(c, "bias", "ExposureF", List.of("instrument", "detector"), true);
      registry.collections().register(c, RUN, CollectionType.RUN, null);
      registry.collections().register(c, CALIB, CollectionType.CALIBRATION, null);
      registry.collections().register(c, "selection", CollectionType.TAGGED, null);
      List<NewDataset> biases = new ArrayList<>();
      for (int detector = 0; detector < 9; detector++) {
        biases.add(new NewDataset(bias(detector), Map.of("instrument", "LSSTComCam", "detector", detector),
            new FileRecord("bias_" + detector + ".fits", "f", null, null, null)));
      }
      registry.datasets().insert(c, registry.datasetTypes().get(c, "bias"), registry.collections().get(c, RUN),
          biases);
      return null;
    });
  }

  private static UUID bias(int detector) {
    return UUID.fromString("00000000-0000-4000-8000-00000000000" + detector);
  }

  private void certify(int detector, Long begin, Long end) {
    registry.transaction(c -> registry.datasets().certify(c, get(c, CALIB), List.of(bias(detector)), begin, end));
  }

  private Decertified decertify(String collection, Timespan span, List<UUID> dataIdsOf) {
    return registry.transaction(c -> registry.datasets().decertify(c, get(c, collection),
        registry.datasetTypes().get(c, "bias"), span, dataIdsOf));
  }

  @Test
  void theRangeIsTakenOutOfEveryOverlappingCertification() {
    certify(0, 120L, 180L);   // inside the range: removed
    certify(1, 50L, 150L);    // overlaps its start: truncated to [50, 100)
    certify(2, 150L, 250L);   // overlaps its end: truncated to [200, 250)
    certify(3, 50L, 250L);    // covers it: split in two
    certify(4, null, null);   // unbounded both ways: split, both pieces unbounded on their outer side
    certify(5, 200L, 300L);   // adjacent after it (half-open): untouched
    certify(6, null, 100L);   // adjacent before it: untouched
    certify(7, 100L, 200L);   // exactly the range: removed
    certify(8, null, 150L);   // unbounded start overlapping it: truncated

    Decertified result = decertify(CALIB, Timespan.ofNanos(100, 200), null);

    assertThat(result).isEqualTo(new Decertified(7, 7));
    assertThat(certifications()).containsExactly(
        "1 [50,100)",
        "2 [200,250)",
        "3 [50,100)", "3 [200,250)",
        "4 [-inf,100)", "4 [200,+inf)",
        "5 [200,300)",
        "6 [-inf,100)",
        "8 [-inf,100)");
    // Each piece still points at its dataset.
    assertThat(count("SELECT count(DISTINCT dataset_id) FROM dataset_calibs WHERE data_id_key LIKE '%detector=3'"))
        .isEqualTo(1);
    // Decertifying the same range again changes nothing.
    assertThat(decertify(CALIB, Timespan.ofNanos(100, 200), null)).isEqualTo(new Decertified(0, 0));
  }

  @Test
  void unboundedRangesAndDataIdRestrictions() {
    certify(0, 100L, 300L);
    certify(1, 100L, 300L);
    certify(2, null, null);
    // [150, +inf) for detector 0 only: the data IDs of the given datasets.
    assertThat(decertify(CALIB, Timespan.ofNanos(150, MAX), List.of(bias(0)))).isEqualTo(new Decertified(1, 1));
    // (-inf, 120) for detectors 1 and 2.
    assertThat(decertify(CALIB, Timespan.ofNanos(0, 120), List.of(bias(1), bias(2))))
        .isEqualTo(new Decertified(2, 2));
    assertThat(certifications()).containsExactly("0 [100,150)", "1 [120,300)", "2 [120,+inf)");
    // No data ID selected: nothing happens (not "every data ID").
    assertThat(decertify(CALIB, Timespan.UNBOUNDED, List.of())).isEqualTo(new Decertified(0, 0));
    // All of time, every data ID: nothing is left.
    assertThat(decertify(CALIB, Timespan.UNBOUNDED, null)).isEqualTo(new Decertified(3, 0));
    assertThat(certifications()).isEmpty();
  }

  @Test
  void theFreedRangeCanBeCertifiedAgainAndOverlapsAreStillRefused() {
    certify(0, 100L, 300L);
    decertify(CALIB, Timespan.ofNanos(150, 200), null);
    certify(0, 160L, 190L);
    assertThat(certifications()).containsExactly("0 [100,150)", "0 [160,190)", "0 [200,300)");
    assertThatThrownBy(() -> certify(0, 140L, 160L)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("Validity range conflict");
  }

  @Test
  void onlyCalibrationCollectionsAndCalibrationTypes() {
    certify(0, 100L, 300L);
    assertThatThrownBy(() -> decertify(RUN, Timespan.UNBOUNDED, null)).isInstanceOf(RegistryException.class)
        .hasMessage("Cannot decertify datasets with collection '" + RUN + "' of type RUN; it must be CALIBRATION.");
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().decertify(c, get(c, CALIB),
        registry.datasetTypes().get(c, "raw"), Timespan.UNBOUNDED, null)))
        .hasMessage("Cannot decertify datasets of dataset type 'raw', which is not a calibration dataset type.");
    assertThat(certifications()).containsExactly("0 [100,300)");
  }

  @Test
  void disassociateOnlyFromTaggedCollectionsAndIgnoresDatasetsNotInThem() {
    registry.transaction(c -> registry.datasets().associate(c, get(c, "selection"), List.of(bias(0), bias(1))));
    assertThat((int) registry.transaction(c -> registry.datasets().disassociate(c, get(c, "selection"),
        List.of(bias(0), bias(5))))).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM dataset_tags")).isEqualTo(1);
    assertThatThrownBy(() -> registry.transaction(c -> registry.datasets().disassociate(c, get(c, CALIB),
        List.of(bias(1))))).isInstanceOf(RegistryException.class)
        .hasMessage("Cannot disassociate datasets with collection '" + CALIB + "' of type CALIBRATION; it must be"
            + " TAGGED.");
    assertThat(count("SELECT count(*) FROM dataset_tags")).isEqualTo(1);
  }

  private static CollectionRecord get(Connection c, String name) throws SQLException {
    return new io.autobutler.core.registry.collections.CollectionManager().get(c, name);
  }

  /** {@code <detector> [begin,end)}, in detector and time order, unbounded ends shown as infinities. */
  private List<String> certifications() {
    return registry.transaction(c -> {
      List<String> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT d.detector, lower(k.timespan), upper(k.timespan)"
          + " FROM dataset_calibs k JOIN dataset d ON d.id = k.dataset_id ORDER BY 1, 2");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long begin = rs.getLong(2);
          long end = rs.getLong(3);
          rows.add(rs.getLong(1) + " [" + (begin == 0 ? "-inf" : begin) + "," + (end == MAX ? "+inf" : end) + ")");
        }
      }
      return rows;
    });
  }

  private long count(String sql) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
