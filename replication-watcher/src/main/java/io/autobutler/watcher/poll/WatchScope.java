package io.autobutler.watcher.poll;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.watcher.rucio.Did;
import io.autobutler.watcher.rucio.RucioClient;

/**
 * What the watcher watches: one RSE, and the datasets of some scopes whose names match some globs ({@code *},
 * {@code ?}, {@code [...]}, as the campaign manifest's rules write them).
 */
public record WatchScope(String rse, List<String> scopes, List<String> datasetPatterns) {

  /** The RSE and scope watched when neither the settings nor a manifest name one. */
  public static final String DEFAULT_RSE = "IN2P3_RAW_DISK";
  public static final String DEFAULT_SCOPE = "raw";
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  public WatchScope {
    if (rse == null || rse.isBlank()) {
      throw new IllegalArgumentException("the RSE to watch is missing (autobutler.watcher.rse)");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("no scope to watch (autobutler.watcher.scopes)");
    }
    datasetPatterns = datasetPatterns.isEmpty() ? List.of("*") : List.copyOf(new LinkedHashSet<>(datasetPatterns));
    scopes = List.copyOf(new LinkedHashSet<>(scopes));
  }

  /**
   * The scope to watch: explicit settings first, then the campaign manifest (its {@code rucio} section, and the
   * {@code match.dataset} globs of its rules: a rule without one takes any dataset, so everything is watched), then
   * the defaults.
   */
  public static WatchScope resolve(Optional<String> rse, Optional<List<String>> scopes,
                                   Optional<List<String>> datasetPatterns, Optional<CampaignManifest> manifest) {
    String resolvedRse = rse.filter(r -> !r.isBlank())
        .or(() -> manifest.map(m -> m.rucio().rse()))
        .orElse(DEFAULT_RSE);
    List<String> resolvedScopes = scopes.filter(s -> !s.isEmpty())
        .or(() -> manifest.map(WatchScope::manifestScopes))
        .orElse(List.of(DEFAULT_SCOPE));
    List<String> resolvedPatterns = datasetPatterns.filter(p -> !p.isEmpty())
        .or(() -> manifest.map(WatchScope::manifestPatterns))
        .orElse(List.of("*"));
    return new WatchScope(resolvedRse, resolvedScopes, resolvedPatterns);
  }

  /** The manifest's scopes; when it lists none, the scopes its rules name literally. */
  private static List<String> manifestScopes(CampaignManifest manifest) {
    if (!manifest.rucio().scopes().isEmpty()) {
      return manifest.rucio().scopes();
    }
    Set<String> named = new LinkedHashSet<>();
    for (CampaignManifest.Rule rule : manifest.rules()) {
      String scope = rule.match() == null ? null : rule.match().scope();
      if (scope != null && !hasGlob(scope)) {
        named.add(scope);
      }
    }
    if (named.isEmpty()) {
      throw new IllegalArgumentException("the manifest " + manifest.name() + " names no Rucio scope to watch"
          + " (rucio.scopes): set it, or autobutler.watcher.scopes");
    }
    return new ArrayList<>(named);
  }

  private static List<String> manifestPatterns(CampaignManifest manifest) {
    Set<String> patterns = new LinkedHashSet<>();
    for (CampaignManifest.Rule rule : manifest.rules()) {
      String dataset = rule.match() == null ? null : rule.match().dataset();
      if (dataset == null) {
        return List.of("*");
      }
      patterns.add(dataset);
    }
    return patterns.isEmpty() ? List.of("*") : new ArrayList<>(patterns);
  }

  /**
   * The watched datasets Rucio knows: each scope searched once per distinct search pattern of the globs
   * ({@code GET /dids/{scope}/dids/search}), the names found matched against the globs themselves.
   */
  public Set<Did> datasets(RucioClient rucio) {
    Set<Did> datasets = new LinkedHashSet<>();
    for (String s : scopes) {
      Set<String> searched = new java.util.HashSet<>();
      for (String pattern : datasetPatterns) {
        String search = searchPattern(pattern);
        if (searched.add(search)) {
          rucio.searchDatasets(s, search, name -> {
            if (matchesPattern(name)) {
              datasets.add(new Did(s, name));
            }
          });
        }
      }
    }
    return datasets;
  }

  /** Whether a dataset is one the watcher watches. */
  public boolean watches(String scope, String datasetName) {
    return scopes.contains(scope) && matchesPattern(datasetName);
  }

  /** Whether a dataset name matches one of the globs. */
  public boolean matchesPattern(String datasetName) {
    return datasetPatterns.stream().anyMatch(p -> glob(p).matcher(datasetName).matches());
  }

  /**
   * The pattern to give Rucio's DID search for a glob: Rucio knows only the {@code *} wildcard, so the glob is
   * cut at its first {@code ?} or {@code [} and ends in {@code *}; the names found are then matched against the
   * glob itself.
   */
  public static String searchPattern(String glob) {
    int cut = indexOfAny(glob, "?[");
    return cut < 0 ? glob : glob.substring(0, cut) + "*";
  }

  static Pattern glob(String pattern) {
    return COMPILED.computeIfAbsent(pattern, CollectionQuery::globToRegex);
  }

  private static boolean hasGlob(String text) {
    return indexOfAny(text, "*?[") >= 0;
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
