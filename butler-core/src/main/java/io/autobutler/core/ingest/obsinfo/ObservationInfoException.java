package io.autobutler.core.ingest.obsinfo;

/** A property of an ObservationInfo's JSON form that cannot be read; {@link #property()} names it. */
public class ObservationInfoException extends IllegalArgumentException {

  private final String property;

  public ObservationInfoException(String property, String message) {
    super(message);
    this.property = property;
  }

  /** The property at fault, as the JSON names it (e.g. {@code datetime_begin}). */
  public String property() {
    return property;
  }
}
