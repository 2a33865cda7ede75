package io.autobutler.core.ingest.index;

import java.net.URI;

import io.autobutler.core.datastore.DatastoreFiles;

/**
 * An {@code _index.json} that cannot be used, with what is known of where: the index file, and when the fault is in
 * one file's entry, that entry's key and the property at fault.
 */
public class IndexFormatException extends RuntimeException {

  private final URI index;
  private final String entry;
  private final String property;

  public IndexFormatException(URI index, String entry, String property, String message) {
    super(describe(index, entry, property) + ": " + message);
    this.index = index;
    this.entry = entry;
    this.property = property;
  }

  /** The index file. */
  public URI index() {
    return index;
  }

  /** The entry's key (a file name relative to the index), or null for a fault of the whole file. */
  public String entry() {
    return entry;
  }

  /** The property at fault, or null. */
  public String property() {
    return property;
  }

  private static String describe(URI index, String entry, String property) {
    StringBuilder where = new StringBuilder("index file ").append(DatastoreFiles.text(index));
    if (entry != null) {
      where.append(", entry '").append(entry).append('\'');
    }
    if (property != null) {
      where.append(", property '").append(property).append('\'');
    }
    return where.toString();
  }
}
