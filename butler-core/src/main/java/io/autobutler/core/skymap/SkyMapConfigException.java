package io.autobutler.core.skymap;

/** A skymap config file that cannot be read or does not describe a skymap autobutler can register. */
public class SkyMapConfigException extends RuntimeException {

  private final int line;

  /** An error tied to a line of the config file (1-based). */
  public SkyMapConfigException(String source, int line, String message) {
    super(source + ", line " + line + ": " + message);
    this.line = line;
  }

  /** An error about the config as a whole. */
  public SkyMapConfigException(String message) {
    super(message);
    this.line = 0;
  }

  /** The 1-based line number the error refers to, or 0 when it concerns the whole config. */
  public int line() {
    return line;
  }
}
