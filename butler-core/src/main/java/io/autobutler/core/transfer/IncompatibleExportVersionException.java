package io.autobutler.core.transfer;

/**
 * An export file whose format version this reader cannot read (daf_butler {@code IncompatibleVersionError}): the
 * major version must be 1 and the minor at most 0.
 */
public class IncompatibleExportVersionException extends ExportFormatException {

  public IncompatibleExportVersionException(int line, String problem) {
    super(line, problem);
  }
}
