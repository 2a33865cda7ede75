package io.autobutler.cli;

/** A failure to report to the user as one {@code Error: …} line, without a stack trace. */
public class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
