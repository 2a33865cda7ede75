package io.autobutler.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.Adler32;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the simulated Rucio knows: scopes, datasets and their files, and the state of each file's replica at the one
 * simulated RSE. Files start with no replica; they land (COPYING, then AVAILABLE) or are lost on command. One lock
 * guards every change; readers take a snapshot.
 */
public final class Catalogue {

  /** Rucio's replica states, as written on the wire. */
  public enum ReplicaState { COPYING, AVAILABLE, BAD }

  /** One file DID and its replica at the RSE. */
  public static final class SimFile {
    final String scope;
    final String name;
    final long bytes;
    final String adler32;
    final String md5;
    final Map<String, String> meta;
    final SimDataset dataset;
    /** Where the content comes from: a real file, or generated from a seed. */
    final Path path;
    final long seed;
    final long createdAt;
    ReplicaState state;

    public String scope() {
      return scope;
    }

    public String name() {
      return name;
    }

    public String adler32() {
      return adler32;
    }

    public SimDataset dataset() {
      return dataset;
    }

    /** When the replica last became AVAILABLE (ms since the epoch), or 0. */
    public long availableAt() {
      return availableAt;
    }
    long replicaCreatedAt;
    long updatedAt;
    volatile long availableAt;

    SimFile(String scope, String name, long bytes, String adler32, String md5, Map<String, String> meta,
            SimDataset dataset, Path path, long seed) {
      this.scope = scope;
      this.name = name;
      this.bytes = bytes;
      this.adler32 = adler32;
      this.md5 = md5;
      this.meta = meta;
      this.dataset = dataset;
      this.path = path;
      this.seed = seed;
      this.createdAt = System.currentTimeMillis();
    }

    public String did() {
      return scope + ":" + name;
    }

    /** The file's bytes, as served over HTTP. */
    public byte[] content() {
      if (path != null) {
        try {
          return Files.readAllBytes(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return generated(seed, (int) bytes);
    }
  }

  /** A dataset DID and its files, in order. */
  public static final class SimDataset {
    final String scope;
    final String name;
    final List<SimFile> files = new ArrayList<>();
    final long createdAt = System.currentTimeMillis();
    boolean open = true;

    public String scope() {
      return scope;
    }

    public String name() {
      return name;
    }

    SimDataset(String scope, String name) {
      this.scope = scope;
      this.name = name;
    }

    public String did() {
      return scope + ":" + name;
    }
  }

  /** A file's replica as read at one moment. */
  public record ReplicaView(SimFile file, ReplicaState state, long createdAt, long updatedAt, long availableAt) {
  }

  private final Map<String, SimDataset> datasets = new LinkedHashMap<>();
  private final Map<String, SimFile> files = new LinkedHashMap<>();
  /** Files without a replica yet, in catalogue order: what "land N files" takes from. */
  private final List<SimFile> pending = new ArrayList<>();
  private int nextPending;

  // ------------------------------------------------------------------------------------------ building

  /**
   * Adds a generated campaign: {@code datasets} datasets of {@code filesPerDataset} raw-like files each, with
   * {@code rubin_butler} / {@code rubin_sidecar} metadata, named after RTN-103's ComCam raws.
   */
  public synchronized Summary generate(String scope, String datasetPrefix, int datasetCount, int filesPerDataset,
                                       int fileBytes) {
    if (datasetCount < 0 || filesPerDataset < 0 || fileBytes < 0) {
      throw new IllegalArgumentException("datasets, filesPerDataset and fileBytes must not be negative");
    }
    requireName("scope", scope);
    int before = files.size();
    int firstDataset = (int) datasets.values().stream().filter(d -> d.scope.equals(scope)).count();
    for (int d = 0; d < datasetCount; d++) {
      int index = firstDataset + d;
      String day = String.format("2024%04d", 1101 + index % 28 + 100 * ((index / 28) % 2));
      SimDataset dataset = dataset(scope, datasetPrefix + day + "_" + index);
      for (int f = 0; f < filesPerDataset; f++) {
        int exposure = f / 9;
        int detector = f % 9;
        String obsId = String.format("CC_O_%s_%06d", day, index * 1000 + exposure);
        String name = String.format("LSSTComCam/%s/%s/%s_R22_S%d%d.fits", day, obsId, obsId, detector / 3,
            detector % 3);
        long seed = (scope + ":" + name).hashCode() * 0x9E3779B97F4A7C15L;
        byte[] content = generated(seed, fileBytes);
        String sidecar = "{\"id\":\"" + UUID.nameUUIDFromBytes((scope + ":" + name).getBytes()) + "\","
            + "\"datasetType\":{\"name\":\"raw\",\"storageClass\":\"Exposure\","
            + "\"dimensions\":[\"instrument\",\"detector\",\"exposure\"]},"
            + "\"dataId\":{\"dataId\":{\"instrument\":\"LSSTComCam\",\"detector\":" + detector + ",\"exposure\":"
            + day + String.format("%05d", index * 1000 + exposure) + "}},\"run\":\"LSSTComCam/raw/all\"}";
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("rubin_butler", "raw_file");
        meta.put("rubin_sidecar", sidecar);
        add(new SimFile(scope, name, content.length, adler32(content), md5(content), meta, dataset, null, seed));
      }
      dataset.open = false;
    }
    return new Summary(datasetCount, files.size() - before);
  }

  /**
   * Adds a directory tree: each folder under {@code root} is a scope; each folder holding files is a dataset
   * {@code Dataset/<folder path>}; each file's DID name is its path under the scope folder.
   */
  public synchronized Summary addDirectory(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("catalogue directory " + root + " does not exist");
    }
    int datasetsBefore = datasets.size();
    int before = files.size();
    try (Stream<Path> scopes = Files.list(root)) {
      for (Path scopeDir : scopes.filter(Files::isDirectory).sorted().toList()) {
        String scope = scopeDir.getFileName().toString();
        try (Stream<Path> walk = Files.walk(scopeDir)) {
          for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
            String name = scopeDir.relativize(file).toString().replace('\\', '/');
            String folder = file.getParent().equals(scopeDir) ? scope : scopeDir.relativize(file.getParent())
                .toString().replace('\\', '/');
            SimDataset dataset = dataset(scope, "Dataset/" + folder);
            byte[] content = Files.readAllBytes(file);
            add(new SimFile(scope, name, content.length, adler32(content), md5(content), Map.of(), dataset, file, 0));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalogue directory " + root, e);
    }
    datasets.values().forEach(d -> d.open = false);
    return new Summary(datasets.size() - datasetsBefore, files.size() - before);
  }

  public record Summary(int datasets, int files) {
  }

  /**
   * Adds a catalogue listing: a JSON-lines file, one file DID per line in landing order, {@code {"scope", "name",
   * "dataset", "file", "meta"}}, where {@code file} is the file's path relative to the listing (its content, size
   * and checksums) and {@code meta} its DID metadata (JSON plugin: {@code rubin_butler}, {@code rubin_sidecar}), if
   * any. This is what autobutler's campaign generator writes next to the campaign's files. Datasets are closed.
   */
  public synchronized Summary addListing(Path listing) {
    if (!Files.isRegularFile(listing)) {
      throw new IllegalArgumentException("catalogue listing " + listing + " does not exist");
    }
    Path base = listing.toAbsolutePath().getParent();
    int datasetsBefore = datasets.size();
    int before = files.size();
    int lineNumber = 0;
    try (BufferedReader reader = Files.newBufferedReader(listing, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry = RucioWire.JSON.readTree(line);
        String scope = listingField(entry, "scope", listing, lineNumber);
        requireName("scope", scope);
        Path file = base.resolve(listingField(entry, "file", listing, lineNumber));
        byte[] content = Files.readAllBytes(file);
        Map<String, String> meta = new LinkedHashMap<>();
        entry.path("meta").fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().asText()));
        add(new SimFile(scope, listingField(entry, "name", listing, lineNumber), content.length, adler32(content),
            md5(content), meta, dataset(scope, listingField(entry, "dataset", listing, lineNumber)), file, 0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalogue listing " + listing + " (line " + lineNumber + ")", e);
    }
    datasets.values().forEach(d -> d.open = false);
    return new Summary(datasets.size() - datasetsBefore, files.size() - before);
  }

  private static String listingField(JsonNode entry, String field, Path listing,
                                     int line) {
    String value = entry.path(field).asText("");
    if (value.isBlank()) {
      throw new IllegalArgumentException(listing + " line " + line + ": '" + field + "' is missing");
    }
    return value;
  }


  private SimDataset dataset(String scope, String name) {
    return datasets.computeIfAbsent(scope + ":" + name, k -> new SimDataset(scope, name));
  }

  private void add(SimFile file) {
    if (files.putIfAbsent(file.did(), file) != null) {
      return;
    }
    file.dataset.files.add(file);
    pending.add(file);
  }

  // ------------------------------------------------------------------------------------------ landing

  /** Takes up to {@code count} files that have no replica yet, in catalogue order, and marks them COPYING. */
  public synchronized List<SimFile> startLanding(int count) {
    List<SimFile> taken = new ArrayList<>();
    while (taken.size() < count && nextPending < pending.size()) {
      SimFile file = pending.get(nextPending++);
      if (file.state == null) {
        taken.add(file);
      }
    }
    markCopying(taken);
    return taken;
  }

  /** Those of these files that have no replica (or a lost one), marked COPYING. */
  public synchronized List<SimFile> startLanding(java.util.Collection<SimFile> chosen) {
    List<SimFile> taken = chosen.stream().filter(f -> f.state == null || f.state == ReplicaState.BAD).toList();
    markCopying(taken);
    return taken;
  }

  /** Every file of the dataset that has no replica yet, marked COPYING. */
  public synchronized List<SimFile> startLandingDataset(String scope, String name) {
    SimDataset dataset = datasets.get(scope + ":" + name);
    if (dataset == null) {
      throw new NoSuchElementException("Data identifier '" + scope + ":" + name + "' not found");
    }
    List<SimFile> taken = dataset.files.stream().filter(f -> f.state == null || f.state == ReplicaState.BAD)
        .toList();
    markCopying(taken);
    return taken;
  }

  private void markCopying(List<SimFile> taken) {
    long now = System.currentTimeMillis();
    for (SimFile file : taken) {
      file.state = ReplicaState.COPYING;
      file.replicaCreatedAt = now;
      file.updatedAt = now;
    }
  }

  /** The conveyor-finisher's step: COPYING replicas become AVAILABLE. */
  public synchronized void makeAvailable(List<SimFile> landing) {
    long now = System.currentTimeMillis();
    for (SimFile file : landing) {
      if (file.state == ReplicaState.COPYING) {
        file.state = ReplicaState.AVAILABLE;
        file.updatedAt = now;
        file.availableAt = now;
      }
    }
  }

  /** Declares a file's replica lost: it turns BAD and its file is no longer served. */
  public synchronized void lose(String scope, String name) {
    SimFile file = files.get(scope + ":" + name);
    if (file == null) {
      throw new NoSuchElementException("Data identifier '" + scope + ":" + name + "' not found");
    }
    file.state = ReplicaState.BAD;
    file.updatedAt = System.currentTimeMillis();
  }

  // ------------------------------------------------------------------------------------------ reading

  public synchronized Optional<SimFile> file(String scope, String name) {
    return Optional.ofNullable(files.get(scope + ":" + name));
  }

  public synchronized Optional<SimDataset> dataset(String did) {
    return Optional.ofNullable(datasets.get(did));
  }

  public synchronized List<SimDataset> datasets(Predicate<SimDataset> filter) {
    return datasets.values().stream().filter(filter).toList();
  }

  public synchronized List<SimFile> filesOf(SimDataset dataset) {
    return List.copyOf(dataset.files);
  }

  /** The replicas of these files as they are now. */
  public synchronized List<ReplicaView> replicas(List<SimFile> of) {
    List<ReplicaView> views = new ArrayList<>(of.size());
    for (SimFile f : of) {
      views.add(new ReplicaView(f, f.state, f.replicaCreatedAt, f.updatedAt, f.availableAt));
    }
    return views;
  }

  /** Every landed replica's AVAILABLE time, for benchmarks: (file, ms since the epoch). */
  public synchronized List<ReplicaView> available() {
    return files.values().stream().filter(f -> f.state == ReplicaState.AVAILABLE)
        .map(f -> new ReplicaView(f, f.state, f.replicaCreatedAt, f.updatedAt, f.availableAt)).toList();
  }

  public synchronized int fileCount() {
    return files.size();
  }

  public synchronized int pendingCount() {
    return (int) pending.stream().skip(nextPending).filter(f -> f.state == null).count();
  }

  // ------------------------------------------------------------------------------------------ content

  static byte[] generated(long seed, int length) {
    byte[] content = new byte[length];
    new SplittableRandom(seed).nextBytes(content);
    return content;
  }

  static String adler32(byte[] content) {
    Adler32 adler = new Adler32();
    adler.update(content);
    return String.format("%08x", adler.getValue());
  }

  static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireName(String what, String value) {
    if (value == null || !value.matches("[\\w.\\-+]{1,25}")) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a valid Rucio scope");
    }
  }

  /** A DID that the catalogue does not hold. */
  public static final class NoSuchElementException extends RuntimeException {
    public NoSuchElementException(String message) {
      super(message);
    }
  }
}
