package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.testsupport.PostgresServer;

/** butler import of RTN-103's export files and of a file with every record type, into a real registry. */
class RepositoryImporterTest {

  private static final String ANCILLARY = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/ancillary/";
  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;
  private final RepositoryImporter importer = new RepositoryImporter();

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("imports").dataSource();
  }

  @BeforeEach
  void freshRegistry() {
    String namespace = "imports_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
  }

  private static ExportFile export(String name) throws IOException {
    try (InputStream in = RepositoryImporterTest.class.getResourceAsStream("/exports/" + name)) {
      return new ExportFileReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void rtn103FgcmExportIsImportedWithDirectUrisAndTwiceIsANoOp() throws IOException {
    ExportFile fgcm = export("DM-48089-fgcmLookupTable-export.yaml");
    RepositoryImporter.Result first = importer.importFile(registry, fgcm, ANCILLARY, Set.of());
    assertThat(first).isEqualTo(new RepositoryImporter.Result(1, 1, 1, 1, 0, 0, 0));
    assertThat(rows("SELECT d.id::text, f.path, f.formatter, f.storage_class FROM dataset d"
        + " JOIN file_datastore_records f ON f.dataset_id = d.id")).containsExactly(List.of(
        "bb573ca3-6159-45d9-88e3-866e01da4882",
        ANCILLARY + "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/fgcmLookUpTable_LSSTComCam_LSSTComCam_calib"
            + "_fgcmcal_DM-48089.fits",
        "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter", "Catalog"));
    assertThat(importer.importFile(registry, fgcm, ANCILLARY, Set.of()))
        .isEqualTo(new RepositoryImporter.Result(0, 0, 0, 0, 1, 0, 0));
    importer.importFile(registry, export("pretrained-models-export.yaml"), ANCILLARY.replaceAll("/$", ""), Set.of());
    assertThat(rows("SELECT name FROM collection ORDER BY name")).containsExactly(
        List.of("LSSTComCam/calib/fgcmcal/DM-48089"), List.of("pretrained_models/tac_cnn_comcam_2025-02-18"));
  }

  @Test
  void everyRecordTypeIsImported() throws IOException {
    RepositoryImporter.Result result = importer.importFile(registry, export("rich-export.yaml"), "file:///data/repo",
        Set.of());
    assertThat(result.datasets()).isEqualTo(7);
    assertThat(result.associations()).isEqualTo(2);
    // The EMPTY range certifies nothing, as in daf_butler.
    assertThat(result.certifications()).isEqualTo(4);
    assertThat(rows("SELECT p.name, string_agg(k.name, ',' ORDER BY cc.position) FROM collection_chain cc"
        + " JOIN collection p ON p.collection_id = cc.parent JOIN collection k ON k.collection_id = cc.child"
        + " GROUP BY p.name ORDER BY p.name")).containsExactly(
        List.of("LSSTComCam/calib", "LSSTComCam/calib/DM-48650"),
        List.of("LSSTComCam/defaults", "LSSTComCam/raw/selected,LSSTComCam/calib,skymaps"));
    assertThat(rows("SELECT path FROM file_datastore_records f JOIN dataset d ON d.id = f.dataset_id"
        + " WHERE d.id = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f'")).containsExactly(List.of(
        "file:///data/repo/LSSTComCam/calib/DM-48650/run/bias/bias_LSSTComCam_R22_S00-S01.fits"));
    assertThat(rows("SELECT count(*) FROM exposure")).containsExactly(List.of("1"));
    assertThat(rows("SELECT count(*) FROM visit_definition")).containsExactly(List.of("1"));
    assertThat(importer.importFile(registry, export("rich-export.yaml"), "file:///data/repo", Set.of()))
        .isEqualTo(new RepositoryImporter.Result(0, 0, 0, 0, 7, 0, 0));
  }

  @Test
  void skipDimensionsLeavesThoseRecordsOut() throws IOException {
    ExportFile fgcm = export("DM-48089-fgcmLookupTable-export.yaml");
    // Without the instrument record, the dataset cannot refer to its instrument: the load fails and rolls back,
    // while the dataset type and the run stay registered, as in the butler.
    assertThatThrownBy(() -> importer.importFile(registry, fgcm, ANCILLARY, Set.of("instrument")))
        .isInstanceOf(Registry.RegistryDatabaseException.class).hasMessageContaining("instrument");
    assertThat(rows("SELECT count(*) FROM dataset")).containsExactly(List.of("0"));
    assertThat(rows("SELECT name FROM collection")).containsExactly(List.of("LSSTComCam/calib/fgcmcal/DM-48089"));
    assertThatThrownBy(() -> importer.importFile(registry, fgcm, ANCILLARY, Set.of("instrumnet")))
        .hasMessageContaining("'instrumnet' is not a dimension element");
  }

  @Test
  void conflictsNameTheDatasetAndRollTheDatasetPartBack() throws IOException {
    importer.importFile(registry, export("DM-48089-fgcmLookupTable-export.yaml"), ANCILLARY, Set.of());
    String moved = new ExportFileWriter().write(export("DM-48089-fgcmLookupTable-export.yaml"))
        .replace("run: LSSTComCam/calib/fgcmcal/DM-48089", "run: LSSTComCam/calib/fgcmcal/DM-99999")
        .replace("name: LSSTComCam/calib/fgcmcal/DM-48089", "name: LSSTComCam/calib/fgcmcal/DM-99999");
    assertThatThrownBy(() -> importer.importFile(registry, new ExportFileReader().read(moved), ANCILLARY, Set.of()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("Conflicting definition for dataset bb573ca3-6159-45d9-88e3-866e01da4882")
        .hasMessageContaining("in run LSSTComCam/calib/fgcmcal/DM-48089");
    assertThat(rows("SELECT count(*) FROM dataset")).containsExactly(List.of("1"));
  }

  @Test
  void pathsMayNotLeaveTheDirectory() {
    URI root = URI.create("davs://host:2880/lsst/instrument/ancillary/");
    assertThat(RepositoryImporter.resolve(root, "a/b.fits")).isEqualTo("davs://host:2880/lsst/instrument/ancillary/a/b.fits");
    assertThat(RepositoryImporter.resolve(root, "s3://bucket/x.fits")).isEqualTo("s3://bucket/x.fits");
    assertThatThrownBy(() -> RepositoryImporter.resolve(root, "../../raw/x.fits")).hasMessageContaining("leaves the import directory");
    assertThatThrownBy(() -> RepositoryImporter.resolve(root, "a/../../x.fits")).hasMessageContaining("leaves the import directory");
    assertThatThrownBy(() -> RepositoryImporter.resolve(root, "/etc/passwd")).hasMessageContaining("is absolute");
  }

  private List<List<String>> rows(String sql) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
        return rows;
      }
    });
  }
}
