package io.autobutler.core.transfer;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;
import static io.autobutler.core.registry.RegistryException.Kind.MISSING_DATASET_TYPE;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.query.expr.ExpressionParser;
import io.autobutler.core.query.expr.QueryContext;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionManager;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.registry.datasets.DatasetTypeManager;
import io.autobutler.core.registry.datasets.FoundDatasets;
import io.autobutler.core.registry.dimensions.DimensionRecordManager;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;

/**
 * A registry's content as an export file, with what daf_butler's {@code butler.export()} writes
 * ({@code transfers/_context.py}): the datasets with their dataset types, their RUN collections and the dimension
 * records of their data IDs (implied dimensions included); the collections asked for, CHAINED ones with their
 * definition; and the TAGGED and CALIBRATION associations between the exported collections and the exported
 * datasets. The result is in daf_butler's order ({@link ExportOrdering}), ready for {@link ExportFileWriter}.
 *
 * <p>Files are exported in place, as daf_butler does with no transfer: a file under the datastore root gets its path
 * relative to the root, any other keeps its absolute URI. Each dataset gets a file entry of its own, as daf_butler's
 * datastore exports them. Everything is read in one transaction.
 */
public final class RepositoryExporter {

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[]");

  private final DimensionUniverse universe = DimensionUniverse.v7();
  private final DatasetQuery datasetQuery = new DatasetQuery();
  private final CollectionManager collections = new CollectionManager();
  private final DatasetTypeManager datasetTypes = new DatasetTypeManager();
  private final DimensionRecordManager dimensions = new DimensionRecordManager();

  /**
   * What {@link #export} writes.
   *
   * @param datasetTypes        dataset type names or globs (none: all)
   * @param collections         collection names or globs searched for datasets (none: all)
   * @param where               a {@code --where} expression on the datasets, or null
   * @param binds               values of its {@code :name} binds
   * @param findFirst           only the first dataset found per data ID, in collection order
   * @param includeCollections  also the collections searched, each chain with its children (recursively); without
   *                            it only the RUNs of the datasets are written
   * @param includeDimensions   the dimension records of the datasets' data IDs
   * @param includeAssociations the datasets' memberships in the exported TAGGED and CALIBRATION collections
   */
  public record Selection(List<String> datasetTypes, List<String> collections, String where,
                          Map<String, Object> binds, boolean findFirst, boolean includeCollections,
                          boolean includeDimensions, boolean includeAssociations) {

    /** Everything the query finds, with its collections, dimension records and associations. */
    public static Selection of(List<String> datasetTypes, List<String> collections, String where,
                               boolean findFirst) {
      return new Selection(datasetTypes, collections, where, Map.of(), findFirst, true, true, true);
    }
  }

  /** The collections and datasets to write; dimension records and associations follow from them. */
  private record Plan(Set<String> collections, List<UUID> datasets, boolean dimensions, boolean associations) {
  }

  /** A dataset as it is exported: data ID with its required dimensions only, path as the export writes it. */
  private record ExportedDataset(UUID id, DatasetType type, String run, Map<String, Object> dataId, String path,
                                 String formatter) {
  }

  /**
   * The export of what {@code selection} picks.
   *
   * @param datastoreRoot the repository's datastore root URI, under which files get relative paths (null: none)
   */
  public ExportFile export(Registry registry, Selection selection, String datastoreRoot) {
    URI root = rootUri(datastoreRoot);
    if (selection.where() != null) {
      // A syntax error is an error even when no dataset type is searched (the query parses per dataset type).
      ExpressionParser.parse(selection.where());
    }
    return registry.transaction(c -> {
      DatasetQuery.Result found = datasetQuery.query(c, new DatasetQuery.Request(selection.datasetTypes(),
          selection.collections(), selection.where(), selection.binds() == null ? Map.of() : selection.binds(),
          selection.findFirst(), 0, false));
      if (!found.warnings().isEmpty()) {
        throw new RegistryException(MISSING_DATASET_TYPE, String.join(" ", found.warnings()));
      }
      Set<String> names = new LinkedHashSet<>();
      if (selection.includeCollections()) {
        Map<String, List<String>> chains = collections.allChains(c);
        for (CollectionRecord record : matching(c, selection.collections(), Set.of())) {
          addWithChildren(record.name(), chains, names);
        }
      }
      return build(c, new Plan(names, FoundDatasets.ids(found), selection.includeDimensions(),
          selection.includeAssociations()), root);
    });
  }

  /**
   * {@code butler export-calibs}: the CALIBRATION and CHAINED collections among {@code collectionExpressions}
   * (none: all) and the children of those chains, recursively; every dataset of a calibration dataset type
   * matching {@code datasetTypeExpressions} (none: all) certified in those CALIBRATION collections, with its RUN,
   * dimension records and certifications.
   */
  public ExportFile exportCalibrations(Registry registry, List<String> collectionExpressions,
                                       List<String> datasetTypeExpressions, String datastoreRoot) {
    URI root = rootUri(datastoreRoot);
    return registry.transaction(c -> {
      Map<String, CollectionRecord> all = collections.all(c);
      Map<String, List<String>> chains = collections.allChains(c);
      Set<String> expanded = new LinkedHashSet<>();
      for (CollectionRecord record : matching(c, collectionExpressions, Set.of())) {
        addWithChildren(record.name(), chains, expanded);
      }
      Set<String> names = new LinkedHashSet<>();
      List<Long> calibrationIds = new ArrayList<>();
      for (String name : expanded) {
        CollectionRecord record = all.get(name);
        if (record.type() == CollectionType.CALIBRATION || record.type() == CollectionType.CHAINED) {
          names.add(name);
        }
        if (record.type() == CollectionType.CALIBRATION) {
          calibrationIds.add(record.id());
        }
      }
      List<Long> typeIds = new ArrayList<>();
      List<Pattern> typePatterns = patterns(datasetTypeExpressions);
      for (DatasetType type : datasetTypes.all(c)) {
        if (type.isCalibration() && typePatterns.stream().anyMatch(p -> p.matcher(type.name()).matches())) {
          typeIds.add(type.id());
        }
      }
      List<UUID> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT k.dataset_id FROM dataset_calibs k"
          + " WHERE k.collection_id = ANY (?) AND k.dataset_type_id = ANY (?) ORDER BY k.dataset_id")) {
        ps.setArray(1, c.createArrayOf("bigint", calibrationIds.toArray()));
        ps.setArray(2, c.createArrayOf("bigint", typeIds.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getObject(1, UUID.class));
          }
        }
      }
      return build(c, new Plan(names, ids, true, true), root);
    });
  }

  // ------------------------------------------------------------------------------------------------ selection

  /** The collections the expressions name (an unknown exact name is a MissingCollectionError), by name. */
  private List<CollectionRecord> matching(Connection c, List<String> expressions, Set<CollectionType> types)
      throws SQLException {
    List<String> globs = expressions == null ? List.of() : expressions;
    for (String expression : globs) {
      if (!GLOB_CHARS.matcher(expression).find()) {
        collections.get(c, expression);
      }
    }
    return new CollectionQuery(collections.all(c), Map.of()).matching(globs, types);
  }

  private static void addWithChildren(String name, Map<String, List<String>> chains, Set<String> names) {
    if (names.add(name)) {
      for (String child : chains.getOrDefault(name, List.of())) {
        addWithChildren(child, chains, names);
      }
    }
  }

  private static List<Pattern> patterns(List<String> globs) {
    if (globs == null || globs.isEmpty()) {
      return List.of(Pattern.compile(".*", Pattern.DOTALL));
    }
    return globs.stream().map(CollectionQuery::globToRegex).toList();
  }

  // ------------------------------------------------------------------------------------------------ the file

  private ExportFile build(Connection c, Plan plan, URI root) throws SQLException {
    List<ExportedDataset> datasets = readDatasets(c, plan.datasets(), root);
    Set<String> names = new LinkedHashSet<>(plan.collections());
    datasets.forEach(d -> names.add(d.run()));
    Map<String, CollectionBlock> collectionBlocks = collectionBlocks(c, names);

    List<ExportBlock> blocks = new ArrayList<>();
    if (plan.dimensions()) {
      blocks.addAll(dimensionBlocks(c, datasets));
    }
    blocks.addAll(collectionBlocks.values());
    blocks.addAll(datasetBlocks(datasets));
    if (plan.associations()) {
      blocks.addAll(associationBlocks(c, collectionBlocks.values(), plan.datasets()));
    }
    return ExportOrdering.sort(ExportFile.of(blocks), universe);
  }

  private List<ExportedDataset> readDatasets(Connection c, List<UUID> ids, URI root) throws SQLException {
    Map<Long, DatasetType> types = new HashMap<>();
    for (DatasetType type : datasetTypes.all(c)) {
      types.put(type.id(), type);
    }
    StringBuilder sql = new StringBuilder("SELECT d.id, d.dataset_type_id, r.name AS run, f.path, f.formatter");
    DatasetManager.DIMENSION_COLUMNS.forEach(col -> sql.append(", d.\"").append(col).append('"'));
    sql.append(" FROM dataset d JOIN collection r ON r.collection_id = d.run_id LEFT JOIN file_datastore_records f"
        + " ON f.dataset_id = d.id AND f.component = ? WHERE d.id = ANY (?)");
    List<ExportedDataset> datasets = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setString(1, DatasetManager.NO_COMPONENT);
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject("id", UUID.class);
          DatasetType type = types.get(rs.getLong("dataset_type_id"));
          Map<String, Object> dataId = new LinkedHashMap<>();
          for (String dimension : type.dimensions().required()) {
            dataId.put(dimension, rs.getObject(dimension));
          }
          String path = rs.getString("path");
          if (path == null) {
            // daf_butler's datastore cannot export a dataset it has no file for either.
            throw new RegistryException(INVALID_ARGUMENT, "Cannot export dataset " + id + " (" + type.name() + "@"
                + dataId + " in run " + rs.getString("run") + "): the datastore has no file record for it.");
          }
          datasets.add(new ExportedDataset(id, type, rs.getString("run"), dataId, exportPath(path, root),
              rs.getString("formatter")));
        }
      }
    }
    return datasets;
  }

  private Map<String, CollectionBlock> collectionBlocks(Connection c, Set<String> names) throws SQLException {
    Map<String, CollectionBlock> blocks = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT k.name, k.type, k.doc, r.host, lower(r.timespan),"
        + " upper(r.timespan) FROM collection k LEFT JOIN run r ON r.collection_id = k.collection_id"
        + " WHERE k.name = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          CollectionType type = CollectionType.ofCode(rs.getShort(2));
          String doc = rs.getString(3);
          blocks.put(name, switch (type) {
            case RUN -> {
              Timespan span = timespan((Long) rs.getObject(5), (Long) rs.getObject(6));
              yield CollectionBlock.run(name, doc, rs.getString(4), span == null ? null : span.begin(),
                  span == null ? null : span.end());
            }
            case TAGGED -> CollectionBlock.tagged(name, doc);
            case CALIBRATION -> CollectionBlock.calibration(name, doc);
            case CHAINED -> CollectionBlock.chained(name, doc, List.of());
          });
        }
      }
    }
    for (Map.Entry<String, CollectionBlock> entry : blocks.entrySet()) {
      CollectionBlock block = entry.getValue();
      if (block.type() == CollectionType.CHAINED) {
        entry.setValue(CollectionBlock.chained(block.name(), block.doc(), collections.children(c, block.name())));
      }
    }
    return blocks;
  }

  /** One dataset type block and one dataset block per type and run, files in data ID order (then by path). */
  private static List<ExportBlock> datasetBlocks(List<ExportedDataset> datasets) {
    Map<String, Map<String, List<ExportedDataset>>> byTypeAndRun = new TreeMap<>();
    Map<String, DatasetType> types = new HashMap<>();
    for (ExportedDataset dataset : datasets) {
      types.put(dataset.type().name(), dataset.type());
      byTypeAndRun.computeIfAbsent(dataset.type().name(), t -> new TreeMap<>())
          .computeIfAbsent(dataset.run(), r -> new ArrayList<>()).add(dataset);
    }
    List<ExportBlock> blocks = new ArrayList<>();
    byTypeAndRun.forEach((typeName, runs) -> {
      DatasetType type = types.get(typeName);
      blocks.add(new DatasetTypeBlock(type.name(), type.dimensions().names(), type.storageClass(),
          type.isCalibration()));
      runs.forEach((run, members) -> {
        List<ExportedDataset> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(d -> new ArrayList<>(d.dataId().values()), ExportOrdering.PYTHON_ORDER));
        blocks.add(new DatasetBlock(typeName, run, sorted.stream().map(d -> new FileDatasetData(
            List.of(new DatasetRefData(d.id(), d.dataId())), d.path(), d.formatter())).toList()));
      });
    });
    return blocks;
  }

  /**
   * The records of every element of each exported dataset type's dimensions (implied ones included) that the
   * datasets' data IDs point at: daf_butler's {@code saveDataIds} on expanded data IDs.
   */
  private List<DimensionBlock> dimensionBlocks(Connection c, List<ExportedDataset> datasets) throws SQLException {
    Map<DatasetType, List<UUID>> idsByType = new LinkedHashMap<>();
    datasets.forEach(d -> idsByType.computeIfAbsent(d.type(), t -> new ArrayList<>()).add(d.id()));
    Map<String, List<DimensionRecordData>> byElement = new LinkedHashMap<>();
    for (Map.Entry<DatasetType, List<UUID>> entry : idsByType.entrySet()) {
      DatasetType type = entry.getKey();
      DimensionGroup group = type.dimensions();
      if (group.isEmpty()) {
        continue;
      }
      QueryContext context = QueryContext.builder(universe, group).datasetAlias("d").elementAliasPrefix("k_")
          .build();
      for (DimensionElement element : universe.elements()) {
        if (!element.hasTable() || !inGroup(element, group)) {
          continue;
        }
        Set<String> joins = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>();
        for (String dimension : universe.group(element.required()).required()) {
          keys.add(context.dimensionSql(dimension, joins));
        }
        if (element.isDimension()) {
          keys.add(context.dimensionSql(element.name(), joins));
        }
        String keySelect = "SELECT DISTINCT " + String.join(", ", keys) + " FROM dataset d "
            + context.joinClauses(joins) + " WHERE d.dataset_type_id = ? AND d.id = ANY (?)";
        List<Object> parameters = List.of(type.id(), c.createArrayOf("uuid", entry.getValue().toArray()));
        List<DimensionRecordData> records = byElement.computeIfAbsent(element.name(), e -> new ArrayList<>());
        for (Map<String, Object> row : dimensions.read(c, element.name(), keySelect, parameters)) {
          records.add(exportRecord(element, row));
        }
      }
    }
    List<DimensionBlock> blocks = new ArrayList<>();
    byElement.forEach((element, records) -> {
      if (!records.isEmpty()) {
        blocks.add(new DimensionBlock(element, records));
      }
    });
    return blocks;
  }

  /** daf_butler's {@code DimensionGroup.elements}: its dimensions, and the join elements of its dimensions. */
  private static boolean inGroup(DimensionElement element, DimensionGroup group) {
    return element.isDimension() ? group.names().contains(element.name())
        : group.names().containsAll(element.required());
  }

  /**
   * A registry record as {@code record.toDict(splitTimespan=True)} writes it: keys, implied dimensions in
   * universe order, the other fields, the region, and the timespan's bounds unless it has none.
   */
  private DimensionRecordData exportRecord(DimensionElement element, Map<String, Object> row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String key : DimensionRecordManager.keyColumns(element.name())) {
      values.put(key, row.get(key));
    }
    element.implied().stream().sorted(Comparator.comparingInt(universe::sortIndex))
        .forEach(dimension -> values.put(dimension, row.get(dimension)));
    for (String field : element.fields().keySet()) {
      values.put(field, row.get(field));
    }
    if (row.containsKey("region")) {
      Object region = row.get("region");
      values.put("region", region == null ? null : Region.fromBase64(region.toString()));
    }
    if (element.temporal()) {
      Timespan span = timespan((Long) row.get("datetime_begin"), (Long) row.get("datetime_end"));
      if (span != null) {
        values.put("datetime_begin", span.begin());
        values.put("datetime_end", span.end());
      }
    }
    return new DimensionRecordData(values);
  }

  /** The TAGGED memberships and CALIBRATION certifications of the datasets in the exported collections. */
  private static List<ExportBlock> associationBlocks(Connection c, Collection<CollectionBlock> exported,
                                                     List<UUID> ids) throws SQLException {
    List<String> tagged = exported.stream().filter(b -> b.type() == CollectionType.TAGGED).map(CollectionBlock::name)
        .toList();
    List<String> calibrations = exported.stream().filter(b -> b.type() == CollectionType.CALIBRATION)
        .map(CollectionBlock::name).toList();
    List<ExportBlock> blocks = new ArrayList<>();
    Map<String, List<UUID>> members = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT k.name, t.dataset_id FROM dataset_tags t"
        + " JOIN collection k ON k.collection_id = t.collection_id WHERE k.name = ANY (?) AND t.dataset_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", tagged.toArray()));
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.computeIfAbsent(rs.getString(1), n -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
        }
      }
    }
    members.forEach((name, datasetIds) -> blocks.add(new TaggedAssociationsBlock(name, datasetIds)));
    Map<String, List<ValidityRange>> certifications = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT k.name, a.dataset_id, lower(a.timespan),"
        + " upper(a.timespan) FROM dataset_calibs a JOIN collection k ON k.collection_id = a.collection_id"
        + " WHERE k.name = ANY (?) AND a.dataset_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", calibrations.toArray()));
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          certifications.computeIfAbsent(rs.getString(1), n -> new ArrayList<>()).add(new ValidityRange(
              Timespan.ofNanos(rs.getLong(3), rs.getLong(4)), List.of(rs.getObject(2, UUID.class))));
        }
      }
    }
    certifications.forEach((name, ranges) -> blocks.add(new CalibrationAssociationsBlock(name, ranges)));
    return blocks;
  }

  // ------------------------------------------------------------------------------------------------ values

  /** A registry INT8RANGE's bounds as a timespan; null when the range itself is NULL. */
  private static Timespan timespan(Long begin, Long end) {
    if (begin == null && end == null) {
      return null;
    }
    return Timespan.ofNanos(begin == null ? TaiTime.EPOCH.nanos() : begin, end == null ? TaiTime.MAX.nanos() : end);
  }

  private static URI rootUri(String datastoreRoot) {
    if (datastoreRoot == null || datastoreRoot.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(datastoreRoot.strip());
      if (uri.getScheme() == null) {
        uri = new URI("file", null, uri.getPath(), null);
      }
      String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
      return new URI(uri.getScheme() + "://" + Objects.toString(uri.getRawAuthority(), "")
          + (path.endsWith("/") ? path : path + "/"));
    } catch (URISyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "datastore root '" + datastoreRoot + "' is not a URI: "
          + e.getReason());
    }
  }

  /**
   * The path an export writes for a stored file: relative to the datastore root when the file is under it
   * (decoded, as the export's relative paths are plain paths), else the stored URI; a stored relative path is
   * already relative to the root.
   */
  static String exportPath(String stored, URI root) {
    URI uri;
    try {
      uri = new URI(stored);
    } catch (URISyntaxException e) {
      return stored;
    }
    if (uri.getScheme() == null || root == null || uri.getRawPath() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return stored;
    }
    String authority = Objects.toString(uri.getRawAuthority(), "");
    String rootAuthority = Objects.toString(root.getRawAuthority(), "");
    if (!uri.getScheme().equalsIgnoreCase(root.getScheme()) || !authority.equalsIgnoreCase(rootAuthority)
        || !uri.getRawPath().startsWith(root.getRawPath()) || uri.getRawPath().length() == root.getRawPath().length()) {
      return stored;
    }
    try {
      return new URI(uri.getRawPath().substring(root.getRawPath().length())).getPath();
    } catch (URISyntaxException e) {
      return stored;
    }
  }
}
