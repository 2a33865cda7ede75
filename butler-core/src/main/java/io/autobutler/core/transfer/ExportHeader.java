package io.autobutler.core.transfer;

import io.autobutler.core.dimensions.DimensionUniverse;
import java.util.Objects;

/**
 * The top-level fields of an export file.
 *
 * @param description       {@code Butler Data Repository Export} in files daf_butler writes
 * @param version           the format version as written, e.g. {@code 1.0.2}; {@code 0} in the oldest files
 * @param universeVersion   the dimension universe version (0 when the file does not say)
 * @param universeNamespace the dimension universe namespace ({@code daf_butler} when the file does not say)
 */
public record ExportHeader(String description, String version, int universeVersion, String universeNamespace) {

  public static final String DESCRIPTION = "Butler Data Repository Export";
  /** daf_butler's {@code EXPORT_FORMAT_VERSION}. */
  public static final String FORMAT_VERSION = "1.0.2";

  public ExportHeader {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(universeNamespace, "universeNamespace");
  }

  /** The header daf_butler writes with universe 7. */
  public static ExportHeader current() {
    return new ExportHeader(DESCRIPTION, FORMAT_VERSION, DimensionUniverse.VERSION, DimensionUniverse.NAMESPACE);
  }

  /** The version as (major, minor, patch); {@code 0} counts as 1.0.0. */
  public int[] versionTuple() {
    if (version.equals("0")) {
      return new int[] {1, 0, 0};
    }
    String[] parts = version.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("'" + version + "' is not a version MAJOR.MINOR.PATCH");
    }
    int[] tuple = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        tuple[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + version + "' is not a version MAJOR.MINOR.PATCH");
      }
      if (tuple[i] < 0) {
        throw new IllegalArgumentException("'" + version + "' is not a version MAJOR.MINOR.PATCH");
      }
    }
    return tuple;
  }
}
