package io.autobutler.core.manifest;

/** A manifest that cannot be used; the message names the file, the place and the problem, for the operator as is. */
public final class ManifestException extends IllegalArgumentException {

  public ManifestException(String message) {
    super(message);
  }
}
