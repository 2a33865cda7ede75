package io.autobutler.core.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.autobutler.core.registry.collections.CollectionQuery;

/**
 * A campaign manifest: the whole repository RTN-103 builds by hand, declared once — the repository and its seed, what
 * to set up before any data (instruments, skymaps, curated calibrations, dataset types), which Rucio datasets map to
 * which ingest action and run, the chains and tagged selections to converge, and what the verifier holds the
 * repository to. Read and validated by {@link ManifestReader}; the format is described in the README.
 */
public record CampaignManifest(int manifestVersion, String name, RepositorySpec repository, RucioSpec rucio,
                               Setup setup, List<Rule> rules, List<Chain> chains, List<Tagged> tagged,
                               Expectations expectations) {

  /** The only version this reader knows. */
  public static final int VERSION = 1;

  /** The repository to build: its name, the butler seed config, and {@code create --override}. */
  public record RepositorySpec(String name, Map<String, Object> seed, boolean override) {
  }

  /** Where the campaign's replicas land in Rucio. */
  public record RucioSpec(String rse, List<String> scopes) {
  }

  /** What RTN-103 does before any data arrives; each step is idempotent. */
  public record Setup(List<String> instruments, List<Skymap> skymaps, List<CuratedCalibrations> curatedCalibrations,
                      List<DatasetTypeSpec> datasetTypes) {
  }

  /** {@code register-skymap --config-file}; a relative path is relative to the manifest's directory. */
  public record Skymap(String configFile) {
  }

  /** {@code write-curated-calibrations INSTRUMENT --label LABEL}. */
  public record CuratedCalibrations(String instrument, String label) {
  }

  /** {@code register-dataset-type NAME STORAGE_CLASS DIMENSIONS... [--is-calibration]}. */
  public record DatasetTypeSpec(String name, String storageClass, List<String> dimensions, boolean isCalibration) {
  }

  /** What a file is and what to do with it, decided by the first rule whose {@link Match} fits. */
  public record Rule(String name, Match match, Action action, String instrument, String run, String exportFile,
                     String directory, String datasetType, String table, String prefix, boolean defineVisits,
                     List<String> skipDimensions) {

    /** The placeholder of {@code export-file} that stands for the last segment of the Rucio dataset's name. */
    public static final String DATASET_PLACEHOLDER = "{dataset}";

    /**
     * The name's hash (equal rules have equal names, so it agrees with equals): the pipeline groups every file of a
     * batch by its rule, and the record's own hash would walk all its fields each time.
     */
    @Override
    public int hashCode() {
      return name.hashCode();
    }

    /** The export file for a Rucio dataset: {@code {dataset}} replaced by the last segment of its name. */
    public String exportFileFor(String datasetName) {
      String last = datasetName.substring(datasetName.lastIndexOf('/') + 1);
      return exportFile.replace(DATASET_PLACEHOLDER, last);
    }
  }

  /**
   * Which files a rule takes: globs ({@code *}, {@code ?}, {@code [...]}) on the Rucio scope, the name of the Rucio
   * dataset that holds the file and the file's own name, and the file's {@code rubin_butler} metadata; a missing
   * criterion matches anything.
   */
  public record Match(String scope, String dataset, String file, List<String> rubinButler) {

    boolean matches(ReplicaFacts facts) {
      return glob(scope, facts.scope()) && glob(dataset, facts.dataset()) && glob(file, facts.file())
          && (rubinButler == null || rubinButler.isEmpty()
              || (facts.rubinButler() != null && rubinButler.contains(facts.rubinButler())));
    }

    private static boolean glob(String pattern, String value) {
      if (pattern == null) {
        return true;
      }
      if (value == null) {
        return false;
      }
      return COMPILED.computeIfAbsent(pattern, CollectionQuery::globToRegex).matcher(value).matches();
    }
  }

  /** The rules' globs, compiled once: every replica of a campaign is matched against them. */
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  /** The ingest actions, named as the butler commands they replace. */
  public enum Action {
    /** Raws described by their directory's {@code _index.json} (RTN-103's ComCam flow). */
    INGEST_RAWS("ingest-raws"),
    /** An export file (a calibration ticket, models, FGCM, SSO) imported with transfer direct. */
    IMPORT("import"),
    /** Files listed in an ECSV table (reference catalog shards). */
    INGEST_FILES("ingest-files"),
    /** A file whose {@code rubin_sidecar} metadata carries its DatasetRef. */
    SIDECAR("sidecar"),
    /** A butler zip (LSSTCam raw zips). */
    INGEST_ZIP("ingest-zip"),
    /** A dimension-record file, imported before the datasets that need it. */
    IMPORT_DIMENSIONS("import-dimensions");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }

    /** The action a manifest names; an unknown name is refused with the list of known ones. */
    @JsonCreator
    public static Action fromLabel(String label) {
      for (Action action : values()) {
        if (action.label.equals(label)) {
          return action;
        }
      }
      throw new IllegalArgumentException("unknown action '" + label + "'; known actions: "
          + String.join(", ", java.util.Arrays.stream(values()).map(Action::label).toList()));
    }
  }

  /** A CHAINED collection and its children, in order. */
  public record Chain(String name, List<String> children, String doc) {
  }

  /** A TAGGED selection: what a query finds, or the raws of listed exposures. */
  public record Tagged(String name, String datasetType, List<String> collections, String where,
                       List<Long> exposures, String doc) {
  }

  /** What the verifier holds the repository to; {@code calibrations} is null when not declared. */
  public record Expectations(Map<String, Integer> detectorsPerExposure, List<ExpectedCount> counts,
                             CalibrationCoverage calibrations) {
  }

  /**
   * The calibrations every science exposure of a selection needs: each dataset type is looked up in
   * {@code collection} (searched as the butler searches a calib chain) with the exposure's data ID reduced to the
   * type's dimensions, and a validity range containing the exposure's timespan.
   *
   * @param selection    the collection whose raws' exposures must be covered (e.g. the DP1-RC3 TAGGED selection)
   * @param collection   the calibration collection or chain searched (e.g. LSSTComCam/calib)
   * @param datasetTypes the calibration dataset types each exposure needs (bias, dark, flat, …)
   */
  public record CalibrationCoverage(String selection, String collection, List<String> datasetTypes) {
  }

  /** A query-datasets count the repository must reach, e.g. RTN-103's 148,845 raws. */
  public record ExpectedCount(String name, String datasetType, List<String> collections, String where, long count) {
  }

  /** What is known of a file when it lands: its Rucio scope, dataset, file name and {@code rubin_butler} value. */
  public record ReplicaFacts(String scope, String dataset, String file, String rubinButler) {
  }

  /** The first rule that takes this file, if any. */
  public Optional<Rule> ruleFor(ReplicaFacts facts) {
    return rules.stream().filter(rule -> rule.match().matches(facts)).findFirst();
  }
}
