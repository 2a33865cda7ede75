package io.autobutler.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.autobutler.cli.CliException;
import io.autobutler.core.campaign.CampaignGenerator;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.ManifestException;
import io.autobutler.core.manifest.ManifestReader;

/**
 * The demo's campaign manifest: RTN-103's ({@code deploy/campaigns/frdf-comcam/manifest.yaml}) with local roots and
 * the generated campaign's counts, written into the campaign folder. Everything else is kept as it is, expectations
 * included:
 * <ul>
 *   <li>{@code repository.seed}: the datastore root a local folder, the registry the stack's database;</li>
 *   <li>rules' {@code directory} and {@code prefix}: the same path on the Rucio simulator, which serves the RSE at the
 *       site's paths ({@code /pnfs/in2p3.fr/lsst/instrument/…}) — only scheme and host change;</li>
 *   <li>files the manifest names ({@code export-file}, {@code table}, skymap configs): the campaign's own when it
 *       has one under that name (the generated export files and refcat tables), else the source manifest's, by
 *       absolute path (the skymap config);</li>
 *   <li>{@code expectations.counts}: the raws and science raws of {@code LSSTComCam/raw/all}, the generated
 *       campaign's (RTN-103's own at the full scale); a count of anything else is refused, since the demo could not
 *       say what the campaign gives for it.</li>
 * </ul>
 */
final class DemoManifest {

  /** The manifest of RTN-103's repository that the demo derives its own from. */
  static final String SOURCE = "deploy/campaigns/frdf-comcam/manifest.yaml";
  static final String FILE_NAME = "manifest.yaml";
  private static final String SCIENCE = "exposure.observation_type='science'";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  /** Where the demo's repository lives and where its campaign's files are served. */
  record Roots(String datastoreRoot, String registryDb, String simulatorUrl) {
  }

  private DemoManifest() {
  }

  /**
   * Writes {@code campaign/manifest.yaml} from {@code source} and reads it back as the services will.
   *
   * @return the written file
   */
  static Path write(Path source, Path campaign, Roots roots, CampaignGenerator.Summary summary) {
    JsonNode tree;
    try {
      tree = YAML.readTree(Files.readString(source, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException("cannot read the campaign manifest " + source + ": " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode manifest)) {
      throw new CliException(source + " is not a campaign manifest");
    }
    Path sourceFolder = source.toAbsolutePath().getParent();
    manifest.put("name", manifest.path("name").asText() + "-demo-" + summary.scale());

    ObjectNode seed = (ObjectNode) manifest.path("repository").path("seed");
    ((ObjectNode) seed.path("datastore")).put("root", roots.datastoreRoot());
    ((ObjectNode) seed.path("registry")).put("db", roots.registryDb());

    for (JsonNode skymap : manifest.path("setup").path("skymaps")) {
      ((ObjectNode) skymap).put("config-file", local(skymap.path("config-file").asText(), campaign, sourceFolder));
    }
    for (JsonNode rule : manifest.path("rules")) {
      ObjectNode r = (ObjectNode) rule;
      for (String field : new String[] {"directory", "prefix"}) {
        if (r.hasNonNull(field)) {
          r.put(field, onSimulator(r.get(field).asText(), roots.simulatorUrl(), rule.path("name").asText()));
        }
      }
      for (String field : new String[] {"export-file", "table"}) {
        if (r.hasNonNull(field)) {
          r.put(field, local(r.get(field).asText(), campaign, sourceFolder));
        }
      }
    }
    for (JsonNode count : manifest.path("expectations").path("counts")) {
      ((ObjectNode) count).put("count", expectedCount(count, summary));
    }

    Path target = campaign.resolve(FILE_NAME);
    try {
      Files.writeString(target, "# Written by ./autobutler demo from " + SOURCE + " for the " + summary.scale()
          + " campaign: local roots (the datastore, the stack's\n# registry, the Rucio simulator's files) and the"
          + " generated campaign's counts; everything else is RTN-103's.\n" + YAML.writeValueAsString(manifest),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    try {
      ManifestReader.read(target);
    } catch (ManifestException e) {
      throw new CliException("the demo's campaign manifest " + e.getMessage());
    }
    return target;
  }

  /** The same path on the simulator, which serves the RSE where the site keeps it. */
  private static String onSimulator(String uri, String simulatorUrl, String rule) {
    URI parsed = URI.create(uri);
    if (parsed.getRawPath() == null || parsed.getScheme() == null) {
      throw new CliException("rule " + rule + ": '" + uri + "' is not an absolute URI the demo can serve");
    }
    return simulatorUrl + parsed.getRawPath();
  }

  /**
   * A file the manifest names: the campaign's when it has one there ({@code {dataset}} standing for any folder),
   * else the source manifest's by absolute path.
   */
  private static String local(String name, Path campaign, Path sourceFolder) {
    if (name.contains("://") || Path.of(name).isAbsolute()) {
      return name;
    }
    int placeholder = name.indexOf(CampaignManifest.Rule.DATASET_PLACEHOLDER);
    Path inCampaign = campaign.resolve(placeholder < 0 ? name : name.substring(0, placeholder));
    if (placeholder < 0 ? Files.isRegularFile(inCampaign) : Files.isDirectory(inCampaign)) {
      return name;
    }
    return sourceFolder.resolve(name).toString();
  }

  /** What the generated campaign gives for one of the manifest's counts. */
  private static long expectedCount(JsonNode count, CampaignGenerator.Summary summary) {
    JsonNode collections = count.path("collections");
    boolean rawAll = count.path("dataset-type").asText().equals("raw") && collections instanceof ArrayNode list
        && list.size() == 1 && list.get(0).asText().equals(SyntheticRaws.RUN);
    String where = count.path("where").asText("").replace(" ", "");
    if (rawAll && where.isEmpty()) {
      return summary.raws();
    }
    if (rawAll && where.equals(SCIENCE)) {
      return summary.scienceRaws();
    }
    throw new CliException("the demo does not know what the generated campaign gives for the manifest's count '"
        + count.path("name").asText() + "' (" + count + ")");
  }
}
