package io.autobutler.core.transfer;

import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import io.autobutler.core.transfer.YamlTree.Mapping;
import io.autobutler.core.transfer.YamlTree.Node;
import io.autobutler.core.transfer.YamlTree.Scalar;
import io.autobutler.core.transfer.YamlTree.Sequence;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an {@link ExportFile} as daf_butler's {@code YamlRepoExportBackend} does: the same key order, the same
 * tags ({@code !uuid}, {@code !butler_time/tai/iso}, {@code !lsst.daf.butler.Timespan},
 * {@code !<lsst.sphgeom.ConvexPolygon>}, {@code !!binary}) and PyYAML's default block layout, so that a file
 * daf_butler wrote comes out byte for byte as it went in.
 *
 * <p>Blocks are written in model order; {@link ExportOrdering#sort} puts a model in daf_butler's export order.
 * A dataset ID written more than once (in a dataset block and again in associations) is written with an anchor
 * ({@code &id001}) the first time and as an alias ({@code *id001}) afterwards, as PyYAML does for a repeated
 * object; {@link #aliasRepeatedDatasetIds(boolean)} turns that off.
 */
public final class ExportFileWriter {

  static final String UUID_TAG = "!uuid";
  static final String TIME_TAG = "!butler_time/tai/iso";
  static final String TIMESPAN_TAG = "!lsst.daf.butler.Timespan";

  private boolean aliasRepeatedDatasetIds = true;

  /**
   * Whether a dataset ID that occurs more than once is written as an anchor and aliases (the default) or in full
   * each time.
   */
  public ExportFileWriter aliasRepeatedDatasetIds(boolean alias) {
    this.aliasRepeatedDatasetIds = alias;
    return this;
  }

  /** The YAML text of the file. */
  public String write(ExportFile file) {
    return PyYamlEmitter.emit(new Builder().root(file));
  }

  /** Writes the text to {@code out} as it is produced, without holding it whole in memory; flushes at the end. */
  public void write(ExportFile file, Writer out) throws IOException {
    Writer buffered = new BufferedWriter(out, 1 << 16);
    PyYamlEmitter.emit(new Builder().root(file), buffered);
    buffered.flush();
  }

  /** Writes the file as UTF-8 (the text itself is ASCII: other characters are escaped). */
  public void write(ExportFile file, Path path) throws IOException {
    try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      write(file, out);
    }
  }

  /** Builds the node graph, the equivalent of the dicts daf_butler hands to {@code yaml.dump}. */
  private final class Builder {

    private final Map<UUID, Scalar> uuidNodes = new HashMap<>();

    Node root(ExportFile file) {
      ExportHeader header = file.header();
      Mapping root = new Mapping(YamlTree.MAP);
      root.put("description", header.description() == null ? YamlTree.nul() : YamlTree.str(header.description()));
      root.put("version", header.version().matches("[0-9]+")
          ? new Scalar(YamlTree.INT, header.version(), null) : YamlTree.str(header.version()));
      root.put("universe_version", integer(header.universeVersion()));
      root.put("universe_namespace", YamlTree.str(header.universeNamespace()));
      Sequence data = new Sequence(YamlTree.SEQ);
      for (ExportBlock block : file.blocks()) {
        data.add(block(block));
      }
      root.put("data", data);
      return root;
    }

    private Node block(ExportBlock block) {
      Mapping map = new Mapping(YamlTree.MAP);
      map.put("type", YamlTree.str(block.yamlType()));
      if (block instanceof DimensionBlock dimension) {
        map.put("element", YamlTree.str(dimension.element()));
        Sequence records = new Sequence(YamlTree.SEQ);
        for (DimensionRecordData record : dimension.records()) {
          Mapping fields = new Mapping(YamlTree.MAP);
          record.values().forEach((name, value) -> fields.put(name, value(value)));
          records.add(fields);
        }
        map.put("records", records);
      } else if (block instanceof CollectionBlock collection) {
        map.put("collection_type", YamlTree.str(collection.type().name()));
        map.put("name", YamlTree.str(collection.name()));
        if (collection.doc() != null) {
          map.put("doc", YamlTree.str(collection.doc()));
        }
        switch (collection.type()) {
          case RUN -> {
            map.put("host", collection.host() == null ? YamlTree.nul() : YamlTree.str(collection.host()));
            map.put("timespan_begin", time(collection.timespanBegin()));
            map.put("timespan_end", time(collection.timespanEnd()));
          }
          case CHAINED -> map.put("children", strings(collection.children()));
          default -> {
          }
        }
      } else if (block instanceof DatasetTypeBlock datasetType) {
        map.put("name", YamlTree.str(datasetType.name()));
        map.put("dimensions", strings(datasetType.dimensions()));
        map.put("storage_class", YamlTree.str(datasetType.storageClass()));
        map.put("is_calibration", bool(datasetType.isCalibration()));
      } else if (block instanceof DatasetBlock dataset) {
        map.put("dataset_type", YamlTree.str(dataset.datasetType()));
        map.put("run", YamlTree.str(dataset.run()));
        Sequence records = new Sequence(YamlTree.SEQ);
        for (FileDatasetData file : dataset.records()) {
          Mapping record = new Mapping(YamlTree.MAP);
          Sequence ids = new Sequence(YamlTree.SEQ);
          Sequence dataIds = new Sequence(YamlTree.SEQ);
          for (DatasetRefData ref : file.refs()) {
            ids.add(uuid(ref.id()));
            Mapping dataId = new Mapping(YamlTree.MAP);
            ref.dataId().forEach((name, value) -> dataId.put(name, value(value)));
            dataIds.add(dataId);
          }
          record.put("dataset_id", ids);
          record.put("data_id", dataIds);
          record.put("path", YamlTree.str(file.path()));
          if (file.formatter() != null) {
            record.put("formatter", YamlTree.str(file.formatter()));
          }
          records.add(record);
        }
        map.put("records", records);
      } else if (block instanceof TaggedAssociationsBlock tagged) {
        map.put("collection", YamlTree.str(tagged.collection()));
        map.put("collection_type", YamlTree.str("TAGGED"));
        map.put("dataset_ids", uuids(tagged.datasetIds()));
      } else if (block instanceof CalibrationAssociationsBlock calibration) {
        map.put("collection", YamlTree.str(calibration.collection()));
        map.put("collection_type", YamlTree.str("CALIBRATION"));
        Sequence ranges = new Sequence(YamlTree.SEQ);
        for (ValidityRange range : calibration.validityRanges()) {
          Mapping entry = new Mapping(YamlTree.MAP);
          entry.put("timespan", timespan(range.timespan()));
          entry.put("dataset_ids", uuids(range.datasetIds()));
          ranges.add(entry);
        }
        map.put("validity_ranges", ranges);
      }
      return map;
    }

    private Node value(Object value) {
      if (value == null) {
        return YamlTree.nul();
      } else if (value instanceof String s) {
        return YamlTree.str(s);
      } else if (value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof java.math.BigInteger) {
        return new Scalar(YamlTree.INT, value.toString(), null);
      } else if (value instanceof Double || value instanceof Float) {
        return new Scalar(YamlTree.FLOAT, PythonFloats.yaml(((Number) value).doubleValue()), null);
      } else if (value instanceof Boolean b) {
        return bool(b);
      } else if (value instanceof TaiTime t) {
        return time(t);
      } else if (value instanceof byte[] bytes) {
        return binary(bytes);
      } else if (value instanceof Region region) {
        return new Mapping(region.tag()).put("encoded", YamlTree.str(region.hex()));
      } else if (value instanceof UUID id) {
        return uuid(id);
      } else if (value instanceof Timespan timespan) {
        return timespan(timespan);
      }
      throw new IllegalArgumentException("cannot write a value of type " + value.getClass().getName());
    }

    private Scalar integer(long value) {
      return new Scalar(YamlTree.INT, Long.toString(value), null);
    }

    private Scalar bool(boolean value) {
      return new Scalar(YamlTree.BOOL, value ? "true" : "false", null);
    }

    private Scalar time(TaiTime time) {
      return time == null ? YamlTree.nul() : new Scalar(TIME_TAG, time.toIsoString(), null);
    }

    private Node timespan(Timespan timespan) {
      if (timespan.isEmpty()) {
        return new Scalar(TIMESPAN_TAG, "EMPTY", null);
      }
      return new Mapping(TIMESPAN_TAG).put("begin", time(timespan.begin())).put("end", time(timespan.end()));
    }

    /** Python's {@code base64.encodebytes}: lines of 76 characters, each ending with a newline. */
    private Scalar binary(byte[] bytes) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < bytes.length; i += 57) {
        text.append(Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 57))))
            .append('\n');
      }
      return new Scalar(YamlTree.BINARY, text.toString(), '|');
    }

    private Scalar uuid(UUID id) {
      if (!aliasRepeatedDatasetIds) {
        return new Scalar(UUID_TAG, id.toString(), null);
      }
      return uuidNodes.computeIfAbsent(id, key -> new Scalar(UUID_TAG, key.toString(), null));
    }

    private Sequence uuids(List<UUID> ids) {
      Sequence seq = new Sequence(YamlTree.SEQ);
      ids.forEach(id -> seq.add(uuid(id)));
      return seq;
    }

    private Sequence strings(List<String> values) {
      Sequence seq = new Sequence(YamlTree.SEQ);
      values.forEach(v -> seq.add(YamlTree.str(v)));
      return seq;
    }
  }
}
