package io.autobutler.core.ingest.zip;

/**
 * A file that cannot be ingested as a butler zip, whatever is retried: it is not a zip, it has no
 * {@code _butler_zip_index.json}, or the index is malformed. The message names the zip. I/O failures (a server that
 * does not answer) are {@link java.io.IOException}s instead, which may succeed later.
 */
public class ZipIndexException extends Exception {

  public ZipIndexException(String message) {
    super(message);
  }

  public ZipIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
