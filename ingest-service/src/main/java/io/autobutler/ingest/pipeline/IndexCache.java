package io.autobutler.ingest.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.index.IndexFormatException;

/**
 * The parsed {@code _index.json} of exposure directories, read through {@link DatastoreFiles} and kept (least
 * recently used first out) so that files of one directory arriving over several batches read it once. A missing or
 * malformed index is an answer too (every file of the directory is refused with it); a datastore that does not
 * answer is not: it raises, and the batch is retried.
 */
@ApplicationScoped
public class IndexCache {

  /** A directory's index, or why it cannot be used. */
  public record Lookup(IndexFile index, String cause, String reason) {

    public boolean usable() {
      return index != null;
    }
  }

  private final DatastoreFiles files = new DatastoreFiles();
  private final Map<String, Lookup> cache;

  public IndexCache(IngestConfig config) {
    int size = config.indexCacheSize();
    this.cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Lookup> eldest) {
        return size() > size;
      }
    });
  }

  /** The index of {@code directory} (a URI ending with {@code /}). */
  public Lookup lookup(String directory) throws IOException {
    Lookup cached = cache.get(directory);
    if (cached != null) {
      return cached;
    }
    URI location = URI.create(directory + IndexFile.NAME);
    Lookup lookup;
    try {
      String text = new String(files.read(location), StandardCharsets.UTF_8);
      lookup = new Lookup(IndexFile.parse(location, text), null, null);
    } catch (FileNotFoundException e) {
      // Not kept: the file may show up once the storage catches up with Rucio.
      return new Lookup(null, e.getClass().getName(), "the directory's " + IndexFile.NAME + " is announced by Rucio"
          + " but cannot be found: " + e.getMessage());
    } catch (IndexFormatException e) {
      lookup = new Lookup(null, e.getClass().getName(), e.getMessage());
    }
    cache.put(directory, lookup);
    return lookup;
  }

  /** Forgets a directory's index, e.g. after a new replica of it landed. */
  public void forget(String directory) {
    cache.remove(directory);
  }
}
