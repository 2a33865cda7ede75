package io.autobutler.core.transfer;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.autobutler.core.datastore.Formatters;
import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.ChainMode;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;

/**
 * {@code butler import} of an export file into a registry, in daf_butler's order: first (committed on its own, as
 * the butler does) dataset types, RUN, TAGGED and CALIBRATION collections, then each chain in file order
 * (redefined); then, in one transaction that a conflict rolls back entirely, dimension records (existing ones
 * kept), datasets per type and run with their files, TAGGED associations and certifications.
 *
 * <p>Only transfer mode {@code direct} exists here: autobutler never copies files; each file record gets the
 * absolute URI of the directory joined with the file's relative path, and a path that climbs out of the directory is
 * refused; a path that is already an absolute URI is recorded as it is.
 */
public final class RepositoryImporter {

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /** What an import did. */
  public record Result(int datasetTypes, int collections, int dimensionRecords, int datasets, int unchangedDatasets,
                       int associations, int certifications) {
  }

  /**
   * Imports {@code file} into {@code registry}.
   *
   * @param directory      the directory (URI) the export's relative paths are joined to; required for direct
   * @param skipDimensions elements whose records are not imported ({@code --skip-dimensions})
   */
  public Result importFile(Registry registry, ExportFile file, String directory, Set<String> skipDimensions) {
    URI root = directoryUri(directory);
    for (String element : skipDimensions) {
      if (universe.element(element).isEmpty()) {
        throw new RegistryException(INVALID_ARGUMENT, "--skip-dimensions: '" + element + "' is not a dimension element");
      }
    }
    int[] registered = registry.transaction(c -> {
      int types = 0;
      int collections = 0;
      for (DatasetTypeBlock type : file.blocks(DatasetTypeBlock.class)) {
        if (registry.datasetTypes().register(c, type.name(), type.storageClass(), type.dimensions(),
            type.isCalibration())) {
          types++;
        }
      }
      List<CollectionBlock> blocks = file.blocks(CollectionBlock.class);
      for (CollectionType order : List.of(CollectionType.RUN, CollectionType.TAGGED, CollectionType.CALIBRATION)) {
        for (CollectionBlock block : blocks) {
          if (block.type() == order && registry.collections().register(c, block.name(), block.type(), block.doc())) {
            collections++;
          }
        }
      }
      for (DatasetBlock datasets : file.blocks(DatasetBlock.class)) {
        if (registry.collections().register(c, datasets.run(), CollectionType.RUN, null)) {
          collections++;
        }
      }
      for (CollectionBlock block : blocks) {
        if (block.type() == CollectionType.CHAINED) {
          if (registry.collections().register(c, block.name(), CollectionType.CHAINED, block.doc())) {
            collections++;
          }
          registry.collections().editChain(c, block.name(), block.children(), ChainMode.REDEFINE, false, null);
        }
      }
      return new int[] {types, collections};
    });

    Result result = registry.transaction(c -> {
      int records = 0;
      Map<String, List<Map<String, Object>>> byElement = new LinkedHashMap<>();
      for (DimensionBlock block : file.blocks(DimensionBlock.class)) {
        if (!skipDimensions.contains(block.element())) {
          List<Map<String, Object>> rows = byElement.computeIfAbsent(block.element(), k -> new ArrayList<>());
          block.records().forEach(record -> rows.add(registryValues(record)));
        }
      }
      for (DimensionElement element : universe.elements()) {
        List<Map<String, Object>> rows = byElement.get(element.name());
        if (rows != null) {
          records += registry.dimensions().insert(c, element.name(), rows, Mode.SKIP_EXISTING);
        }
      }
      int inserted = 0;
      int unchanged = 0;
      for (DatasetBlock block : file.blocks(DatasetBlock.class)) {
        DatasetType type = registry.datasetTypes().get(c, block.datasetType());
        List<NewDataset> datasets = new ArrayList<>();
        for (FileDatasetData fileDataset : block.records()) {
          FileRecord record = new FileRecord(resolve(root, fileDataset.path()),
              fileDataset.formatter() != null ? fileDataset.formatter()
                  : Formatters.forStorageClass(type.storageClass()).orElse(null),
              type.storageClass(), null, null);
          for (DatasetRefData ref : fileDataset.refs()) {
            datasets.add(new NewDataset(ref.id(), ref.dataId(), record));
          }
        }
        var counts = registry.datasets().insert(c, type, registry.collections().get(c, block.run()), datasets);
        inserted += counts.inserted();
        unchanged += counts.unchanged();
      }
      int associated = 0;
      for (TaggedAssociationsBlock block : file.blocks(TaggedAssociationsBlock.class)) {
        associated += registry.datasets().associate(c, registry.collections().get(c, block.collection()),
            block.datasetIds());
      }
      int certified = 0;
      for (CalibrationAssociationsBlock block : file.blocks(CalibrationAssociationsBlock.class)) {
        var collection = registry.collections().get(c, block.collection());
        for (ValidityRange range : block.validityRanges()) {
          List<UUID> ids = uncertified(c, collection.id(), range);
          if (!ids.isEmpty() && !range.timespan().isEmpty()) {
            certified += registry.datasets().certify(c, collection, ids, bound(range.timespan().begin()),
                bound(range.timespan().end()));
          }
        }
      }
      return new Result(registered[0], registered[1], records, inserted, unchanged, associated, certified);
    });
    if (result.dimensionRecords() + result.datasets() + result.associations() + result.certifications()
        >= Registry.STALE_ROWS) {
      List<String> tables = new ArrayList<>(List.of("dataset", "file_datastore_records", "dataset_tags",
          "dataset_calibs", "collection"));
      file.blocks(DimensionBlock.class).forEach(b -> tables.add(b.element()));
      registry.analyze(new java.util.LinkedHashSet<>(tables));
    }
    return result;
  }

  /** The datasets of a range not already certified over exactly that range: re-importing a file is a no-op. */
  private static List<UUID> uncertified(java.sql.Connection c, long collectionId, ValidityRange range)
      throws java.sql.SQLException {
    try (var ps = c.prepareStatement("SELECT i FROM unnest(?::uuid[]) AS i WHERE NOT EXISTS (SELECT 1 FROM"
        + " dataset_calibs k WHERE k.collection_id = ? AND k.dataset_id = i AND k.timespan = ?::int8range)")) {
      ps.setArray(1, c.createArrayOf("uuid", range.datasetIds().toArray()));
      ps.setLong(2, collectionId);
      ps.setString(3, range.timespan().toPostgresRange());
      List<UUID> ids = new ArrayList<>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
      return ids;
    }
  }

  private static Long bound(TaiTime time) {
    return time == null ? null : time.toRegistryNanos();
  }

  /** A dimension record as the registry takes it: times as TAI ns, regions as base64 text. */
  private static Map<String, Object> registryValues(DimensionRecordData record) {
    Map<String, Object> values = new LinkedHashMap<>();
    record.values().forEach((field, value) -> {
      if (value instanceof TaiTime time) {
        values.put(field, time.toRegistryNanos());
      } else if (value instanceof Region region) {
        values.put(field, region.base64());
      } else {
        values.put(field, value);
      }
    });
    Timespan timespan = record.timespan();
    if (timespan != null && timespan.isEmpty()) {
      values.put("datetime_begin", null);
      values.put("datetime_end", null);
    }
    return values;
  }

  private static URI directoryUri(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new RegistryException(INVALID_ARGUMENT, "transfer direct needs the DIRECTORY the export's paths are"
          + " relative to");
    }
    try {
      URI uri = new URI(directory.strip());
      if (uri.getScheme() == null) {
        uri = new URI("file", null, uri.getPath(), null);
      }
      if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new RegistryException(INVALID_ARGUMENT, "DIRECTORY '" + directory + "' must be absolute");
      }
      String path = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
      return new URI(uri.getScheme(), uri.getAuthority(), path, null, null);
    } catch (URISyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "DIRECTORY '" + directory + "' is not a valid URI: "
          + e.getReason());
    }
  }

  /**
   * The absolute URI of a file of the export: the directory joined with its relative path, which may not climb out
   * of the directory. A path that is already an absolute URI is kept as it is, as daf_butler's join does.
   */
  static String resolve(URI root, String path) {
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return path;
    }
    if (path.startsWith("/")) {
      throw new RegistryException(INVALID_ARGUMENT, "file path '" + path + "' is absolute: export paths are"
          + " relative to the import directory " + root);
    }
    URI joined;
    try {
      joined = root.resolve(new URI(null, null, path, null)).normalize();
    } catch (URISyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "file path '" + path + "' is not valid: " + e.getReason());
    }
    if (!joined.toString().startsWith(root.toString()) || joined.getPath().contains("/../")) {
      throw new RegistryException(INVALID_ARGUMENT, "file path '" + path + "' leaves the import directory "
          + withAuthority(root) + "; refusing it");
    }
    return withAuthority(joined);
  }

  /** java.net.URI writes file URIs without authority as {@code file:/path}; the butler writes {@code file:///path}. */
  private static String withAuthority(URI uri) {
    String text = uri.toString();
    return text.startsWith("file:/") && !text.startsWith("file://") ? "file://" + text.substring("file:".length()) : text;
  }
}
