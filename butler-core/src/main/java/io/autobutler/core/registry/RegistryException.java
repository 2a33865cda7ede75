package io.autobutler.core.registry;

/**
 * A registry operation refused for a reason the caller can act on, named as daf_butler names its errors
 * ({@link #kind()}: MissingCollectionError, CollectionTypeError, …). The message is meant for the operator as is.
 */
public class RegistryException extends RuntimeException {

  /** The daf_butler error each refusal corresponds to; REST answers map them to HTTP statuses. */
  public enum Kind {
    MISSING_COLLECTION, MISSING_DATASET_TYPE, COLLECTION_TYPE, COLLECTION_CYCLE, CONFLICTING_DEFINITION,
    INVALID_ARGUMENT
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
