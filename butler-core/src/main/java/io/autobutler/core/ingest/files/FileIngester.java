package io.autobutler.core.ingest.files;

import static io.autobutler.core.registry.RegistryException.Kind.CONFLICTING_DEFINITION;
import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;
import static io.autobutler.core.registry.RegistryException.Kind.MISSING_DATASET_TYPE;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.dimensions.DimensionElement;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.dimensions.FieldType;
import io.autobutler.core.ingest.files.IngestTable.Format;
import io.autobutler.core.ingest.files.IngestTable.Row;
import io.autobutler.core.ingest.files.IngestTable.TableFormatException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.datasets.DatasetType;

/**
 * daf_butler w_2025_20's {@code butler ingest-files} ({@code script/ingest_files.py}): a table whose first column is
 * a file URI and whose other columns are data ID keys becomes datasets of one existing dataset type in one RUN,
 * recorded where the files are (transfer {@code direct}). Rows naming the same file make one file with several
 * datasets: one datastore record per dataset, all with the file's URI, as daf_butler's file datastore stores a
 * FileDataset with several refs. No dimension records are created; the RUN is registered when missing. Everything
 * goes in one transaction through the dataset manager's bulk insert, so a refused table changes nothing.
 */
public final class FileIngester {

  /** The logger of daf_butler's ingest-files script, whose line the command prints. */
  public static final String LOGGER = "lsst.daf.butler.script.ingest_files";
  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static final Pattern PYTHON_CLASS = Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)+");
  private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private final DimensionUniverse universe = DimensionUniverse.v7();

  /**
   * What to ingest.
   *
   * @param datasetType      the dataset type's name; it must be registered
   * @param run              the RUN collection, registered when missing
   * @param table            the table file's text
   * @param tableName        the table file's name, for its format (by extension) and in messages; may be null
   * @param dataId           {@code dimension=value} strings fixed for every row; they override table columns
   * @param formatter        the fully-qualified formatter class recorded with each file, or null for none
   * @param idGenerationMode UNIQUE (default), DATAID_TYPE or DATAID_TYPE_RUN
   * @param prefix           the absolute URI relative file paths are resolved against, as a directory
   * @param transfer         only {@code direct} (the default)
   */
  public record Request(String datasetType, String run, String table, String tableName, List<String> dataId,
                        String formatter, String idGenerationMode, String prefix, String transfer) {
  }

  /**
   * What an ingest did: the dataset refs and files of the table (the butler's log line), how many datasets were new
   * and how many were there already in identical form, and whether the RUN was created.
   */
  public record Result(String run, boolean runCreated, int datasets, int files, int inserted, int unchanged) {

    /** daf_butler's log line. */
    public String logLine() {
      return FileIngester.logLine(datasets, files);
    }
  }

  /** daf_butler's log line for {@code datasets} refs from {@code files} files. */
  public static String logLine(int datasets, int files) {
    return String.format("Ingesting %d dataset ref(s) from %d file(s)", datasets, files);
  }

  /**
   * One row of the table, resolved: its line in the table file, its file's absolute URI and its data ID (table
   * columns cast to their dimension's key type, {@code --data-id} applied).
   */
  public record FileRef(int line, String file, Map<String, Object> dataId) {
  }

  /**
   * What an ingest of chosen rows did: the result, the dataset IDs of each file (new ones and ones kept), and the
   * rows' required data IDs.
   */
  public record Outcome(Result result, Map<String, List<UUID>> datasetsByFile, List<Map<String, Object>> dataIds) {
  }

  /** The request's checked settings. */
  private record Settings(String datasetType, String run, String formatter, IdGenerationMode mode) {
  }

  /** A row ready to go in: its ref, its standardized required data ID and that data ID's canonical key. */
  private record Prepared(FileRef ref, Map<String, Object> dataId, String key) {
  }

  /** A dataset the run holds already: its id and its file's URI (null without a file record). */
  private record Stored(UUID id, String file) {
  }

  /** Ingests every row of the table; a dataset already in the run is a conflict unless its ID is the same. */
  public Result ingest(Registry registry, Request request) {
    return ingest(registry, request, rows(request), false).result();
  }

  /**
   * The table's rows, read, resolved against the prefix and checked, without touching the registry: a caller can
   * choose which of them go in ({@link #ingest(Registry, Request, List, boolean)}).
   */
  public List<FileRef> rows(Request request) {
    settings(request);
    Map<String, Object> commonDataId = parseDataId(request.dataId());
    URI prefix = prefixUri(request.prefix());
    return readTable(request, commonDataId, prefix);
  }

  /**
   * Ingests {@code refs} (rows of {@code request}'s table) in one transaction. With {@code keepExisting}, a row
   * whose data ID the run already holds with the same file URI is left as it is and counted unchanged, whatever
   * the stored dataset's ID, so that a table ingested with random (UNIQUE) IDs can be ingested again without
   * change; the same data ID with another file is a conflict. Without it, as daf_butler: only the same ID is
   * accepted again.
   */
  public Outcome ingest(Registry registry, Request request, List<FileRef> refs, boolean keepExisting) {
    Settings settings = settings(request);
    Outcome outcome = registry.transaction(c -> {
      DatasetType type = registry.datasetTypes().find(c, settings.datasetType()).orElseThrow(() ->
          new RegistryException(MISSING_DATASET_TYPE, "Dataset type '" + settings.datasetType()
              + "' does not exist."));
      List<Prepared> prepared = prepare(registry.datasets(), type, refs);
      boolean created = registry.collections().register(c, settings.run(), CollectionType.RUN, null);
      CollectionRecord run = registry.collections().get(c, settings.run());
      Map<String, Stored> stored = keepExisting ? stored(c, type, run, prepared) : Map.of();
      List<NewDataset> datasets = new ArrayList<>(prepared.size());
      Map<String, List<UUID>> byFile = new LinkedHashMap<>();
      int kept = 0;
      for (Prepared row : prepared) {
        Stored there = stored.get(row.key());
        UUID id;
        if (there != null) {
          if (!row.ref().file().equals(there.file())) {
            throw new RegistryException(CONFLICTING_DEFINITION, "line " + row.ref().line() + ": dataset "
                + type.name() + "@" + pythonDataId(row.dataId()) + " is in run " + run.name() + " already, with"
                + " file " + there.file() + ", not " + row.ref().file());
          }
          id = there.id();
          kept++;
        } else {
          id = settings.mode().id(type.name(), run.name(), row.dataId());
          datasets.add(new NewDataset(id, row.dataId(), new FileRecord(row.ref().file(), settings.formatter(),
              type.storageClass(), null, null)));
        }
        byFile.computeIfAbsent(row.ref().file(), f -> new ArrayList<>()).add(id);
      }
      DatasetManager.InsertResult counts;
      try {
        counts = registry.datasets().insert(c, type, run, datasets);
      } catch (SQLException e) {
        if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
          throw new RegistryException(INVALID_ARGUMENT, "a data ID of the table names a dimension record that is"
              + " not in the registry (" + detail(e) + "); ingest-files creates no dimension records");
        }
        throw e;
      }
      Result result = new Result(run.name(), created, refs.size(), byFile.size(), counts.inserted(),
          counts.unchanged() + kept);
      return new Outcome(result, byFile, prepared.stream().map(Prepared::dataId).toList());
    });
    LOG.info(outcome.result().logLine());
    return outcome;
  }

  /** The request's settings, checked: what is required, the transfer mode, the formatter and the ID mode. */
  private static Settings settings(Request request) {
    String datasetTypeName = required(request.datasetType(), "DATASET_TYPE");
    String runName = required(request.run(), "RUN");
    if (request.table() == null) {
      throw new RegistryException(INVALID_ARGUMENT, "the table file's text is required");
    }
    String transfer = request.transfer() == null || request.transfer().isBlank() ? "direct" : request.transfer();
    if (!transfer.equals("direct")) {
      throw new RegistryException(INVALID_ARGUMENT, "transfer mode '" + transfer + "' is not supported: autobutler"
          + " records files where they are (--transfer direct) and never copies them");
    }
    String formatter = request.formatter() == null || request.formatter().isBlank() ? null : request.formatter();
    if (formatter != null && !PYTHON_CLASS.matcher(formatter).matches()) {
      throw new RegistryException(INVALID_ARGUMENT, "--formatter '" + formatter + "' is not a fully-qualified"
          + " Python class name");
    }
    try {
      return new Settings(datasetTypeName, runName, formatter, IdGenerationMode.parse(request.idGenerationMode()));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(INVALID_ARGUMENT, e.getMessage());
    }
  }

  /**
   * The table's rows as refs: the first column is the file, the others data ID keys cast with their dimension's key
   * type, overridden by {@code --data-id}.
   */
  private List<FileRef> readTable(Request request, Map<String, Object> commonDataId, URI prefix) {
    String name = request.tableName() == null ? "table file" : request.tableName();
    IngestTable table;
    try {
      table = IngestTable.parse(request.table(), Format.detect(request.tableName(), request.table()));
    } catch (TableFormatException e) {
      throw new RegistryException(INVALID_ARGUMENT, name + ": " + e.getMessage());
    }
    List<String> keys = table.columns().subList(1, table.columns().size());
    for (String key : keys) {
      if (!universe.isDimension(key)) {
        throw new RegistryException(INVALID_ARGUMENT, name + ": column '" + key + "' is not a dimension; the"
            + " first column is the file URI and the others must be dimension names");
      }
    }
    List<FileRef> refs = new ArrayList<>();
    for (Row row : table.rows()) {
      String path = row.values().get(0);
      if (path.isBlank()) {
        throw new RegistryException(INVALID_ARGUMENT, name + ": line " + row.line() + ": no file in column '"
            + table.columns().get(0) + "'");
      }
      Map<String, Object> dataId = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        if (commonDataId.containsKey(key)) {
          continue;
        }
        String value = row.values().get(i + 1);
        if (value.isEmpty()) {
          throw new RegistryException(INVALID_ARGUMENT, name + ": line " + row.line() + ": no value for '" + key
              + "'");
        }
        try {
          dataId.put(key, cast(key, value));
        } catch (IllegalArgumentException e) {
          throw new RegistryException(INVALID_ARGUMENT, name + ": line " + row.line() + ": " + e.getMessage());
        }
      }
      dataId.putAll(commonDataId);
      try {
        refs.add(new FileRef(row.line(), resolve(path, prefix), dataId));
      } catch (IllegalArgumentException e) {
        throw new RegistryException(INVALID_ARGUMENT, name + ": line " + row.line() + ": " + e.getMessage());
      }
    }
    return refs;
  }

  /**
   * The refs' standardized data IDs. Two rows with the same data ID are the butler's "Ingest conflict", found before
   * anything is written.
   */
  private static List<Prepared> prepare(DatasetManager manager, DatasetType type, List<FileRef> refs) {
    Set<String> missing = new LinkedHashSet<>(type.dimensions().required());
    if (!refs.isEmpty()) {
      missing.removeAll(refs.get(0).dataId().keySet());
    }
    if (!missing.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "dataset type " + type.name() + " has dimensions "
          + type.dimensions().required() + " but the table's columns and --data-id do not give " + missing);
    }
    List<Prepared> prepared = new ArrayList<>(refs.size());
    Map<String, FileRef> byDataId = new HashMap<>();
    for (FileRef ref : refs) {
      Map<String, Object> dataId;
      try {
        dataId = manager.standardize(type, ref.dataId());
      } catch (RegistryException e) {
        throw new RegistryException(INVALID_ARGUMENT, "line " + ref.line() + ": " + e.getMessage());
      }
      String key = DatasetManager.dataIdKey(type, dataId);
      FileRef other = byDataId.putIfAbsent(key, ref);
      if (other != null) {
        throw new RegistryException(CONFLICTING_DEFINITION, "Ingest conflict. Dataset " + ref.file() + " has same"
            + " DataId as other ingest dataset " + other.file() + "  (" + pythonDataId(dataId) + ")");
      }
      prepared.add(new Prepared(ref, dataId, key));
    }
    return prepared;
  }

  /** The datasets of {@code type} that the run holds already with the data IDs of {@code rows}, by data ID key. */
  private static Map<String, Stored> stored(Connection c, DatasetType type, CollectionRecord run,
                                            List<Prepared> rows) throws SQLException {
    Map<String, Stored> stored = new HashMap<>();
    if (rows.isEmpty()) {
      return stored;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT d.data_id_key, d.id, f.path FROM dataset d"
        + " LEFT JOIN file_datastore_records f ON f.dataset_id = d.id AND f.component = '"
        + DatasetManager.NO_COMPONENT + "' WHERE d.run_id = ? AND d.dataset_type_id = ?"
        + " AND d.data_id_key = ANY (?)")) {
      ps.setLong(1, run.id());
      ps.setLong(2, type.id());
      ps.setArray(3, c.createArrayOf("text", rows.stream().map(Prepared::key).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getString(1), new Stored(rs.getObject(2, UUID.class), rs.getString(3)));
        }
      }
    }
    return stored;
  }

  /** {@code --data-id k=v} values: the dimension must exist and the value is cast with its key type. */
  private Map<String, Object> parseDataId(List<String> pairs) {
    Map<String, Object> dataId = new LinkedHashMap<>();
    if (pairs == null) {
      return dataId;
    }
    for (String pair : pairs) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2) {
        throw new RegistryException(INVALID_ARGUMENT, "--data-id '" + pair + "' must be dimension=value");
      }
      String dimension = parts[0].strip();
      if (!universe.isDimension(dimension)) {
        throw new RegistryException(INVALID_ARGUMENT, "DataID dimension '" + dimension
            + "' is not known to this universe.");
      }
      try {
        dataId.put(dimension, cast(dimension, parts[1]));
      } catch (IllegalArgumentException e) {
        throw new RegistryException(INVALID_ARGUMENT, "--data-id " + e.getMessage());
      }
    }
    return dataId;
  }

  /** A value as its dimension's primary key type: integers for {@code htm7}, {@code detector}..., else text. */
  private Object cast(String dimension, String value) {
    FieldType type = universe.element(dimension).map(DimensionElement::keyType).orElse(FieldType.STRING);
    if (type != FieldType.INT) {
      return value;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(dimension + " must be an integer, not '" + value + "'");
    }
  }

  /**
   * The prefix as a directory URI (a trailing slash added; an absolute path becomes a {@code file:} URI), or null
   * when absent (relative paths are then refused).
   */
  public static URI prefixUri(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(prefix.strip());
      if (uri.getScheme() == null) {
        uri = new URI("file", null, uri.getPath(), null);
      }
      if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new RegistryException(INVALID_ARGUMENT, "--prefix '" + prefix + "' must be an absolute path or URI");
      }
      return DatastoreFiles.asDirectory(uri);
    } catch (URISyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "--prefix '" + prefix + "' is not a valid URI: " + e.getReason());
    }
  }

  /**
   * lsst.resources' {@code ResourcePath(path, root=prefix, forceAbsolute=True)}: a URI stays as it is, an absolute
   * path becomes a {@code file://} URI, a relative path is joined to the prefix.
   */
  static String resolve(String path, URI prefix) {
    try {
      if (URI_SCHEME.matcher(path).matches()) {
        return DatastoreFiles.text(new URI(path).normalize());
      }
      URI file = new URI(null, null, path, null);
      if (path.startsWith("/")) {
        return DatastoreFiles.text(new URI("file", null, file.normalize().getPath(), null));
      }
      if (prefix == null) {
        throw new IllegalArgumentException("'" + path + "' is a relative path and no prefix was given to resolve"
            + " it against");
      }
      return DatastoreFiles.text(prefix.resolve(file).normalize());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + path + "' is not a valid path or URI: " + e.getReason());
    }
  }

  /** A data ID as Python prints daf_butler's DataCoordinate: {@code {instrument: 'LSSTCam', detector: 4}}. */
  private static String pythonDataId(Map<String, Object> dataId) {
    return dataId.entrySet().stream()
        .map(e -> e.getKey() + ": " + (e.getValue() instanceof String s ? "'" + s + "'" : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String detail(SQLException e) {
    if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null
        && pe.getServerErrorMessage().getDetail() != null) {
      return pe.getServerErrorMessage().getDetail();
    }
    return e.getMessage();
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new RegistryException(INVALID_ARGUMENT, what + " is required");
    }
    return value.strip();
  }
}
