package io.autobutler.verifier.check;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.autobutler.core.registry.Registry;

/**
 * Every datastore record of a registry with its dataset's run and type, read in one query: what the Rucio and storage
 * checks compare with their sources. 150,000 records are a few tens of megabytes.
 */
public final class RegistryFiles {

  /** One file record: its URI as recorded (a zip member's has a {@code #zip-path=} fragment). */
  public record File(UUID dataset, String path, Long size, String checksum, String run, String datasetType) {

    /** The URI of the file itself, without a zip member's fragment. */
    public String fileUri() {
      int hash = path.indexOf('#');
      return hash < 0 ? path : path.substring(0, hash);
    }
  }

  private final List<File> files;
  private final Map<String, List<File>> byUri = new HashMap<>();
  private final Map<UUID, File> byDataset = new HashMap<>();

  private RegistryFiles(List<File> files) {
    this.files = files;
    for (File f : files) {
      byUri.computeIfAbsent(f.fileUri(), k -> new ArrayList<>(1)).add(f);
      byDataset.putIfAbsent(f.dataset(), f);
    }
  }

  static RegistryFiles read(Registry registry) {
    return registry.transaction(c -> {
      List<File> files = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT f.dataset_id, f.path, f.file_size, f.checksum,"
          + " r.name, t.name FROM file_datastore_records f JOIN dataset d ON d.id = f.dataset_id"
          + " JOIN collection r ON r.collection_id = d.run_id JOIN dataset_type t ON t.id = d.dataset_type_id")) {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            // NULL when the size was not recorded (imports): then only the file's existence is checked
            files.add(new File(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, Long.class),
                rs.getString(4), rs.getString(5), rs.getString(6)));
          }
        }
      }
      return new RegistryFiles(files);
    });
  }

  public List<File> all() {
    return files;
  }

  /** The records of a file (several datasets may share one file), or an empty list. */
  public List<File> at(String fileUri) {
    return byUri.getOrDefault(fileUri, List.of());
  }

  public boolean registered(String fileUri) {
    return byUri.containsKey(fileUri);
  }

  public boolean hasDataset(UUID id) {
    return id != null && byDataset.containsKey(id);
  }
}
