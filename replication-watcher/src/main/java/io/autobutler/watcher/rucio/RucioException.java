package io.autobutler.watcher.rucio;

/**
 * A Rucio request that failed: the HTTP status (0 when no answer came) and Rucio's {@code ExceptionClass} /
 * {@code ExceptionMessage}, in one readable message.
 */
public class RucioException extends RuntimeException {

  private final int status;
  private final String exceptionClass;
  private final String rucioMessage;
  private final boolean named;

  /** @param request the request, e.g. {@code GET /dids/raw/dids/search}; null while not known yet */
  public RucioException(String request, int status, String exceptionClass, String message, Throwable cause) {
    super((request == null ? "Rucio request" : request) + " failed" + (status > 0 ? " with HTTP " + status : "")
        + (exceptionClass == null ? "" : ": " + exceptionClass) + (message == null || message.isBlank() ? ""
        : (exceptionClass == null ? ": " : " ") + message), cause);
    this.status = status;
    this.exceptionClass = exceptionClass;
    this.rucioMessage = message;
    this.named = request != null;
  }

  /** This error naming the request that failed (the exception mapper does not know it). */
  RucioException naming(String request) {
    return named ? this : new RucioException(request, status, exceptionClass, rucioMessage, getCause());
  }

  public int status() {
    return status;
  }

  public String exceptionClass() {
    return exceptionClass;
  }

  /** Worth another try: no answer, a timeout, or a server-side error. */
  public boolean retryable() {
    return status == 0 || status >= 500 || status == 429;
  }
}
