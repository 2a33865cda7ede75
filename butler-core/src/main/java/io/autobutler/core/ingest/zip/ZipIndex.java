package io.autobutler.core.ingest.zip;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;

/**
 * daf_butler's {@code ZipIndex} ({@code datastores/file_datastore/retrieve_artifacts.py}), the
 * {@code _butler_zip_index.json} member of a zip written by {@code butler retrieve-artifacts --zip}: the refs
 * ({@code SerializedDatasetRefContainerV1}: dataset types, compact refs by UUID, optional dimension records) and the
 * artifact map (member path to its datastore record and the UUIDs it holds).
 *
 * @param universeVersion   the dimension universe version the zip was written with
 * @param universeNamespace the universe namespace ({@code daf_butler})
 * @param datasetTypes      the dataset types by name
 * @param refs              the refs by UUID, in index order
 * @param dimensionRecords  dimension records by element, in universe order, keyed as the registry takes them
 *                          (see {@link io.autobutler.core.registry.dimensions.DimensionRecordManager}); elements
 *                          without a table ({@code band}, skypix) are left out
 * @param artifacts         the zip's members, in index order
 */
public record ZipIndex(int universeVersion, String universeNamespace, Map<String, IndexedDatasetType> datasetTypes,
                       Map<UUID, IndexedRef> refs, Map<String, List<Map<String, Object>>> dimensionRecords,
                       List<Artifact> artifacts) {

  /** The index member's name (daf_butler's {@code ZipIndex.index_name}). */
  public static final String INDEX_NAME = "_butler_zip_index.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A dataset type as the index serializes it ({@code SerializedDatasetType}). */
  public record IndexedDatasetType(String name, String storageClass, List<String> dimensions, boolean isCalibration,
                                   String parentStorageClass) {
  }

  /** A compact ref ({@code MinimalistSerializableDatasetRef}) with its UUID; the data ID may hold implied values. */
  public record IndexedRef(UUID id, String datasetType, String run, Map<String, Object> dataId) {
  }

  /**
   * One member of the zip ({@code ArtifactIndexInfo}): its path in the zip, its datastore record as serialized
   * ({@code SerializedStoredFileInfo}) and the datasets it holds.
   */
  public record Artifact(String pathInZip, String formatter, String storageClass, String component,
                         String checksum, Long fileSize, Set<UUID> ids) {
  }

  /** The index's text, checked and converted; {@code zipName} names the zip in messages. */
  public static ZipIndex parse(String zipName, byte[] json) throws ZipIndexException {
    String where = zipName + ": " + INDEX_NAME;
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ZipIndexException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ZipIndexException(where + " cannot be read: " + e.getMessage(), e);
    }
    return new Parser(where).index(root);
  }

  /** The number of datasets the artifacts hold. */
  public int datasetCount() {
    Set<UUID> ids = new LinkedHashSet<>();
    artifacts.forEach(a -> ids.addAll(a.ids()));
    return ids.size();
  }

  /** Reads the JSON tree, every complaint prefixed with the zip and the index's name. */
  private static final class Parser {

    private final String where;
    private final DimensionUniverse universe = DimensionUniverse.v7();

    Parser(String where) {
      this.where = where;
    }

    ZipIndex index(JsonNode root) throws ZipIndexException {
      requireObject(root, "the index");
      String version = text(root.path("index_version"), "index_version", "V1");
      if (!version.equals("V1")) {
        throw malformed("index_version is '" + version + "'; only V1 is known");
      }
      JsonNode refs = requireObject(root.get("refs"), "refs");
      String container = text(refs.path("container_version"), "refs.container_version", "V1");
      if (!container.equals("V1")) {
        throw malformed("refs.container_version is '" + container + "'; only V1 is known");
      }
      JsonNode universeVersion = refs.get("universe_version");
      if (universeVersion == null || !universeVersion.canConvertToInt()) {
        throw malformed("refs.universe_version must be an integer");
      }
      String namespace = text(refs.path("universe_namespace"), "refs.universe_namespace", null);

      Map<String, IndexedDatasetType> types = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = requireObject(refs.get("dataset_types"),
          "refs.dataset_types").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        types.put(entry.getKey(), datasetType(entry.getKey(), entry.getValue()));
      }

      Map<UUID, IndexedRef> compact = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = requireObject(refs.get("compact_refs"),
          "refs.compact_refs").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        UUID id = uuid(entry.getKey(), "refs.compact_refs");
        compact.put(id, ref(id, entry.getValue(), types));
      }

      Map<String, List<Map<String, Object>>> records = new LinkedHashMap<>();
      JsonNode dimensionRecords = refs.get("dimension_records");
      if (dimensionRecords != null && !dimensionRecords.isNull()) {
        Map<String, List<Map<String, Object>>> byElement = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requireObject(dimensionRecords,
            "refs.dimension_records").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          DimensionElement element = universe.element(entry.getKey()).orElseThrow(() -> malformed(
              "refs.dimension_records has element '" + entry.getKey() + "', which universe "
                  + DimensionUniverse.NAMESPACE + " " + DimensionUniverse.VERSION + " does not have"));
          if (!element.hasTable()) {
            continue;
          }
          List<Map<String, Object>> rows = new ArrayList<>();
          for (JsonNode raw : requireArray(entry.getValue(), "refs.dimension_records." + element.name())) {
            rows.add(record(element, raw));
          }
          byElement.put(element.name(), rows);
        }
        byElement.keySet().stream().sorted(Comparator.comparingInt(universe::sortIndex))
            .forEach(name -> records.put(name, byElement.get(name)));
      }

      List<Artifact> artifacts = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = requireObject(root.get("artifact_map"),
          "artifact_map").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        artifacts.add(artifact(entry.getKey(), entry.getValue(), compact));
      }
      return new ZipIndex(universeVersion.intValue(), namespace, types, compact, records, artifacts);
    }

    private IndexedDatasetType datasetType(String key, JsonNode node) throws ZipIndexException {
      String at = "refs.dataset_types." + key;
      requireObject(node, at);
      String name = text(node.path("name"), at + ".name", key);
      if (!name.equals(key)) {
        throw malformed(at + " is named '" + name + "'");
      }
      JsonNode dims = node.path("dimensions");
      if (dims.isObject()) {
        dims = dims.path("names");
      }
      List<String> dimensions = new ArrayList<>();
      for (JsonNode d : requireArray(dims, at + ".dimensions")) {
        dimensions.add(text(d, at + ".dimensions[]", null));
      }
      JsonNode parent = node.path("parentStorageClass");
      return new IndexedDatasetType(name, text(node.path("storageClass"), at + ".storageClass", null), dimensions,
          node.path("isCalibration").asBoolean(false), parent.isTextual() ? parent.asText() : null);
    }

    private IndexedRef ref(UUID id, JsonNode node, Map<String, IndexedDatasetType> types) throws ZipIndexException {
      String at = "refs.compact_refs." + id;
      requireObject(node, at);
      String type = text(node.path("dataset_type_name"), at + ".dataset_type_name", null);
      if (!types.containsKey(type)) {
        throw malformed(at + " has dataset type '" + type + "', which refs.dataset_types does not define");
      }
      String run = text(node.path("run"), at + ".run", null);
      Map<String, Object> dataId = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = requireObject(node.get("data_id"), at + ".data_id")
          .fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        JsonNode value = entry.getValue();
        if (value.isIntegralNumber()) {
          dataId.put(entry.getKey(), value.longValue());
        } else if (value.isTextual()) {
          dataId.put(entry.getKey(), value.asText());
        } else {
          throw malformed(at + ".data_id." + entry.getKey() + " must be an integer or a string, not " + value);
        }
      }
      return new IndexedRef(id, type, run, dataId);
    }

    private Artifact artifact(String path, JsonNode node, Map<UUID, IndexedRef> refs) throws ZipIndexException {
      String at = "artifact_map['" + path + "']";
      requireObject(node, at);
      JsonNode info = requireObject(node.get("info"), at + ".info");
      Set<UUID> ids = new LinkedHashSet<>();
      for (JsonNode id : requireArray(node.get("ids"), at + ".ids")) {
        UUID uuid = uuid(id.asText(), at + ".ids");
        if (!refs.containsKey(uuid)) {
          throw malformed(at + " holds dataset " + uuid + ", which refs.compact_refs does not define");
        }
        ids.add(uuid);
      }
      if (ids.isEmpty()) {
        throw malformed(at + " holds no dataset");
      }
      JsonNode size = info.path("file_size");
      return new Artifact(path, text(info.path("formatter"), at + ".info.formatter", null),
          text(info.path("storage_class"), at + ".info.storage_class", null), optionalText(info.path("component")),
          optionalText(info.path("checksum")), size.canConvertToLong() ? size.longValue() : null, ids);
    }

    /**
     * A record serialized by {@code DimensionRecord.serialize_key_value}: the required dimension values (the
     * element's own key last), then the implied dimensions, then the other fields, the region (hex of the sphgeom
     * encoding) and the timespan ({@code [begin, end]} TAI nanoseconds), in daf_butler's schema order.
     */
    private Map<String, Object> record(DimensionElement element, JsonNode raw) throws ZipIndexException {
      String at = "refs.dimension_records." + element.name();
      List<String> required = new ArrayList<>(universe.group(element.required()).required());
      List<String> implied = element.implied().stream().sorted(Comparator.comparingInt(universe::sortIndex))
          .toList();
      List<String> layout = new ArrayList<>(required);
      if (element.isDimension()) {
        layout.add(element.key());
      }
      layout.addAll(implied);
      layout.addAll(element.fields().keySet());
      if (element.spatial()) {
        layout.add("region");
      }
      if (element.temporal()) {
        layout.add("timespan");
      }
      requireArray(raw, at + "[]");
      if (raw.size() != layout.size()) {
        throw malformed(at + " record " + raw + " has " + raw.size() + " values; universe "
            + DimensionUniverse.VERSION + " has " + layout.size() + " " + layout);
      }
      Map<String, Object> record = new LinkedHashMap<>();
      for (int i = 0; i < layout.size(); i++) {
        String field = layout.get(i);
        JsonNode value = raw.get(i);
        switch (field) {
          case "region" -> record.put("region", value.isNull() ? null
              : Base64.getEncoder().encodeToString(hex(value, at + ".region")));
          case "timespan" -> {
            Long begin = null;
            Long end = null;
            if (!value.isNull()) {
              if (!value.isArray() || value.size() != 2 || !value.get(0).canConvertToLong()
                  || !value.get(1).canConvertToLong()) {
                throw malformed(at + " record " + raw + ": a timespan is [begin, end] in TAI nanoseconds");
              }
              // An empty timespan (daf_butler writes begin >= end) is stored as no timespan.
              if (value.get(0).longValue() < value.get(1).longValue()) {
                begin = value.get(0).longValue();
                end = value.get(1).longValue();
              }
            }
            record.put("datetime_begin", begin);
            record.put("datetime_end", end);
          }
          default -> record.put(field, scalar(element, field, value, at, raw));
        }
      }
      return record;
    }

    private Object scalar(DimensionElement element, String field, JsonNode value, String at, JsonNode raw)
        throws ZipIndexException {
      if (value.isNull()) {
        return null;
      }
      FieldType type = element.fields().get(field);
      if (type == null) {
        String dimension = field.equals(element.key()) ? element.name() : field;
        type = universe.element(dimension).map(DimensionElement::keyType).orElse(FieldType.STRING);
      }
      return switch (type) {
        case INT -> {
          if (!value.isIntegralNumber()) {
            throw malformed(at + " record " + raw + ": " + field + " must be an integer, not " + value);
          }
          yield value.longValue();
        }
        case FLOAT -> {
          if (!value.isNumber()) {
            throw malformed(at + " record " + raw + ": " + field + " must be a number, not " + value);
          }
          yield value.doubleValue();
        }
        case BOOLEAN -> {
          if (!value.isBoolean()) {
            throw malformed(at + " record " + raw + ": " + field + " must be true or false, not " + value);
          }
          yield value.booleanValue();
        }
        case BYTES -> hex(value, at + "." + field);
        default -> {
          if (!value.isTextual()) {
            throw malformed(at + " record " + raw + ": " + field + " must be a string, not " + value);
          }
          yield value.asText();
        }
      };
    }

    private byte[] hex(JsonNode value, String at) throws ZipIndexException {
      try {
        return HexFormat.of().parseHex(value.asText());
      } catch (IllegalArgumentException e) {
        throw malformed(at + " is not hexadecimal: " + value);
      }
    }

    private UUID uuid(String text, String at) throws ZipIndexException {
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        throw malformed(at + ": '" + text + "' is not a UUID");
      }
    }

    private String text(JsonNode node, String at, String absent) throws ZipIndexException {
      if (node == null || node.isMissingNode() || node.isNull()) {
        if (absent != null) {
          return absent;
        }
        throw malformed(at + " is missing");
      }
      if (!node.isTextual()) {
        throw malformed(at + " must be a string, not " + node);
      }
      return node.asText();
    }

    private static String optionalText(JsonNode node) {
      return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private JsonNode requireObject(JsonNode node, String at) throws ZipIndexException {
      if (node == null || !node.isObject()) {
        throw malformed(at + (node == null || node.isMissingNode() ? " is missing" : " must be an object"));
      }
      return node;
    }

    private JsonNode requireArray(JsonNode node, String at) throws ZipIndexException {
      if (node == null || !node.isArray()) {
        throw malformed(at + (node == null || node.isMissingNode() ? " is missing" : " must be a list"));
      }
      return node;
    }

    private ZipIndexException malformed(String what) {
      return new ZipIndexException(where + " is malformed: " + what);
    }
  }
}
