package io.autobutler.core.transfer;

/**
 * An export file that cannot be read: its message starts with the line number in the file ({@code line 17: ...})
 * when the problem has a place.
 */
public class ExportFormatException extends RuntimeException {

  private final int line;

  /**
   * @param line    the 1-based line of the problem, or 0 when it has no place in the file
   * @param problem what is wrong
   */
  public ExportFormatException(int line, String problem) {
    this(line, problem, null);
  }

  public ExportFormatException(int line, String problem, Throwable cause) {
    super(line > 0 ? "line " + line + ": " + problem : problem, cause);
    this.line = line;
  }

  /** The 1-based line of the problem, or 0 when it has no place in the file. */
  public int line() {
    return line;
  }
}
