package io.autobutler.core.transfer;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads daf_butler export files (format 1.0.x) into an {@link ExportFile}, as daf_butler's
 * {@code YamlRepoImportBackend} does, and validates them on the way.
 *
 * <p>The YAML is parsed into SnakeYAML's node graph (anchors and aliases resolved, no object construction, so
 * no arbitrary types) with PyYAML's implicit typing, and the nodes are then read into the model. Tags understood:
 * {@code !uuid}, {@code !butler_time/tai/iso}, {@code !lsst.daf.butler.Timespan} (mapping or {@code EMPTY}),
 * {@code !<lsst.sphgeom.*>} ({@code {encoded: hex}}), {@code !!binary}, and YAML's standard scalar types; any
 * other tag is an error.
 *
 * <p>Also accepted, as daf_butler does: {@code version: 0}; missing {@code universe_version} (0) and
 * {@code universe_namespace} ({@code daf_butler}); chain children as {@code [name, restriction]} pairs (with a
 * warning; the restriction is dropped); {@code type: run} entries; a scalar {@code dataset_id} and a single
 * mapping {@code data_id}; integer dataset IDs (mapped to uuid3 in daf_butler's namespace); CALIBRATION
 * validity ranges given as {@code begin}/{@code end} without {@code timespan}; plain YAML timestamps in
 * dimension records (read as UTC).
 *
 * <p>The whole file is read and checked before anything is returned. Every problem is an
 * {@link ExportFormatException} whose message starts with {@code line N:}.
 */
public final class ExportFileReader {

  private static final Logger LOG = Logger.getLogger(ExportFileReader.class);

  /** daf_butler's namespace for the UUIDs of integer dataset IDs of pre-UUID exports. */
  public static final UUID LEGACY_ID_NAMESPACE = UUID.fromString("4d4851f4-2890-4d41-8779-5f38a3f5062b");

  private static final int MAX_MAJOR = 1;
  private static final int MAX_MINOR = 0;

  private static final Tag UUID_TAG = new Tag(ExportFileWriter.UUID_TAG);
  private static final Tag TIME_TAG = new Tag(ExportFileWriter.TIME_TAG);
  private static final Tag TIMESPAN_TAG = new Tag(ExportFileWriter.TIMESPAN_TAG);

  private static final Pattern TIMESTAMP = Pattern.compile(
      "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \\t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]*))?"
          + "(?:[ \\t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

  private final DimensionUniverse universe;

  /** A reader that checks dimension records and data IDs against universe 7. */
  public ExportFileReader() {
    this(DimensionUniverse.v7());
  }

  public ExportFileReader(DimensionUniverse universe) {
    this.universe = universe;
  }

  /** Reads a file, logging legacy-form warnings. */
  public ExportFile read(Reader in) {
    return read(in, warning -> LOG.warn(warning));
  }

  /**
   * Reads a file.
   *
   * @param warnings receives warnings about legacy forms ({@code line N: ...})
   * @throws ExportFormatException when the file is not a valid export file
   */
  public ExportFile read(Reader in, Consumer<String> warnings) {
    Node root = compose(in);
    return new Parse(warnings).file(root);
  }

  public ExportFile read(String yaml) {
    return read(new StringReader(yaml));
  }

  public ExportFile read(Path path) throws IOException {
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return read(in);
    }
  }

  /** daf_butler's dataset ID for an integer ID of a pre-UUID export: uuid3 of its decimal text. */
  public static UUID legacyDatasetId(long id) {
    byte[] name = Long.toString(id).getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(16 + name.length);
    bytes.putLong(LEGACY_ID_NAMESPACE.getMostSignificantBits());
    bytes.putLong(LEGACY_ID_NAMESPACE.getLeastSignificantBits());
    bytes.put(name);
    return UUID.nameUUIDFromBytes(bytes.array());
  }

  private static Node compose(Reader in) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    options.setAllowDuplicateKeys(true);
    // Nothing is constructed from tags here: every tag reaches the model reader, which rejects unknown ones.
    options.setTagInspector(tag -> true);
    try {
      Composer composer = new Composer(new ParserImpl(new StreamReader(in), options), PyYamlResolver.INSTANCE,
          options);
      Node root = composer.getSingleNode();
      if (root == null) {
        throw new ExportFormatException(1, "the export file is empty");
      }
      return root;
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      if (e.getContext() != null) {
        problem = e.getContext() + ": " + problem;
      }
      throw new ExportFormatException(mark == null ? 0 : mark.getLine() + 1, "invalid YAML: " + problem, e);
    } catch (YAMLException e) {
      throw new ExportFormatException(0, "invalid YAML: " + e.getMessage(), e);
    }
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static ExportFormatException error(Node node, String problem) {
    return new ExportFormatException(line(node), problem);
  }

  /** A legacy plain YAML timestamp (UTC). */
  private record Timestamp(LocalDateTime utc) {
  }

  /** One read of one file: the state kept between blocks. */
  private final class Parse {

    private final Consumer<String> warnings;
    private int universeVersion;
    private String universeNamespace;
    private final Map<String, DatasetTypeBlock> datasetTypes = new HashMap<>();
    private final Map<String, Integer> datasetTypeLines = new HashMap<>();
    private final Set<UUID> datasetIds = new HashSet<>();
    /** Data IDs checked once every dataset type of the file is known: (dataset type, data ID node, data ID). */
    private final List<Object[]> dataIdsToCheck = new ArrayList<>();
    /** Association IDs checked once every dataset of the file is known. */
    private final List<Object[]> associatedIds = new ArrayList<>();

    Parse(Consumer<String> warnings) {
      this.warnings = warnings;
    }

    ExportFile file(Node root) {
      Map<String, Node[]> top = mapping(root, "the export file");
      allowKeys(top, "the export file", "description", "version", "universe_version", "universe_namespace",
          "data");
      Node versionNode = required(top, root, "version", "the export file");
      String version = version(versionNode);
      universeVersion = top.containsKey("universe_version")
          ? (int) integer(top.get("universe_version")[1], "universe_version") : 0;
      universeNamespace = top.containsKey("universe_namespace")
          ? string(top.get("universe_namespace")[1], "universe_namespace") : DimensionUniverse.NAMESPACE;
      String description = top.containsKey("description")
          ? optionalString(top.get("description")[1], "description") : null;
      ExportHeader header = new ExportHeader(description, version, universeVersion, universeNamespace);

      Node dataNode = required(top, root, "data", "the export file");
      List<ExportBlock> blocks = new ArrayList<>();
      for (Node entry : sequence(dataNode, "data")) {
        blocks.add(block(entry));
      }
      for (Object[] check : dataIdsToCheck) {
        checkDataId((String) check[0], (Node) check[1], (Map<?, ?>) check[2]);
      }
      for (Object[] check : associatedIds) {
        if (!datasetIds.contains((UUID) check[1])) {
          throw error((Node) check[0], "association of dataset " + check[1] + ", which is not in this file");
        }
      }
      return new ExportFile(header, blocks);
    }

    private String version(Node node) {
      String version;
      if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
        if (integer(node, "version") != 0) {
          throw error(node, "version " + scalar.getValue() + " is not a version MAJOR.MINOR.PATCH");
        }
        return "0";
      } else if (node instanceof ScalarNode scalar
          && (scalar.getTag().equals(Tag.STR) || scalar.getTag().equals(Tag.FLOAT))) {
        version = scalar.getValue();
      } else {
        throw error(node, "version must be a version MAJOR.MINOR.PATCH, got " + describe(node));
      }
      int[] tuple;
      try {
        tuple = new ExportHeader(null, version, 0, "").versionTuple();
      } catch (IllegalArgumentException e) {
        throw error(node, "version " + e.getMessage());
      }
      if (tuple[0] != MAX_MAJOR) {
        throw new IncompatibleExportVersionException(line(node), "cannot read an export file with version "
            + version + " (" + MAX_MAJOR + ".x.x required)");
      }
      if (tuple[1] > MAX_MINOR) {
        throw new IncompatibleExportVersionException(line(node), "cannot read an export file with version "
            + version + " (" + MAX_MAJOR + "." + MAX_MINOR + ".x or older required)");
      }
      return version;
    }

    private ExportBlock block(Node entry) {
      Map<String, Node[]> map = mapping(entry, "a data entry");
      Node typeNode = required(map, entry, "type", "a data entry");
      String type = string(typeNode, "type");
      return switch (type) {
        case "dimension" -> dimensionBlock(entry, map);
        case "collection" -> collectionBlock(entry, map);
        case "run" -> {
          // Legacy form: a RUN with no host or timespan; other keys were never read.
          String name = string(required(map, entry, "name", "a run entry"), "run name");
          yield CollectionBlock.run(name, null);
        }
        case "dataset_type" -> datasetTypeBlock(entry, map);
        case "dataset" -> datasetBlock(entry, map);
        case "associations" -> associationsBlock(entry, map);
        default -> throw error(typeNode, "unknown record type '" + type + "'");
      };
    }

    // ----------------------------------------------------------------------------------------- dimension

    private DimensionBlock dimensionBlock(Node entry, Map<String, Node[]> map) {
      allowKeys(map, "a dimension entry", "type", "element", "records");
      Node elementNode = required(map, entry, "element", "a dimension entry");
      String elementName = string(elementNode, "element");
      DimensionElement element = universe.element(elementName).orElseThrow(
          () -> error(elementNode, "unknown dimension element '" + elementName + "'"));
      if (!element.hasTable()) {
        throw error(elementNode, "dimension element '" + elementName + "' has no records of its own");
      }
      Map<String, FieldType> fields = recordFields(element);
      boolean checkNames = DimensionUniverse.NAMESPACE.equals(universeNamespace) && universeVersion >= 6;
      List<DimensionRecordData> records = new ArrayList<>();
      for (Node recordNode : sequence(required(map, entry, "records", "a dimension entry"), "records")) {
        String what = ("aeiou".indexOf(elementName.charAt(0)) >= 0 ? "an " : "a ") + elementName + " record";
        Map<String, Node[]> recordMap = mapping(recordNode, what);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Node[]> field : recordMap.entrySet()) {
          String name = field.getKey();
          Node valueNode = field.getValue()[1];
          FieldType type = fields.get(name);
          if (type == null && checkNames) {
            throw error(field.getValue()[0], "unknown field '" + name + "' in " + what + " (fields: "
                + String.join(", ", fields.keySet()) + ")");
          }
          Object value = value(valueNode, "field '" + name + "' of " + what);
          if (value instanceof Timestamp timestamp) {
            value = utcToTai(valueNode, timestamp);
          }
          if (type != null && value != null && !fitsType(type, value)) {
            throw error(valueNode, "field '" + name + "' of " + what + " must be " + typeName(type) + ", got "
                + describe(valueNode));
          }
          values.put(name, value);
        }
        for (String key : keyFields(element)) {
          if (values.get(key) == null) {
            throw error(recordNode, what + " is missing required key '" + key + "'");
          }
        }
        records.add(new DimensionRecordData(values));
      }
      return new DimensionBlock(elementName, records);
    }

    /** The fields of an element's records as written: required dimensions, key, implied, metadata, region, times. */
    private Map<String, FieldType> recordFields(DimensionElement element) {
      Map<String, FieldType> fields = new LinkedHashMap<>();
      for (String dimension : requiredDimensions(element)) {
        fields.put(dimension, keyType(dimension));
      }
      if (element.isDimension()) {
        fields.put(element.key(), element.keyType());
      }
      for (String dimension : element.implied()) {
        fields.put(dimension, keyType(dimension));
      }
      fields.putAll(element.fields());
      if (element.spatial()) {
        fields.put("region", FieldType.REGION);
      }
      if (element.temporal()) {
        fields.put("datetime_begin", FieldType.TIMESPAN);
        fields.put("datetime_end", FieldType.TIMESPAN);
      }
      return fields;
    }

    private List<String> keyFields(DimensionElement element) {
      List<String> keys = new ArrayList<>(requiredDimensions(element));
      if (element.isDimension()) {
        keys.add(element.key());
      }
      return keys;
    }

    /** The dimensions that key an element's records, other than itself (e.g. instrument, detector, visit). */
    private List<String> requiredDimensions(DimensionElement element) {
      List<String> dimensions = element.isDimension() ? List.of(element.name()) : element.required();
      return universe.group(dimensions).required().stream().filter(d -> !d.equals(element.name())).toList();
    }

    private FieldType keyType(String dimension) {
      return universe.element(dimension).map(DimensionElement::keyType).orElse(FieldType.STRING);
    }

    private boolean fitsType(FieldType type, Object value) {
      return switch (type) {
        case STRING -> value instanceof String;
        case INT -> value instanceof Long;
        case FLOAT -> value instanceof Double || value instanceof Long;
        case BOOLEAN -> value instanceof Boolean;
        case BYTES -> value instanceof byte[];
        case REGION -> value instanceof Region;
        case TIMESPAN -> value instanceof TaiTime;
      };
    }

    private String typeName(FieldType type) {
      return switch (type) {
        case STRING -> "a string";
        case INT -> "an integer";
        case FLOAT -> "a number";
        case BOOLEAN -> "a boolean";
        case BYTES -> "!!binary bytes";
        case REGION -> "a !<lsst.sphgeom.*> region";
        case TIMESPAN -> "a !butler_time/tai/iso time";
      };
    }

    private TaiTime utcToTai(Node node, Timestamp timestamp) {
      try {
        return TaiTime.fromUtc(timestamp.utc());
      } catch (IllegalArgumentException e) {
        throw error(node, "bad time: " + e.getMessage());
      }
    }

    // ----------------------------------------------------------------------------------------- collection

    private CollectionBlock collectionBlock(Node entry, Map<String, Node[]> map) {
      Node typeNode = required(map, entry, "collection_type", "a collection entry");
      CollectionType type = collectionType(typeNode);
      String what = "a " + type.name() + " collection entry";
      switch (type) {
        case RUN -> allowKeys(map, what, "type", "collection_type", "name", "doc", "host", "timespan_begin",
            "timespan_end");
        case CHAINED -> allowKeys(map, what, "type", "collection_type", "name", "doc", "children");
        default -> allowKeys(map, what, "type", "collection_type", "name", "doc");
      }
      String name = string(required(map, entry, "name", what), "collection name");
      String doc = map.containsKey("doc") ? optionalString(map.get("doc")[1], "doc") : null;
      return switch (type) {
        case RUN -> CollectionBlock.run(name, doc,
            optionalString(required(map, entry, "host", what), "host"),
            time(required(map, entry, "timespan_begin", what), "timespan_begin", true),
            time(required(map, entry, "timespan_end", what), "timespan_end", true));
        case CHAINED -> CollectionBlock.chained(name, doc, children(name, required(map, entry, "children", what)));
        case TAGGED -> CollectionBlock.tagged(name, doc);
        case CALIBRATION -> CollectionBlock.calibration(name, doc);
      };
    }

    private CollectionType collectionType(Node node) {
      String text = string(node, "collection_type");
      try {
        return CollectionType.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error(node, "unknown collection_type '" + text + "' (RUN, TAGGED, CHAINED or CALIBRATION)");
      }
    }

    private List<String> children(String chain, Node node) {
      List<String> children = new ArrayList<>();
      for (Node child : sequence(node, "children")) {
        if (child instanceof SequenceNode pair) {
          // Legacy form [name, dataset type restriction].
          if (pair.getValue().size() != 2) {
            throw error(child, "a child of CHAINED collection '" + chain
                + "' must be a name or a [name, restriction] pair");
          }
          warnings.accept("line " + line(child) + ": CHAINED collection " + chain + " includes restrictions on "
              + "child collection searches, which are no longer supported and will be ignored.");
          children.add(string(pair.getValue().get(0), "child collection name"));
        } else {
          children.add(string(child, "child collection name"));
        }
      }
      return children;
    }

    // ----------------------------------------------------------------------------------------- dataset types

    private DatasetTypeBlock datasetTypeBlock(Node entry, Map<String, Node[]> map) {
      String what = "a dataset_type entry";
      allowKeys(map, what, "type", "name", "dimensions", "storage_class", "is_calibration");
      String name = string(required(map, entry, "name", what), "dataset type name");
      List<String> dimensions = new ArrayList<>();
      for (Node dimension : sequence(required(map, entry, "dimensions", what), "dimensions")) {
        String dimensionName = string(dimension, "dimension name");
        if (!universe.isDimension(dimensionName)) {
          throw error(dimension, "'" + dimensionName + "' is not a dimension (dataset type '" + name + "')");
        }
        dimensions.add(dimensionName);
      }
      String storageClass = string(required(map, entry, "storage_class", what), "storage_class");
      boolean isCalibration = map.containsKey("is_calibration")
          && bool(map.get("is_calibration")[1], "is_calibration");
      DatasetTypeBlock block = new DatasetTypeBlock(name, dimensions, storageClass, isCalibration);
      DatasetTypeBlock earlier = datasetTypes.get(name);
      if (earlier != null && !sameDefinition(earlier, block)) {
        throw error(entry, "dataset type '" + name + "' is defined differently at line "
            + datasetTypeLines.get(name));
      }
      if (earlier == null) {
        datasetTypes.put(name, block);
        datasetTypeLines.put(name, line(entry));
      }
      return block;
    }

    private boolean sameDefinition(DatasetTypeBlock a, DatasetTypeBlock b) {
      return a.storageClass().equals(b.storageClass()) && a.isCalibration() == b.isCalibration()
          && universe.group(a.dimensions()).equals(universe.group(b.dimensions()));
    }

    // ----------------------------------------------------------------------------------------- datasets

    private DatasetBlock datasetBlock(Node entry, Map<String, Node[]> map) {
      String what = "a dataset entry";
      allowKeys(map, what, "type", "dataset_type", "run", "records");
      String datasetType = string(required(map, entry, "dataset_type", what), "dataset_type");
      String run = string(required(map, entry, "run", what), "run");
      List<FileDatasetData> files = new ArrayList<>();
      for (Node recordNode : sequence(required(map, entry, "records", what), "records")) {
        String recordWhat = "a dataset record";
        Map<String, Node[]> record = mapping(recordNode, recordWhat);
        allowKeys(record, recordWhat, "dataset_id", "data_id", "path", "formatter");
        Node idsNode = required(record, recordNode, "dataset_id", recordWhat);
        Node dataIdsNode = required(record, recordNode, "data_id", recordWhat);
        List<Node> idNodes = idsNode instanceof SequenceNode seq ? seq.getValue() : List.of(idsNode);
        List<Node> dataIdNodes = dataIdsNode instanceof SequenceNode seq ? seq.getValue() : List.of(dataIdsNode);
        if (idNodes.size() != dataIdNodes.size()) {
          throw error(recordNode, "dataset record has " + idNodes.size() + " dataset_ids but "
              + dataIdNodes.size() + " data_ids");
        }
        if (idNodes.isEmpty()) {
          throw error(recordNode, "dataset record has no datasets");
        }
        List<DatasetRefData> refs = new ArrayList<>();
        for (int i = 0; i < idNodes.size(); i++) {
          UUID id = datasetId(idNodes.get(i));
          Map<String, Object> dataId = dataId(dataIdNodes.get(i));
          dataIdsToCheck.add(new Object[] {datasetType, dataIdNodes.get(i), dataId});
          datasetIds.add(id);
          refs.add(new DatasetRefData(id, dataId));
        }
        String path = string(required(record, recordNode, "path", recordWhat), "path");
        String formatter = record.containsKey("formatter")
            ? optionalString(record.get("formatter")[1], "formatter") : null;
        files.add(new FileDatasetData(refs, path, formatter));
      }
      return new DatasetBlock(datasetType, run, files);
    }

    private Map<String, Object> dataId(Node node) {
      Map<String, Node[]> map = mapping(node, "a data_id");
      Map<String, Object> dataId = new LinkedHashMap<>();
      for (Map.Entry<String, Node[]> entry : map.entrySet()) {
        String dimension = entry.getKey();
        if (!universe.isDimension(dimension)) {
          throw error(entry.getValue()[0], "data_id key '" + dimension + "' is not a dimension");
        }
        Node valueNode = entry.getValue()[1];
        Object value = value(valueNode, "data_id value of '" + dimension + "'");
        FieldType type = keyType(dimension);
        if (value == null || !fitsType(type, value) || value instanceof Double) {
          throw error(valueNode, "data_id value of '" + dimension + "' must be " + typeName(type) + ", got "
              + describe(valueNode));
        }
        dataId.put(dimension, value);
      }
      return dataId;
    }

    private void checkDataId(String datasetType, Node node, Map<?, ?> dataId) {
      DatasetTypeBlock definition = datasetTypes.get(datasetType);
      if (definition == null) {
        return;
      }
      DimensionGroup group = universe.group(definition.dimensions());
      for (String required : group.required()) {
        if (!dataId.containsKey(required)) {
          throw error(node, "data_id of a '" + datasetType + "' dataset is missing dimension '" + required
              + "' (required: " + String.join(", ", group.required()) + ")");
        }
      }
      for (Object key : dataId.keySet()) {
        if (!group.names().contains(key)) {
          throw error(node, "data_id of a '" + datasetType + "' dataset has dimension '" + key
              + "', which the dataset type does not have");
        }
      }
    }

    private UUID datasetId(Node node) {
      if (node instanceof ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (tag.equals(UUID_TAG) || tag.equals(Tag.STR)) {
          return uuid(node, scalar.getValue());
        }
        if (tag.equals(Tag.INT)) {
          return legacyDatasetId(integer(node, "dataset_id"));
        }
      }
      throw error(node, "a dataset_id must be a !uuid, got " + describe(node));
    }

    /** Python's {@code uuid.UUID(hex=...)}: braces, {@code urn:uuid:} and hyphens are allowed around 32 hex digits. */
    private UUID uuid(Node node, String text) {
      String hex = text.replace("urn:", "").replace("uuid:", "");
      int start = 0;
      int end = hex.length();
      while (start < end && (hex.charAt(start) == '{' || hex.charAt(start) == '}')) {
        start++;
      }
      while (end > start && (hex.charAt(end - 1) == '{' || hex.charAt(end - 1) == '}')) {
        end--;
      }
      hex = hex.substring(start, end).replace("-", "");
      if (!HEX32.matcher(hex).matches()) {
        throw error(node, "bad UUID '" + text + "'");
      }
      return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    // ----------------------------------------------------------------------------------------- associations

    private ExportBlock associationsBlock(Node entry, Map<String, Node[]> map) {
      Node typeNode = required(map, entry, "collection_type", "an associations entry");
      CollectionType type = collectionType(typeNode);
      String collection;
      switch (type) {
        case TAGGED -> {
          String what = "a TAGGED associations entry";
          allowKeys(map, what, "type", "collection", "collection_type", "dataset_ids");
          collection = string(required(map, entry, "collection", what), "collection");
          return new TaggedAssociationsBlock(collection,
              datasetIds(required(map, entry, "dataset_ids", what)));
        }
        case CALIBRATION -> {
          String what = "a CALIBRATION associations entry";
          allowKeys(map, what, "type", "collection", "collection_type", "validity_ranges");
          collection = string(required(map, entry, "collection", what), "collection");
          List<ValidityRange> ranges = new ArrayList<>();
          for (Node rangeNode : sequence(required(map, entry, "validity_ranges", what), "validity_ranges")) {
            ranges.add(validityRange(rangeNode));
          }
          return new CalibrationAssociationsBlock(collection, ranges);
        }
        default -> throw error(typeNode, "associations with a " + type.name()
            + " collection are not possible (TAGGED or CALIBRATION)");
      }
    }

    private ValidityRange validityRange(Node node) {
      String what = "a validity range";
      Map<String, Node[]> map = mapping(node, what);
      Timespan timespan;
      if (map.containsKey("timespan")) {
        allowKeys(map, what, "timespan", "dataset_ids");
        timespan = timespan(map.get("timespan")[1]);
      } else {
        // Legacy form: begin and end beside the dataset IDs.
        allowKeys(map, what, "begin", "end", "dataset_ids");
        Node begin = required(map, node, "begin", what);
        Node end = required(map, node, "end", what);
        timespan = timespanOf(node, time(begin, "begin", true), time(end, "end", true));
      }
      return new ValidityRange(timespan, datasetIds(required(map, node, "dataset_ids", what)));
    }

    private List<UUID> datasetIds(Node node) {
      List<UUID> ids = new ArrayList<>();
      for (Node idNode : sequence(node, "dataset_ids")) {
        UUID id = datasetId(idNode);
        associatedIds.add(new Object[] {idNode, id});
        ids.add(id);
      }
      return ids;
    }

    // ----------------------------------------------------------------------------------------- values

    /** Any value of a dimension record or data ID, by its tag. */
    private Object value(Node node, String what) {
      if (node instanceof MappingNode mapping) {
        String tag = mapping.getTag().getValue();
        if (tag.startsWith(Region.TAG_PREFIX)) {
          return region(mapping);
        }
        if (mapping.getTag().equals(TIMESPAN_TAG)) {
          return timespan(node);
        }
        throw error(node, what + " must be a scalar, got " + describe(node));
      }
      if (!(node instanceof ScalarNode scalar)) {
        throw error(node, what + " must be a scalar, got " + describe(node));
      }
      Tag tag = scalar.getTag();
      String text = scalar.getValue();
      if (tag.equals(Tag.STR)) {
        return text;
      } else if (tag.equals(Tag.INT)) {
        return integer(node, what);
      } else if (tag.equals(Tag.FLOAT)) {
        return floating(node, what);
      } else if (tag.equals(Tag.BOOL)) {
        return bool(node, what);
      } else if (tag.equals(Tag.NULL)) {
        return null;
      } else if (tag.equals(Tag.BINARY)) {
        try {
          return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw error(node, "bad !!binary value for " + what + ": " + e.getMessage());
        }
      } else if (tag.equals(TIME_TAG)) {
        return time(node, what, false);
      } else if (tag.equals(UUID_TAG)) {
        return uuid(node, text);
      } else if (tag.equals(TIMESPAN_TAG)) {
        return timespan(node);
      } else if (tag.equals(Tag.TIMESTAMP)) {
        return timestamp(scalar);
      }
      throw error(node, "unsupported tag " + tagText(tag) + " for " + what);
    }

    private Region region(MappingNode node) {
      String type = node.getTag().getValue().substring(Region.TAG_PREFIX.length());
      Map<String, Node[]> map = entries(node, "a region");
      allowKeys(map, "a region", "encoded");
      Node encodedNode = required(map, node, "encoded", "a region");
      String hex = string(encodedNode, "encoded");
      Region region;
      try {
        region = Region.fromHex(type, hex);
      } catch (IllegalArgumentException e) {
        throw error(encodedNode, "bad region encoding (not hex): " + e.getMessage());
      }
      String problem = region.problem();
      if (problem != null) {
        throw error(encodedNode, "bad region encoding: " + problem);
      }
      return region;
    }

    private Timespan timespan(Node node) {
      if (!node.getTag().equals(TIMESPAN_TAG)) {
        throw error(node, "a timespan must be a !lsst.daf.butler.Timespan, got " + describe(node));
      }
      if (node instanceof ScalarNode scalar) {
        if (scalar.getValue().equals("EMPTY")) {
          return Timespan.EMPTY;
        }
        throw error(node, "bad timespan '" + scalar.getValue() + "' (a mapping of begin and end, or EMPTY)");
      }
      Map<String, Node[]> map = entries((MappingNode) node, "a timespan");
      allowKeys(map, "a timespan", "begin", "end");
      TaiTime begin = time(required(map, node, "begin", "a timespan"), "begin", true);
      TaiTime end = time(required(map, node, "end", "a timespan"), "end", true);
      return timespanOf(node, begin, end);
    }

    private Timespan timespanOf(Node node, TaiTime begin, TaiTime end) {
      try {
        return Timespan.of(begin, end);
      } catch (IllegalArgumentException e) {
        throw error(node, "bad timespan: " + e.getMessage());
      }
    }

    private TaiTime time(Node node, String what, boolean nullable) {
      if (node instanceof ScalarNode scalar) {
        if (nullable && scalar.getTag().equals(Tag.NULL)) {
          return null;
        }
        if (scalar.getTag().equals(TIME_TAG)) {
          try {
            return TaiTime.parse(scalar.getValue());
          } catch (IllegalArgumentException e) {
            throw error(node, "bad time for " + what + ": " + e.getMessage());
          }
        }
      }
      throw error(node, what + " must be a !butler_time/tai/iso time" + (nullable ? " or null" : "") + ", got "
          + describe(node));
    }

    private Timestamp timestamp(ScalarNode node) {
      Matcher m = TIMESTAMP.matcher(node.getValue());
      if (!m.matches()) {
        throw error(node, "bad timestamp '" + node.getValue() + "'");
      }
      if (m.group(4) == null) {
        throw error(node, "a date without a time of day ('" + node.getValue() + "') is not a time; quote it if "
            + "it is a string");
      }
      try {
        String fraction = m.group(7) == null ? "" : m.group(7);
        fraction = (fraction + "000000").substring(0, 6);
        LocalDateTime time = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
            Integer.parseInt(m.group(6)), Integer.parseInt(fraction) * 1000);
        if (m.group(9) != null) {
          int offsetMinutes = Integer.parseInt(m.group(10)) * 60
              + (m.group(11) == null ? 0 : Integer.parseInt(m.group(11)));
          if (m.group(9).equals("-")) {
            offsetMinutes = -offsetMinutes;
          }
          time = time.minusMinutes(offsetMinutes);
        }
        return new Timestamp(time);
      } catch (DateTimeException e) {
        throw error(node, "bad timestamp '" + node.getValue() + "': " + e.getMessage());
      }
    }

    // ----------------------------------------------------------------------------------------- node access

    /** A mapping's entries by key, with their key and value nodes; keys must be strings and unique. */
    private Map<String, Node[]> mapping(Node node, String what) {
      if (!(node instanceof MappingNode mapping) || !mapping.getTag().equals(Tag.MAP)) {
        throw error(node, what + " must be a mapping, got " + describe(node));
      }
      return entries(mapping, what);
    }

    /** The entries of a mapping whatever its tag (for the tagged mappings of timespans and regions). */
    private Map<String, Node[]> entries(MappingNode mapping, String what) {
      Map<String, Node[]> entries = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        Node key = tuple.getKeyNode();
        if (key.getTag().equals(Tag.MERGE)) {
          throw error(key, "merge keys (<<) are not supported");
        }
        if (!(key instanceof ScalarNode scalarKey) || !key.getTag().equals(Tag.STR)) {
          throw error(key, "keys of " + what + " must be strings, got " + describe(key));
        }
        if (entries.containsKey(scalarKey.getValue())) {
          throw error(key, "duplicate key '" + scalarKey.getValue() + "' in " + what);
        }
        entries.put(scalarKey.getValue(), new Node[] {key, tuple.getValueNode()});
      }
      return entries;
    }

    private List<Node> sequence(Node node, String what) {
      if (!(node instanceof SequenceNode sequence) || !sequence.getTag().equals(Tag.SEQ)) {
        throw error(node, what + " must be a list, got " + describe(node));
      }
      return sequence.getValue();
    }

    private void allowKeys(Map<String, Node[]> map, String what, String... allowed) {
      Set<String> known = new LinkedHashSet<>(List.of(allowed));
      for (Map.Entry<String, Node[]> entry : map.entrySet()) {
        if (!known.contains(entry.getKey())) {
          throw error(entry.getValue()[0], "unexpected key '" + entry.getKey() + "' in " + what + " (allowed: "
              + String.join(", ", known) + ")");
        }
      }
    }

    private Node required(Map<String, Node[]> map, Node owner, String key, String what) {
      Node[] entry = map.get(key);
      if (entry == null) {
        throw error(owner, what + " is missing required key '" + key + "'");
      }
      return entry[1];
    }

    private String string(Node node, String what) {
      if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
        return scalar.getValue();
      }
      throw error(node, what + " must be a string, got " + describe(node));
    }

    private String optionalString(Node node, String what) {
      if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
        return null;
      }
      return string(node, what);
    }

    private long integer(Node node, String what) {
      if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.INT)) {
        throw error(node, what + " must be an integer, got " + describe(node));
      }
      String text = scalar.getValue().replace("_", "");
      try {
        int sign = 1;
        if (text.startsWith("-")) {
          sign = -1;
          text = text.substring(1);
        } else if (text.startsWith("+")) {
          text = text.substring(1);
        }
        BigInteger value;
        if (text.equals("0")) {
          value = BigInteger.ZERO;
        } else if (text.startsWith("0b")) {
          value = new BigInteger(text.substring(2), 2);
        } else if (text.startsWith("0x")) {
          value = new BigInteger(text.substring(2), 16);
        } else if (text.startsWith("0")) {
          value = new BigInteger(text.substring(1), 8);
        } else if (text.contains(":")) {
          value = BigInteger.ZERO;
          for (String digit : text.split(":")) {
            value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(digit));
          }
        } else {
          value = new BigInteger(text);
        }
        return value.multiply(BigInteger.valueOf(sign)).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw error(node, what + ": integer " + scalar.getValue() + " is out of range");
      }
    }

    private double floating(Node node, String what) {
      String text = ((ScalarNode) node).getValue().replace("_", "").toLowerCase(Locale.ROOT);
      int sign = 1;
      if (text.startsWith("-")) {
        sign = -1;
        text = text.substring(1);
      } else if (text.startsWith("+")) {
        text = text.substring(1);
      }
      try {
        if (text.equals(".inf")) {
          return sign * Double.POSITIVE_INFINITY;
        } else if (text.equals(".nan")) {
          return Double.NaN;
        } else if (text.contains(":")) {
          double value = 0;
          for (String digit : text.split(":")) {
            value = value * 60 + Double.parseDouble(digit);
          }
          return sign * value;
        }
        return sign * Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error(node, "bad number '" + ((ScalarNode) node).getValue() + "' for " + what);
      }
    }

    private boolean bool(Node node, String what) {
      if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.BOOL)) {
        throw error(node, what + " must be true or false, got " + describe(node));
      }
      String text = scalar.getValue().toLowerCase(Locale.ROOT);
      return text.equals("true") || text.equals("yes") || text.equals("on");
    }

    private String describe(Node node) {
      if (node instanceof MappingNode mapping) {
        return mapping.getTag().equals(Tag.MAP) ? "a mapping" : "a " + tagText(mapping.getTag()) + " mapping";
      }
      if (node instanceof SequenceNode) {
        return "a list";
      }
      ScalarNode scalar = (ScalarNode) node;
      Tag tag = scalar.getTag();
      String value = "'" + scalar.getValue() + "'";
      if (tag.equals(Tag.STR)) {
        return "the string " + value;
      } else if (tag.equals(Tag.INT)) {
        return "the integer " + scalar.getValue();
      } else if (tag.equals(Tag.FLOAT)) {
        return "the number " + scalar.getValue();
      } else if (tag.equals(Tag.BOOL)) {
        return "the boolean " + scalar.getValue();
      } else if (tag.equals(Tag.NULL)) {
        return "null";
      } else if (tag.equals(Tag.TIMESTAMP)) {
        return "the timestamp " + scalar.getValue() + " (quote it to make it a string)";
      }
      return tagText(tag) + " " + value;
    }
  }

  private static String tagText(Tag tag) {
    String value = tag.getValue();
    if (value.startsWith(Tag.PREFIX)) {
      return "!!" + value.substring(Tag.PREFIX.length());
    }
    return value.startsWith("!") ? value : "!<" + value + ">";
  }
}
