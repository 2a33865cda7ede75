package io.autobutler.core.ingest.index;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.obsinfo.ObservationInfoException;
import io.autobutler.core.ingest.obsinfo.ObservationProperty;

/**
 * An {@code _index.json} as astro_metadata_translator's {@code astrometadata write-index} writes it (tag w.2025.20,
 * {@code indexing.py::process_index_data}): an object with {@code __CONTENT__} ({@code translated} or
 * {@code metadata}), {@code __COMMON__} (the properties every file shares, merged into each entry, where they win
 * as Python's {@code dict.update} makes them) and one entry per file, keyed by the file's path relative to the
 * index's folder.
 *
 * <p>Only translated content is read: a {@code metadata} index holds raw FITS headers, which would need the
 * instrument's header translator.
 */
public record IndexFile(URI location, List<IndexEntry> entries) {

  /** The name index files must have. */
  public static final String NAME = "_index.json";
  static final String CONTENT_KEY = "__CONTENT__";
  static final String COMMON_KEY = "__COMMON__";

  /**
   * Field names are not canonicalized: an index's keys are file names, each seen once, which would only fill (and
   * keep resetting) Jackson's symbol table.
   */
  private static final ObjectMapper JSON = new ObjectMapper(
      JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
  private static final Pattern ABSOLUTE_URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

  public IndexFile {
    entries = List.copyOf(entries);
  }

  /**
   * Reads the index at {@code location} from its text.
   *
   * @throws IndexFormatException naming the index, and the entry and property when one entry is at fault
   */
  public static IndexFile parse(URI location, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IndexFormatException(location, null, null, "not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new IndexFormatException(location, null, null, "cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IndexFormatException(location, null, null, "not a JSON object, so not an index");
    }
    JsonNode common = root.get(COMMON_KEY);
    if (common == null || !common.isObject()) {
      throw new IndexFormatException(location, null, null, "no '" + COMMON_KEY + "' object: this does not look"
          + " like an index data structure");
    }
    JsonNode content = root.get(CONTENT_KEY);
    if (content == null || !content.isTextual() || !content.textValue().equals("translated")) {
      String what = content == null ? "no '" + CONTENT_KEY + "' (which means 'metadata')"
          : "'" + CONTENT_KEY + "' " + content;
      throw new IndexFormatException(location, null, null, "it has " + what + ": not supported: header-only index"
          + " (untranslated FITS headers need the instrument's metadata translator; write the index with"
          + " 'astrometadata write-index --content translated')");
    }
    List<IndexEntry> entries = new ArrayList<>();
    // The common properties are decoded once, when the first entry needs them (their faults are that entry's).
    EnumMap<ObservationProperty, Object> commonValues = null;
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (key.equals(CONTENT_KEY) || key.equals(COMMON_KEY)) {
        continue;
      }
      if (!field.getValue().isObject()) {
        throw new IndexFormatException(location, key, null, "an entry must be a JSON object of properties, not "
            + field.getValue().getNodeType());
      }
      ObservationInfo info;
      try {
        if (commonValues == null) {
          commonValues = ObservationInfo.decodeSimple(common.properties());
        }
        EnumMap<ObservationProperty, Object> values = ObservationInfo.decodeSimple(field.getValue().properties());
        values.putAll(commonValues); // the common ones win, as dict.update makes them; a null removes a value
        info = ObservationInfo.of(values);
      } catch (ObservationInfoException e) {
        throw new IndexFormatException(location, key, e.property(), e.getMessage());
      }
      entries.add(new IndexEntry(key, resolve(location, key), info));
    }
    return new IndexFile(location, entries);
  }

  /**
   * The text of an {@code _index.json} for the files of one folder, as {@code astrometadata write-index} writes it:
   * translated content, the properties equal in every file under {@code __COMMON__}, the rest per file.
   */
  public static String toJson(Map<String, ObservationInfo> byFileName) {
    Map<String, Map<String, Object>> simple = new LinkedHashMap<>();
    byFileName.forEach((name, info) -> simple.put(name, info.toSimple()));
    Map<String, Object> common = new LinkedHashMap<>();
    if (!simple.isEmpty()) {
      Map<String, Object> first = simple.values().iterator().next();
      first.forEach((property, value) -> {
        if (simple.values().stream().allMatch(s -> value.equals(s.get(property)))) {
          common.put(property, value);
        }
      });
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put(CONTENT_KEY, "translated");
    index.put(COMMON_KEY, common);
    simple.forEach((name, properties) -> {
      Map<String, Object> own = new LinkedHashMap<>(properties);
      own.keySet().removeAll(common.keySet());
      index.put(name, own);
    });
    try {
      return JSON.writeValueAsString(index);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an index: " + e.getMessage(), e);
    }
  }

  /** The entries by absolute file URI (the first entry of a file wins). */
  public Map<URI, IndexEntry> byFile() {
    Map<URI, IndexEntry> byFile = new LinkedHashMap<>();
    entries.forEach(e -> byFile.putIfAbsent(e.file(), e));
    return byFile;
  }

  /**
   * A key's file: an absolute URI is kept, anything else is a path relative to the index's folder (normalised,
   * so {@code ../x.fits} names the parent folder's file).
   */
  static URI resolve(URI location, String key) {
    try {
      if (ABSOLUTE_URI.matcher(key).matches()) {
        return new URI(key).normalize();
      }
      if (key.isEmpty()) {
        throw new IndexFormatException(location, key, null, "an entry's key must name a file");
      }
      // "./" keeps a ':' in a file name from being read as a scheme.
      String path = key.startsWith("/") ? key : "./" + key;
      return location.resolve(new URI(null, null, path, null)).normalize();
    } catch (URISyntaxException e) {
      throw new IndexFormatException(location, key, null, "the key is not a valid file path: " + e.getReason());
    }
  }
}
