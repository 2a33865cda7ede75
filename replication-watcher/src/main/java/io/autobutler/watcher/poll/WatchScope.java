package io.autobutler.watcher.poll;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the watcher watches: one RSE, and the datasets of some scopes whose names match some patterns (Rucio's
 * wildcard {@code *}).
 */
public record WatchScope(String rse, List<String> scopes, List<String> datasetPatterns) {

  public WatchScope {
    if (rse == null || rse.isBlank()) {
      throw new IllegalArgumentException("the RSE to watch is missing (autobutler.watcher.rse)");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("no scope to watch (autobutler.watcher.scopes)");
    }
    datasetPatterns = datasetPatterns.isEmpty() ? List.of("*") : List.copyOf(datasetPatterns);
    scopes = List.copyOf(scopes);
  }

  /** Whether a dataset is one the watcher watches. */
  public boolean watches(String scope, String datasetName) {
    return scopes.contains(scope) && datasetPatterns.stream().anyMatch(p -> glob(p).matcher(datasetName).matches());
  }

  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
