package io.autobutler.verifier.check;

import java.util.Locale;

/** Which files' adler32 the storage check compares: a sample of each run (default), all of them, or none. */
public enum ChecksumMode {
  NONE, SAMPLE, ALL;

  /** {@code none}, {@code sample} or {@code all}; anything else is refused with the choices. */
  public static ChecksumMode parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("checksums must be none, sample or all, not '" + text + "'");
    }
  }
}
