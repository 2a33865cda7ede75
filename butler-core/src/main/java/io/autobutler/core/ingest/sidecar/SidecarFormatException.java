package io.autobutler.core.ingest.sidecar;

/** A {@code rubin_sidecar} that is missing, not JSON, or not a DatasetRef as {@code DatasetRef.to_json()} writes it. */
public class SidecarFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public SidecarFormatException(String message) {
    super(message);
  }
}
