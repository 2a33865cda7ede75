package io.autobutler.core.ingest;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.RawIngester.Options;
import io.autobutler.core.ingest.RawIngester.RawFile;
import io.autobutler.core.ingest.RawIngester.Rejection;
import io.autobutler.core.ingest.RawIngester.Result;
import io.autobutler.core.ingest.RawIngester.Stage;
import io.autobutler.core.ingest.index.IndexEntry;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.index.IndexFormatException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;

/**
 * {@code butler ingest-raws REPO LOCATIONS...} with transfer {@code direct}: finds the raws as obs_base w_2025_20
 * does and hands them to the {@link RawIngester} in bulk.
 *
 * <p>A location that is a folder is walked (sub-folders too) for files whose name matches the regex
 * ({@code re.search}); any other location is a file taken as given. Files are grouped by folder, and each folder's
 * {@code _index.json} gives their metadata: only for the files found there, or, when the {@code _index.json} itself
 * was given, for all its entries (which may point elsewhere, e.g. {@code ../x.fits}). When two index files describe
 * the same file the first one read wins. A file without an index entry is rejected (autobutler does not read FITS
 * headers), and so is every file of an index that cannot be read. Index files are read several at a time.
 */
public final class RawBackfill {

  /** obs_base's default {@code --regex}: FITS files. */
  public static final String DEFAULT_REGEX = "\\.fit[s]?\\b";
  private static final int PARALLEL_READS = 8;

  private final DatastoreFiles files;
  private final RawIngester ingester = new RawIngester();

  public RawBackfill(DatastoreFiles files) {
    this.files = files;
  }

  /** A file found in a location, with its size when the listing gave it. */
  private record Found(URI uri, Long size) {
  }

  /** The files of one folder, and whether its index is known to exist (a listing shows it) or must be looked for. */
  private record Group(URI directory, List<Found> files, Boolean hasIndex) {
  }

  /**
   * Ingests the raws found in {@code locations} (absolute URIs: {@code file:}, {@code http(s):}, {@code dav(s):}).
   *
   * @param regex null for {@link #DEFAULT_REGEX}
   * @throws RegistryException INVALID_ARGUMENT for a bad location or regex, and with {@code failFast} for the first
   *                           problem
   */
  public Result ingest(Registry registry, List<String> locations, String regex, Options options) {
    if (locations == null || locations.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "ingest-raws needs at least one LOCATION");
    }
    Pattern filter = compile(regex == null ? DEFAULT_REGEX : regex);
    List<Rejection> rejections = new ArrayList<>();
    List<RawFile> raws = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, r -> {
      Thread thread = new Thread(r, "ingest-raws-reader");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Group> groups = findGroups(locations.stream().map(RawBackfill::location).toList(), filter, pool);
      collect(groups, pool, options.failFast(), raws, rejections);
    } finally {
      pool.shutdownNow();
    }
    if (options.failFast() && !rejections.isEmpty()) {
      Rejection first = rejections.get(0);
      throw new RegistryException(INVALID_ARGUMENT, "Problem extracting metadata for file " + first.uri() + ": "
          + first.reason());
    }
    Result result = ingester.ingest(registry, raws, options);
    List<Rejection> all = new ArrayList<>(rejections);
    all.addAll(result.rejections());
    return new Result(result.exposures(), result.exposureFailures(), result.ingestFailures(), result.datasets(),
        result.newDatasets(), result.newExposures(), all, result.runs());
  }

  private static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "--regex '" + regex + "' is not a valid regular expression: "
          + e.getDescription());
    }
  }

  private static URI location(String text) {
    try {
      URI uri = new URI(text.strip());
      if (uri.getScheme() == null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new RegistryException(INVALID_ARGUMENT, "LOCATION '" + text + "' must be an absolute URI (file:///…,"
            + " davs://host/…, https://host/…)");
      }
      return uri.normalize();
    } catch (URISyntaxException e) {
      throw new RegistryException(INVALID_ARGUMENT, "LOCATION '" + text + "' is not a valid URI: " + e.getReason());
    }
  }

  /**
   * obs_base's {@code findFileResources(..., grouped=True)}: one group per walked folder with matching files, in
   * walk order, then the explicitly given files grouped by their folder.
   */
  private List<Group> findGroups(List<URI> locations, Pattern filter, ExecutorService pool) {
    List<Group> groups = new ArrayList<>();
    Map<URI, List<Found>> singles = new LinkedHashMap<>();
    for (URI location : locations) {
      if (isDirectory(location)) {
        walk(DatastoreFiles.asDirectory(location), filter, pool, groups);
      } else {
        URI directory = location.resolve(".");
        singles.computeIfAbsent(directory, d -> new ArrayList<>()).add(new Found(location, null));
      }
    }
    singles.forEach((directory, found) -> groups.add(new Group(directory, found, null)));
    return groups;
  }

  private boolean isDirectory(URI location) {
    try {
      return files.isDirectory(location);
    } catch (IOException e) {
      throw new RegistryException(INVALID_ARGUMENT, "LOCATION " + DatastoreFiles.text(location)
          + " cannot be read: " + e.getMessage());
    }
  }

  /** Lists the folder tree level by level, the folders of a level in parallel. */
  private void walk(URI root, Pattern filter, ExecutorService pool, List<Group> groups) {
    List<URI> level = List.of(root);
    while (!level.isEmpty()) {
      List<Future<List<DatastoreFiles.Entry>>> listings = new ArrayList<>();
      for (URI directory : level) {
        listings.add(pool.submit(() -> files.list(directory)));
      }
      List<URI> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        List<DatastoreFiles.Entry> entries = await(listings.get(i), level.get(i));
        List<Found> matching = new ArrayList<>();
        boolean hasIndex = false;
        for (DatastoreFiles.Entry entry : entries) {
          if (entry.directory()) {
            next.add(entry.uri());
          } else {
            hasIndex |= entry.name().equals(IndexFile.NAME);
            if (filter.matcher(entry.name()).find()) {
              matching.add(new Found(entry.uri(), entry.size()));
            }
          }
        }
        if (!matching.isEmpty()) {
          groups.add(new Group(level.get(i), matching, hasIndex));
        }
      }
      level = next;
    }
  }

  private static <T> T await(Future<T> future, URI what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + DatastoreFiles.text(what), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new RegistryException(INVALID_ARGUMENT, "cannot read " + DatastoreFiles.text(what) + ": "
            + io.getMessage());
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** What a folder's index gave: the index itself when there is one and it could be read, or why not. */
  private record IndexRead(URI location, Optional<IndexFile> index, String problem) {
  }

  /** Reads each group's index (in parallel) and pairs every file with its entry. */
  private void collect(List<Group> groups, ExecutorService pool, boolean failFast, List<RawFile> raws,
                       List<Rejection> rejections) {
    List<Future<IndexRead>> reads = new ArrayList<>();
    for (Group group : groups) {
      URI index = DatastoreFiles.child(group.directory(), IndexFile.NAME, false);
      reads.add(pool.submit(() -> readIndex(index, group.hasIndex())));
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int g = 0; g < groups.size(); g++) {
      Group group = groups.get(g);
      IndexRead read = await(reads.get(g), group.directory());
      boolean explicit = group.files().stream().anyMatch(f -> name(f.uri()).equals(IndexFile.NAME));
      if (read.problem() != null) {
        String where = explicit ? "explicit" : "inferred";
        if (failFast) {
          throw new RegistryException(INVALID_ARGUMENT, "Problem reading index file from " + where + " location "
              + DatastoreFiles.text(read.location()) + ": " + read.problem());
        }
        rejections.add(new Rejection(DatastoreFiles.text(read.location()), Stage.METADATA, null,
            "Problem reading index file from " + where + " location: " + read.problem()));
      }
      Map<String, IndexEntry> entries = new LinkedHashMap<>();
      read.index().ifPresent(index -> index.entries().forEach(e -> entries.putIfAbsent(key(e.file()), e)));
      Map<String, Long> sizes = new LinkedHashMap<>();
      if (explicit) {
        entries.keySet().forEach(k -> sizes.put(k, null));
      }
      for (Found found : group.files()) {
        if (!name(found.uri()).equals(IndexFile.NAME)) {
          sizes.put(key(found.uri()), found.size());
        }
      }
      for (Map.Entry<String, Long> file : sizes.entrySet()) {
        if (!seen.add(file.getKey())) {
          continue;
        }
        IndexEntry entry = entries.get(file.getKey());
        if (entry == null) {
          if (isMissingLocalFile(file.getKey())) {
            rejections.add(new Rejection(file.getKey(), Stage.METADATA, null, "no such file"));
          } else if (read.problem() == null) {
            rejections.add(new Rejection(file.getKey(), Stage.METADATA, null, "no entry for this file in "
                + (read.index().isPresent() ? DatastoreFiles.text(read.location()) : "an _index.json of its folder")
                + " (autobutler reads raw metadata from _index.json files only, not from FITS headers)"));
          } else {
            rejections.add(new Rejection(file.getKey(), Stage.METADATA, null, "its folder's index file cannot be"
                + " read: " + read.problem()));
          }
          continue;
        }
        raws.add(new RawFile(file.getKey(), file.getValue(), null, entry.info()));
      }
    }
  }

  private IndexRead readIndex(URI location, Boolean known) {
    if (Boolean.FALSE.equals(known)) {
      return new IndexRead(location, Optional.empty(), null);
    }
    try {
      Optional<byte[]> content = files.readIfExists(location);
      if (content.isEmpty()) {
        return new IndexRead(location, Optional.empty(), null);
      }
      return new IndexRead(location, Optional.of(IndexFile.parse(location,
          new String(content.get(), StandardCharsets.UTF_8))), null);
    } catch (IndexFormatException e) {
      return new IndexRead(location, Optional.empty(), e.getMessage());
    } catch (IOException e) {
      return new IndexRead(location, Optional.empty(), "cannot be read: " + e.getMessage());
    } catch (UncheckedIOException e) {
      return new IndexRead(location, Optional.empty(), "cannot be read: " + e.getCause().getMessage());
    }
  }

  /** A {@code file:} URI given as a LOCATION that names nothing (a mistyped path). */
  private static boolean isMissingLocalFile(String uri) {
    return uri.startsWith("file:") && !java.nio.file.Files.exists(java.nio.file.Path.of(URI.create(uri)));
  }

  /** The canonical text of a file's URI, which both listings and index keys resolve to. */
  private static String key(URI uri) {
    return DatastoreFiles.text(uri.normalize());
  }

  private static String name(URI uri) {
    String path = uri.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
