package io.autobutler.watcher.rucio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A Rucio data identifier. */
public record Did(String scope, String name) {

  /** Parses {@code scope:name}. */
  public static Did parse(String did) {
    int colon = did.indexOf(':');
    if (colon <= 0 || colon == did.length() - 1) {
      throw new IllegalArgumentException("'" + did + "' is not a DID scope:name");
    }
    return new Did(did.substring(0, colon), did.substring(colon + 1));
  }

  /**
   * The DID in a URL path as Rucio's client writes it ({@code quote_plus(scope)/quote_plus(name)}): the one
   * unencoded slash separates scope and name, slashes inside the name travel as {@code %2F}.
   */
  public String path() {
    return encode(scope) + "/" + encode(name);
  }

  static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return scope + ":" + name;
  }
}
