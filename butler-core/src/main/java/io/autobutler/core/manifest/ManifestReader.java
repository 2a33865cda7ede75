package io.autobutler.core.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.autobutler.core.manifest.CampaignManifest.Action;
import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.CampaignManifest.Expectations;
import io.autobutler.core.manifest.CampaignManifest.ExpectedCount;
import io.autobutler.core.manifest.CampaignManifest.Rule;
import io.autobutler.core.manifest.CampaignManifest.Setup;
import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.repository.SeedConfig;

/**
 * Reads a campaign manifest (YAML, keys in kebab-case) and validates it whole before anything acts on it: unknown
 * keys and YAML errors are reported with their line, missing or inconsistent values with their place in the file
 * ({@code rules[2] (calibration-tickets): ...}), chain cycles with their path.
 */
public final class ManifestReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ManifestReader() {
  }

  /** Parses and validates {@code text}; {@code source} (a file name) prefixes every error message. */
  public static CampaignManifest parse(String text, String source) {
    if (text == null || text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
      throw new ManifestException(source + ": the manifest is empty");
    }
    CampaignManifest raw;
    try {
      raw = YAML.readValue(text, CampaignManifest.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ManifestException(source + ": unknown key '" + e.getPropertyName() + "' at " + parentPath(e) + line(e)
          + "; allowed: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
          .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException syntax) {
        throw notYaml(source, syntax);
      }
      throw new ManifestException(source + ": " + (e.getPath().isEmpty() ? "" : path(e) + ": ")
          + e.getOriginalMessage().split("\n")[0] + line(e));
    } catch (JsonProcessingException e) {
      throw notYaml(source, e);
    }
    if (raw == null) {
      throw new ManifestException(source + ": the manifest is empty");
    }
    return new Validation(source).validate(raw);
  }

  /**
   * Reads and validates a manifest file; the local files it names (skymap configs, export files without the
   * {@code {dataset}} placeholder), relative to the manifest's directory, must exist.
   */
  public static CampaignManifest read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot be read: " + e.getMessage());
    }
    CampaignManifest manifest = parse(text, file.getFileName().toString());
    Path base = file.toAbsolutePath().getParent();
    List<String> local = new ArrayList<>();
    manifest.setup().skymaps().forEach(s -> local.add(s.configFile()));
    manifest.rules().stream().filter(r -> r.action() == Action.IMPORT)
        .map(Rule::exportFile).filter(f -> !f.contains(Rule.DATASET_PLACEHOLDER) && !f.contains("://"))
        .forEach(local::add);
    for (String name : local) {
      if (!Files.isRegularFile(base.resolve(name))) {
        throw new ManifestException(file.getFileName() + ": " + name + " is not a file next to the manifest ("
            + base.resolve(name) + ")");
      }
    }
    return manifest;
  }

  /** A YAML syntax error: the parser's own lines, without its excerpt of the file and its caret line. */
  private static ManifestException notYaml(String source, JsonProcessingException e) {
    // SnakeYAML indents its "in 'reader', line…" lines, the excerpts and the carets; its sentences start a line.
    String problem = Arrays.stream(e.getOriginalMessage().split("\n"))
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .collect(Collectors.joining("; "));
    return new ManifestException(source + ": not valid YAML" + line(e) + ": " + problem);
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  /** Where the unknown key is: the path without the key itself. */
  private static String parentPath(JsonMappingException e) {
    return path(e.getPath().subList(0, e.getPath().size() - 1));
  }

  /** {@code rules[2].match.scope}, from Jackson's path. */
  private static String path(JsonMappingException e) {
    return path(e.getPath());
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "the top level" : sb.toString();
  }

  /** The checks Jackson cannot make, and the defaults, on a parsed manifest. */
  private static final class Validation {
    private final String source;

    Validation(String source) {
      this.source = source;
    }

    CampaignManifest validate(CampaignManifest m) {
      if (m.manifestVersion() != CampaignManifest.VERSION) {
        fail("manifest-version", "is " + m.manifestVersion() + "; this autobutler reads version "
            + CampaignManifest.VERSION);
      }
      require(m.name(), "name");
      if (m.repository() == null) {
        fail("repository", "is missing: it needs a name and a seed");
      }
      require(m.repository().name(), "repository.name");
      if (m.repository().seed() == null) {
        fail("repository.seed", "is missing: the butler seed config (registry db and namespace)");
      }
      try {
        SeedConfig.parse(YAML.writeValueAsString(m.repository().seed()));
      } catch (IllegalArgumentException | IOException e) {
        fail("repository.seed", e.getMessage());
      }
      if (m.rucio() == null) {
        fail("rucio", "is missing: it needs the rse where replicas land");
      }
      require(m.rucio().rse(), "rucio.rse");
      List<Rule> rules = rules(list(m.rules()));
      List<Chain> chains = chains(list(m.chains()));
      List<Tagged> tagged = tagged(list(m.tagged()), chains);
      Setup setup = m.setup() == null ? new Setup(List.of(), List.of(), List.of(), List.of())
          : new Setup(list(m.setup().instruments()), list(m.setup().skymaps()),
              list(m.setup().curatedCalibrations()), list(m.setup().datasetTypes()));
      setup.skymaps().forEach(s -> require(s.configFile(), "setup.skymaps[].config-file"));
      setup.curatedCalibrations().forEach(c -> {
        require(c.instrument(), "setup.curated-calibrations[].instrument");
        require(c.label(), "setup.curated-calibrations[].label");
      });
      setup.datasetTypes().forEach(t -> {
        require(t.name(), "setup.dataset-types[].name");
        require(t.storageClass(), "setup.dataset-types[" + t.name() + "].storage-class");
      });
      Expectations expectations = expectations(m.expectations());
      return new CampaignManifest(m.manifestVersion(), m.name(), m.repository(),
          new CampaignManifest.RucioSpec(m.rucio().rse(), list(m.rucio().scopes())), setup, rules, chains, tagged,
          expectations);
    }

    private List<Rule> rules(List<Rule> rules) {
      if (rules.isEmpty()) {
        fail("rules", "is empty: without rules no file is ever ingested");
      }
      List<Rule> result = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < rules.size(); i++) {
        Rule r = rules.get(i);
        String name = r.name() == null ? "rule" + (i + 1) : r.name();
        String where = "rules[" + i + "] (" + name + ")";
        if (!names.add(name)) {
          fail(where, "has the same name as an earlier rule");
        }
        CampaignManifest.Match match = r.match();
        if (match == null || (match.scope() == null && match.dataset() == null && match.file() == null
            && (match.rubinButler() == null || match.rubinButler().isEmpty()))) {
          fail(where, "needs a match with at least one of scope, dataset, file, rubin-butler");
        }
        if (r.action() == null) {
          fail(where, "needs an action: one of " + labels());
        }
        String run = r.run();
        switch (r.action()) {
          case INGEST_RAWS -> {
            require(r.instrument(), where + ".instrument");
            run = run == null ? r.instrument() + "/raw/all" : run;
          }
          case IMPORT -> require(r.exportFile(), where + ".export-file");
          case INGEST_FILES -> {
            require(r.datasetType(), where + ".dataset-type");
            require(r.run(), where + ".run");
            require(r.table(), where + ".table");
          }
          case SIDECAR, INGEST_ZIP, IMPORT_DIMENSIONS -> {
            // the file's metadata or content says everything
          }
        }
        result.add(new Rule(name, match, r.action(), r.instrument(), run, r.exportFile(), r.directory(),
            r.datasetType(), r.table(), r.prefix(), r.defineVisits(), list(r.skipDimensions())));
      }
      return List.copyOf(result);
    }

    private List<Chain> chains(List<Chain> chains) {
      Map<String, List<String>> children = new LinkedHashMap<>();
      for (int i = 0; i < chains.size(); i++) {
        Chain chain = chains.get(i);
        String where = "chains[" + i + "]";
        require(chain.name(), where + ".name");
        if (chain.children() == null || chain.children().isEmpty()) {
          fail(where + " (" + chain.name() + ")", "needs children");
        }
        if (children.put(chain.name(), chain.children()) != null) {
          fail(where + " (" + chain.name() + ")", "is declared twice");
        }
      }
      for (String name : children.keySet()) {
        findCycle(name, children, new ArrayList<>());
      }
      return List.copyOf(chains);
    }

    private void findCycle(String name, Map<String, List<String>> children, List<String> path) {
      if (path.contains(name)) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
        cycle.add(name);
        fail("chains", "have a cycle: " + String.join(" -> ", cycle));
      }
      path.add(name);
      for (String child : children.getOrDefault(name, List.of())) {
        findCycle(child, children, path);
      }
      path.remove(path.size() - 1);
    }

    private List<Tagged> tagged(List<Tagged> tagged, List<Chain> chains) {
      Set<String> chainNames = chains.stream().map(Chain::name).collect(Collectors.toSet());
      Set<String> names = new HashSet<>();
      List<Tagged> result = new ArrayList<>();
      for (int i = 0; i < tagged.size(); i++) {
        Tagged t = tagged.get(i);
        String where = "tagged[" + i + "]";
        require(t.name(), where + ".name");
        where += " (" + t.name() + ")";
        if (chainNames.contains(t.name()) || !names.add(t.name())) {
          fail(where, "is declared twice (as a chain or a tagged collection)");
        }
        require(t.datasetType(), where + ".dataset-type");
        if (t.collections() == null || t.collections().isEmpty()) {
          fail(where, "needs the collections to search");
        }
        boolean byQuery = t.where() != null;
        boolean byList = t.exposures() != null;
        if (byQuery == byList) {
          fail(where, "needs exactly one of 'where' (a query) and 'exposures' (a list of exposure ids)");
        }
        result.add(new Tagged(t.name(), t.datasetType(), t.collections(), t.where(),
            t.exposures() == null ? null : List.copyOf(t.exposures()), t.doc()));
      }
      return List.copyOf(result);
    }

    private Expectations expectations(Expectations e) {
      if (e == null) {
        return new Expectations(Map.of(), List.of(), null);
      }
      List<ExpectedCount> counts = list(e.counts());
      for (int i = 0; i < counts.size(); i++) {
        ExpectedCount count = counts.get(i);
        require(count.datasetType(), "expectations.counts[" + i + "].dataset-type");
        if (count.count() < 0) {
          fail("expectations.counts[" + i + "]", "has a negative count");
        }
      }
      Map<String, Integer> detectors = e.detectorsPerExposure() == null ? Map.of()
          : new HashMap<>(e.detectorsPerExposure());
      CampaignManifest.CalibrationCoverage calibrations = e.calibrations();
      if (calibrations != null) {
        require(calibrations.selection(), "expectations.calibrations.selection");
        require(calibrations.collection(), "expectations.calibrations.collection");
        if (calibrations.datasetTypes() == null || calibrations.datasetTypes().isEmpty()) {
          fail("expectations.calibrations.dataset-types", "is missing: the calibration dataset types each exposure"
              + " needs (bias, dark, flat, ...)");
        }
        calibrations.datasetTypes().forEach(t -> require(t, "expectations.calibrations.dataset-types[]"));
        calibrations = new CampaignManifest.CalibrationCoverage(calibrations.selection(), calibrations.collection(),
            List.copyOf(calibrations.datasetTypes()));
      }
      return new Expectations(Map.copyOf(detectors), counts, calibrations);
    }

    private void require(String value, String where) {
      if (value == null || value.isBlank()) {
        fail(where, "is missing");
      }
    }

    private void fail(String where, String problem) {
      throw new ManifestException(source + ": " + where + " " + problem);
    }

    private static <T> List<T> list(List<T> list) {
      return list == null ? List.of() : List.copyOf(list);
    }

    private static String labels() {
      return String.join(", ", java.util.Arrays.stream(Action.values()).map(Action::label).toList());
    }
  }
}
