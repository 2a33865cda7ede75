package io.autobutler.core.ingest.sidecar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dataset a Rubin file carries in its {@code rubin_sidecar} Rucio metadata: the JSON text of daf_butler's
 * {@code DatasetRef.to_json()}, e.g.
 * <pre>
 * {"id": "bad79e54-31ae-5403-984b-22c992ff6eec",
 *  "datasetType": {"name": "raw", "storageClass": "Exposure", "dimensions": ["instrument", "detector", "exposure"]},
 *  "dataId": {"dataId": {"instrument": "LATISS", "detector": 0, "exposure": 2025011300004, "band": "g", ...}},
 *  "run": "LATISS/raw/all"}
 * </pre>
 * The data ID is nested twice ({@code SerializedDataCoordinate}); it may hold implied values (band, day_obs, …)
 * besides the required ones. Keys this reader does not use ({@code component}, {@code records}, …) are ignored.
 *
 * @param id            the dataset's UUID, the idempotency key of its ingest
 * @param datasetType   the dataset type's name
 * @param storageClass  its storage class
 * @param dimensions    its dimensions, as given
 * @param isCalibration whether it is a calibration dataset type ({@code isCalibration}, default false)
 * @param dataId        the data ID as given: integers as {@link Long}, the rest as text
 * @param run           the RUN collection
 */
public record SidecarRef(UUID id, String datasetType, String storageClass, List<String> dimensions,
                         boolean isCalibration, Map<String, Object> dataId, String run) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public SidecarRef {
    dimensions = List.copyOf(dimensions);
    dataId = Collections.unmodifiableMap(new LinkedHashMap<>(dataId));
  }

  /**
   * Reads a sidecar.
   *
   * @throws SidecarFormatException when it is missing, not JSON, or lacks what a DatasetRef needs
   */
  public static SidecarRef parse(String sidecar) {
    if (sidecar == null || sidecar.isBlank()) {
      throw new SidecarFormatException("the file has no rubin_sidecar: its DatasetRef is unknown");
    }
    JsonNode root;
    try {
      root = JSON.readTree(sidecar);
    } catch (JsonProcessingException e) {
      throw new SidecarFormatException("rubin_sidecar is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SidecarFormatException("rubin_sidecar is not a JSON object (DatasetRef.to_json())");
    }
    UUID id = uuid(text(root, "id", "id"));
    JsonNode type = object(root, "datasetType");
    String name = text(type, "name", "datasetType.name");
    if (name.contains(".")) {
      throw new SidecarFormatException("rubin_sidecar names component dataset type '" + name
          + "': only whole datasets can be ingested");
    }
    String storageClass = text(type, "storageClass", "datasetType.storageClass");
    JsonNode dims = type.get("dimensions");
    if (dims == null || !dims.isArray()) {
      throw new SidecarFormatException("rubin_sidecar lacks datasetType.dimensions (a list of dimension names)");
    }
    List<String> dimensions = new ArrayList<>();
    for (JsonNode d : dims) {
      if (!d.isTextual()) {
        throw new SidecarFormatException("rubin_sidecar datasetType.dimensions holds " + d + ", not a name");
      }
      dimensions.add(d.asText());
    }
    JsonNode calibration = type.get("isCalibration");
    boolean isCalibration = calibration != null && calibration.asBoolean(false);
    JsonNode coordinate = object(root, "dataId");
    JsonNode values = coordinate.has("dataId") ? object(coordinate, "dataId") : coordinate;
    Map<String, Object> dataId = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (value.isIntegralNumber()) {
        dataId.put(field.getKey(), value.asLong());
      } else if (value.isTextual()) {
        dataId.put(field.getKey(), value.asText());
      } else {
        throw new SidecarFormatException("rubin_sidecar data ID value " + field.getKey() + "=" + value
            + " is neither an integer nor a string");
      }
    }
    return new SidecarRef(id, name, storageClass, dimensions, isCalibration, dataId, text(root, "run", "run"));
  }

  /**
   * The sidecar's text as {@code DatasetRef.to_json()} writes it, what {@code rucio-register} puts in
   * {@code rubin_sidecar}: {@link #parse} reads it back as this ref ({@code isCalibration} written only when true).
   */
  public String toJson() {
    Map<String, Object> type = new LinkedHashMap<>();
    type.put("name", datasetType);
    type.put("storageClass", storageClass);
    type.put("dimensions", dimensions);
    if (isCalibration) {
      type.put("isCalibration", true);
    }
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("id", id.toString());
    ref.put("datasetType", type);
    ref.put("dataId", Map.of("dataId", dataId));
    ref.put("run", run);
    try {
      return JSON.writeValueAsString(ref);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a sidecar: " + e.getMessage(), e);
    }
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new SidecarFormatException("rubin_sidecar lacks " + field + " (an object)");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new SidecarFormatException("rubin_sidecar lacks " + path + " (a non-empty string)");
    }
    return value.asText();
  }

  /** daf_butler writes UUIDs with dashes; the 32-hex form is accepted too. */
  private static UUID uuid(String text) {
    String value = text.strip();
    if (value.matches("[0-9a-fA-F]{32}")) {
      value = value.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
    }
    if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      throw new SidecarFormatException("rubin_sidecar id '" + text + "' is not a UUID");
    }
    return UUID.fromString(value);
  }
}
