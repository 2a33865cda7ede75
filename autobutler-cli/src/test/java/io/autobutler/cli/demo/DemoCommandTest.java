package io.autobutler.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.autobutler.cli.CliException;
import io.autobutler.cli.ProjectHome;

class DemoCommandTest {

  @TempDir
  Path tmp;

  @Test
  void shippedSeedResolvesToAnAbsoluteDatastoreRootAndTheStackRegistry() throws Exception {
    Path template = ProjectHome.locate(Map.of()).resolve(DemoCommand.SEED_TEMPLATE);
    Path datastore = tmp.resolve("state/datastore/demo");
    Path seed = DemoCommand.writeSeed(template, tmp.resolve("state/demo-seed.yaml"), Map.of(
        "DATASTORE_ROOT", DemoCommand.datastoreRoot(datastore),
        "REGISTRY_DB", "postgresql://127.0.0.1:5432/autobutler"));

    assertThat(datastore).isDirectory();
    String text = Files.readString(seed);
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(text);
    assertThat(yaml.at("/datastore/name").asText()).isEqualTo("demo");
    assertThat(yaml.at("/datastore/root").asText()).isEqualTo(datastore.toUri().toString())
        .startsWith("file:///").endsWith("/datastore/demo/");
    assertThat(yaml.at("/registry/db").asText()).isEqualTo("postgresql://127.0.0.1:5432/autobutler");
    assertThat(yaml.at("/registry/namespace").asText()).isEqualTo("demo");
    assertThat(text.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.matches(".*@[A-Z_]+@.*"));
  }

  @Test
  void unknownPlaceholdersAreAnError() {
    assertThat(DemoCommand.resolve("# @X@ in a comment\nroot: \"@A@\"\n", Map.of("A", "a$1\\b")))
        .isEqualTo("# @X@ in a comment\nroot: \"a$1\\b\"\n");
    assertThatThrownBy(() -> DemoCommand.resolve("root: @B@", Map.of("A", "a")))
        .isInstanceOf(CliException.class).hasMessageContaining("@B@");
  }
}
