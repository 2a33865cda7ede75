package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.time.Timespan;
import io.autobutler.testsupport.PostgresServer;

/** butler export of a real registry: what goes in, in daf_butler's order and bytes, and the lossless round trip. */
class RepositoryExporterTest {

  /** The datastore root of the test repositories, which is also where their export files' paths point. */
  private static final String ROOT = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1";
  private static DataSource dataSource;
  private static int namespaces;
  private final RepositoryImporter importer = new RepositoryImporter();
  private final RepositoryExporter exporter = new RepositoryExporter();
  private final ExportFileWriter writer = new ExportFileWriter();

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("exports").dataSource();
  }

  private static Registry freshRegistry() {
    String namespace = "exports_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    return new Registry(dataSource, namespace);
  }

  private static ExportFile read(String text) {
    return new ExportFileReader().read(text);
  }

  private Registry imported(String... resources) throws IOException {
    Registry registry = freshRegistry();
    for (String resource : resources) {
      importer.importFile(registry, read(ExportFileRoundTripTest.resource(resource)), ROOT, Set.of());
    }
    return registry;
  }

  private String exportAll(Registry registry) {
    return writer.write(exporter.export(registry, RepositoryExporter.Selection.of(List.of(), List.of(), null, false),
        ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pretrained-models-export.yaml", "DM-48089-fgcmLookupTable-export.yaml"})
  void rtn103ExportFilesComeBackByteForByte(String name) throws IOException {
    assertThat(exportAll(imported(name))).isEqualTo(ExportFileRoundTripTest.resource(name));
  }

  @Test
  void exportImportExportIsLossless() throws IOException {
    Registry first = imported("pretrained-models-export.yaml", "DM-48089-fgcmLookupTable-export.yaml",
        "rich-export.yaml");
    String exported = exportAll(first);

    Registry second = freshRegistry();
    importer.importFile(second, read(exported), ROOT, Set.of());
    String again = exportAll(second);

    assertThat(again).isEqualTo(exported);
    assertThat(snapshot(second)).isEqualTo(snapshot(first));
    // Sanity of what was compared: every dataset, chain and certification of the three files.
    assertThat(snapshot(first).stream().filter(line -> line.startsWith("dataset ")).count()).isEqualTo(9);
    assertThat(snapshot(first)).contains(
        "chain LSSTComCam/defaults: LSSTComCam/raw/selected,LSSTComCam/calib,skymaps",
        "certified LSSTComCam/calib/DM-48650 0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f [0,1730419200000000000)",
        "tagged LSSTComCam/raw/selected 9e8d7c6b-5a49-4837-a261-504f3e2d1c0b");

    // The export holds both RTN-103 files' content, each dataset with a file entry of its own (daf_butler exports
    // the two biases of one file as two entries), and a file outside the datastore with its absolute URI.
    assertThat(exported).contains("  - dataset_id:\n    - !uuid 'a83d850a-0094-417c-ac9c-64d0f7b98048'\n    data_id:\n"
        + "    - {}\n    path: pretrained_models/tac_cnn_comcam_2025-02-18/pretrainedModelPackage/");
    assertThat(exported).contains("    - &id001 !uuid '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f'\n    data_id:\n"
        + "    - instrument: LSSTComCam\n      detector: 0\n    path: LSSTComCam/calib/DM-48650/run/bias/"
        + "bias_LSSTComCam_R22_S00-S01.fits\n");
    assertThat(exported).contains("    path: davs://example.org:2880/lsst/instrument/raw/LSSTComCam/20241108/");
    ExportFile file = read(exported);
    assertThat(ExportOrdering.sort(file)).isEqualTo(file);
    // Only the records the datasets' data IDs need: not the visit, tract and patch records of rich-export.
    assertThat(file.blocks(DimensionBlock.class).stream().map(DimensionBlock::element).toList())
        .containsExactly("instrument", "skymap", "day_obs", "detector", "group", "physical_filter", "exposure");
  }

  @Test
  void theSelectionChoosesDatasetsCollectionsRecordsAndAssociations() throws IOException {
    Registry registry = imported("rich-export.yaml");
    ExportFile bias2 = exporter.export(registry, RepositoryExporter.Selection.of(List.of("bias"),
        List.of("LSSTComCam/calib"), "detector = 2", false), ROOT);
    assertThat(bias2.blocks(CollectionBlock.class).stream().map(b -> b.type() + " " + b.name()).toList())
        .containsExactly("CALIBRATION LSSTComCam/calib/DM-48650", "RUN LSSTComCam/calib/DM-48650/run",
            "CHAINED LSSTComCam/calib");
    assertThat(bias2.blocks(DatasetBlock.class)).singleElement().satisfies(block -> assertThat(block.records())
        .singleElement().satisfies(f -> assertThat(f.refs()).containsExactly(new DatasetRefData(
            UUID.fromString("2f3e4d5c-6b7a-4988-97a6-b5c4d3e2f1a0"), Map.of("instrument", "LSSTComCam",
            "detector", 2L)))));
    assertThat(bias2.blocks(DimensionBlock.class)).extracting(DimensionBlock::element, b -> b.records().size())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("instrument", 1),
            org.assertj.core.groups.Tuple.tuple("detector", 1));
    assertThat(bias2.blocks(CalibrationAssociationsBlock.class)).singleElement().satisfies(block -> {
      assertThat(block.collection()).isEqualTo("LSSTComCam/calib/DM-48650");
      assertThat(block.validityRanges()).extracting(ValidityRange::timespan).containsExactly(Timespan.ofNanos(
          1731067200000000000L, 1731153600000000000L));
    });

    // Without collections: only the runs of the datasets (so no associations); without records; all raws.
    ExportFile raws = exporter.export(registry, new RepositoryExporter.Selection(List.of("ra*"), List.of(), null,
        Map.of(), false, false, false, true), ROOT);
    assertThat(raws.blocks(CollectionBlock.class)).extracting(CollectionBlock::name)
        .containsExactly("LSSTComCam/raw/all");
    assertThat(raws.blocks(DimensionBlock.class)).isEmpty();
    assertThat(raws.blocks(TaggedAssociationsBlock.class)).isEmpty();
    assertThat(raws.blocks(DatasetBlock.class).get(0).records()).hasSize(3);

    // The TAGGED collection searched: its members, tagged.
    ExportFile selected = exporter.export(registry, RepositoryExporter.Selection.of(List.of(),
        List.of("LSSTComCam/raw/selected"), null, false), ROOT);
    assertThat(selected.blocks(TaggedAssociationsBlock.class)).singleElement().satisfies(block -> assertThat(
        block.datasetIds()).containsExactly(UUID.fromString("9e8d7c6b-5a49-4837-a261-504f3e2d1c0b"),
        UUID.fromString("7c6b5a49-3827-4615-8049-3e2d1c0b9a8f")));
    assertThat(selected.blocks(DatasetBlock.class).get(0).records()).hasSize(2);
  }

  @Test
  void exportCalibsTakesCalibrationCollectionsAndChainsWithTheirCertifiedDatasets() throws IOException {
    Registry registry = imported("rich-export.yaml", "DM-48089-fgcmLookupTable-export.yaml");
    ExportFile calibs = exporter.exportCalibrations(registry, List.of("LSSTComCam/defaults"), List.of(), ROOT);
    assertThat(calibs.blocks(CollectionBlock.class).stream().map(b -> b.type() + " " + b.name()).toList())
        .containsExactly("CALIBRATION LSSTComCam/calib/DM-48650", "RUN LSSTComCam/calib/DM-48650/run",
            "CHAINED LSSTComCam/calib", "CHAINED LSSTComCam/defaults");
    assertThat(calibs.blocks(DatasetBlock.class)).extracting(DatasetBlock::datasetType).containsExactly("bias");
    assertThat(calibs.blocks(DatasetBlock.class).get(0).records()).hasSize(3);
    assertThat(calibs.blocks(CalibrationAssociationsBlock.class).get(0).validityRanges()).hasSize(3);
    assertThat(exporter.exportCalibrations(registry, List.of("LSSTComCam/*"), List.of("defects"), ROOT)
        .blocks(DatasetBlock.class)).isEmpty();
  }

  @Test
  void badSelectionsAreRefusedWithTheReason() throws IOException {
    Registry registry = imported("rich-export.yaml");
    assertThatThrownBy(() -> exporter.export(registry, RepositoryExporter.Selection.of(List.of("biass"), List.of(),
        null, false), ROOT)).isInstanceOf(RegistryException.class)
        .hasMessage("Dataset type biass is not registered.");
    assertThatThrownBy(() -> exporter.export(registry, RepositoryExporter.Selection.of(List.of(), List.of("nope"),
        null, false), ROOT)).isInstanceOf(RegistryException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> exporter.exportCalibrations(registry, List.of("nope"), List.of(), ROOT))
        .isInstanceOf(RegistryException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> exporter.export(registry, RepositoryExporter.Selection.of(List.of("bias"), List.of(),
        "detector =", false), ROOT)).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> exporter.export(registry, RepositoryExporter.Selection.of(List.of(), List.of("LSST*"),
        null, true), ROOT)).isInstanceOf(RegistryException.class).hasMessageContaining("--find-first");
  }

  @Test
  void pathsAreRelativeUnderTheDatastoreRootAndAbsoluteElsewhere() {
    URI root = URI.create("file:///data/repo/");
    assertThat(RepositoryExporter.exportPath("file:///data/repo/a/b.fits", root)).isEqualTo("a/b.fits");
    assertThat(RepositoryExporter.exportPath("file:/data/repo/a/b%20c.fits", root)).isEqualTo("a/b c.fits");
    assertThat(RepositoryExporter.exportPath("file:///data/repo2/a.fits", root)).isEqualTo("file:///data/repo2/a.fits");
    assertThat(RepositoryExporter.exportPath("davs://host/data/repo/a.fits", root))
        .isEqualTo("davs://host/data/repo/a.fits");
    assertThat(RepositoryExporter.exportPath("skymaps/skyMap/x.pickle", root)).isEqualTo("skymaps/skyMap/x.pickle");
    assertThat(RepositoryExporter.exportPath("file:///data/repo/a.fits", null)).isEqualTo("file:///data/repo/a.fits");
  }

  @Test
  void theWriterStreamsTheSameText() throws IOException {
    ExportFile file = read(ExportFileRoundTripTest.resource("rich-export.yaml"));
    StringWriter out = new StringWriter();
    writer.write(file, out);
    assertThat(out.toString()).isEqualTo(ExportFileRoundTripTest.resource("rich-export.yaml"));
  }

  /** The registry's datasets, files, collections, chains, tags and certifications, as sorted lines. */
  private static List<String> snapshot(Registry registry) {
    return registry.transaction(c -> {
      List<String> lines = new ArrayList<>();
      for (String sql : List.of(
          "SELECT 'dataset ' || d.id || ' ' || t.name || ' ' || r.name || ' {' || d.data_id_key || '} ' || f.path"
              + " || ' ' || coalesce(f.formatter, '-') || ' ' || f.storage_class FROM dataset d"
              + " JOIN dataset_type t ON t.id = d.dataset_type_id JOIN collection r ON r.collection_id = d.run_id"
              + " JOIN file_datastore_records f ON f.dataset_id = d.id",
          "SELECT 'type ' || name || ' ' || storage_class || ' ' || array_to_string(dimensions, ',') || ' '"
              + " || is_calibration FROM dataset_type",
          "SELECT 'collection ' || name || ' ' || type || ' ' || coalesce(doc, '-') FROM collection",
          "SELECT 'chain ' || p.name || ': ' || string_agg(k.name, ',' ORDER BY cc.position) FROM collection_chain cc"
              + " JOIN collection p ON p.collection_id = cc.parent JOIN collection k ON k.collection_id = cc.child"
              + " GROUP BY p.name",
          "SELECT 'tagged ' || k.name || ' ' || t.dataset_id FROM dataset_tags t"
              + " JOIN collection k ON k.collection_id = t.collection_id",
          "SELECT 'certified ' || k.name || ' ' || a.dataset_id || ' ' || a.timespan FROM dataset_calibs a"
              + " JOIN collection k ON k.collection_id = a.collection_id")) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            lines.add(rs.getString(1));
          }
        }
      }
      lines.sort(null);
      return lines;
    });
  }
}
