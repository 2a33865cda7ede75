package io.autobutler.core.repository;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.registry.RegistryMigrations;

/**
 * The butler's seed configuration for {@code create --seed-config}, as RTN-103 writes it:
 * <pre>
 * datastore:
 *   name: "ccms1"
 *   root: "davs://…/butler/ccms1"
 * registry:
 *   db: postgresql://host:port/database
 *   namespace: ccms1
 * </pre>
 * Unknown keys are refused rather than ignored, so that a typo never creates a repository somewhere unexpected.
 */
public record SeedConfig(String datastoreName, URI datastoreRoot, DatabaseUrl registryDb, String namespace) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, Set<String>> KNOWN_KEYS = Map.of(
      "datastore", Set.of("name", "root"),
      "registry", Set.of("db", "namespace"));

  /** Parses and validates a seed file's text; the exception message names the problem and the key. */
  public static SeedConfig parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml == null ? "" : yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new SeedConfigException("the seed config is not valid YAML" + where + ": " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SeedConfigException("the seed config is empty: it needs a 'registry' section with 'db' and 'namespace'");
    }
    if (!root.isObject()) {
      throw new SeedConfigException("the seed config must be a mapping with 'datastore' and 'registry' sections");
    }
    checkKeys(root, "", KNOWN_KEYS.keySet());
    JsonNode registry = section(root, "registry", true);
    checkKeys(registry, "registry.", KNOWN_KEYS.get("registry"));
    JsonNode datastore = section(root, "datastore", false);
    if (datastore != null) {
      checkKeys(datastore, "datastore.", KNOWN_KEYS.get("datastore"));
    }

    String db = requiredText(registry, "registry.db");
    DatabaseUrl registryDb;
    try {
      registryDb = DatabaseUrl.parse(db);
    } catch (IllegalArgumentException e) {
      throw new SeedConfigException("registry.db: " + e.getMessage());
    }
    String namespace = requiredText(registry, "registry.namespace");
    if (!RegistryMigrations.isValidSchemaName(namespace)) {
      throw new SeedConfigException("registry.namespace: '" + namespace + "' is not a valid namespace: use 1 to 63"
          + " lower-case letters, digits and underscores, starting with a letter or an underscore");
    }
    String name = datastore != null && datastore.hasNonNull("name") ? text(datastore, "name", "datastore.name") : null;
    URI rootUri = null;
    if (datastore != null && datastore.hasNonNull("root")) {
      rootUri = parseRoot(text(datastore, "root", "datastore.root"));
    }
    return new SeedConfig(name, rootUri, registryDb, namespace);
  }

  /** Checks a datastore root: an absolute URI with a scheme, e.g. {@code davs://host:2880/path} or {@code file:///data}. */
  public static URI parseRoot(String text) {
    try {
      URI uri = new URI(text.strip());
      if (uri.getScheme() == null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new SeedConfigException("datastore.root: '" + text + "' must be an absolute URI with a scheme,"
            + " e.g. file:///data/repo or davs://host:2880/path");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new SeedConfigException("datastore.root: '" + text + "' is not a valid URI: " + e.getReason());
    }
  }

  private static void checkKeys(JsonNode node, String prefix, Set<String> allowed) {
    Set<String> unknown = new LinkedHashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        unknown.add(prefix + key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new SeedConfigException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " in the seed config; allowed " + (prefix.isEmpty() ? "sections" : "keys under " + prefix.substring(0, prefix.length() - 1))
          + ": " + String.join(", ", allowed.stream().sorted().toList()));
    }
  }

  private static JsonNode section(JsonNode root, String name, boolean required) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        throw new SeedConfigException("the seed config has no '" + name + "' section");
      }
      return null;
    }
    if (!node.isObject()) {
      throw new SeedConfigException("'" + name + "' in the seed config must be a mapping");
    }
    return node;
  }

  private static String requiredText(JsonNode node, String path) {
    String key = path.substring(path.indexOf('.') + 1);
    if (!node.hasNonNull(key)) {
      throw new SeedConfigException(path + " is missing from the seed config");
    }
    return text(node, key, path);
  }

  private static String text(JsonNode node, String key, String path) {
    JsonNode value = node.get(key);
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new SeedConfigException(path + " must be a non-empty string");
    }
    return value.asText();
  }

  /** A seed config that cannot be used; the message is meant for the operator as it is. */
  public static final class SeedConfigException extends IllegalArgumentException {
    public SeedConfigException(String message) {
      super(message);
    }
  }
}
