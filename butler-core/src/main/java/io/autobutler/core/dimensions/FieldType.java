package io.autobutler.core.dimensions;

/** The value types of dimension keys and record fields, as the registry stores them. */
public enum FieldType {
  STRING, INT, FLOAT, BOOLEAN, BYTES,
  /** A base64 sphgeom region. */
  REGION,
  /** A half-open TAI-nanosecond interval, stored as one INT8RANGE column named {@code timespan}. */
  TIMESPAN
}
