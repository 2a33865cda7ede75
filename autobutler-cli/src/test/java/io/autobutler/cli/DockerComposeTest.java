package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.autobutler.cli.stack.LocalStack;
import io.autobutler.cli.stack.Service;
import io.autobutler.core.event.Topics;

/** docker-compose.yml stays in step with the code: the same topics, services, ports and variables. */
class DockerComposeTest {

  private static final Path ROOT = ProjectHome.locate(Map.of());

  private static JsonNode compose() throws Exception {
    Path file = ROOT.resolve("docker-compose.yml");
    assertThat(file).exists();
    return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
  }

  @Test
  void initContainerCreatesExactlyTheTopicsOfTopicsAll() throws Exception {
    String spec = compose().at("/services/kafka-init/environment/TOPICS").asText();
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String entry : spec.trim().split("\\s+")) {
      int colon = entry.lastIndexOf(':');
      topics.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
    }
    assertThat(topics).containsExactlyEntriesOf(Topics.all());
  }

  /** docker-compose (v1) or the docker compose plugin, when one is installed: the file is valid. */
  @Test
  void composeAcceptsTheFileWithATokenAndRefusesItWithout() throws Exception {
    List<String> compose = composeCommand();
    Assumptions.assumeTrue(compose != null, "neither docker-compose nor docker compose is installed");
    Result with = runCompose(compose, "some-token");
    assertThat(with.code()).as(with.output()).isZero();
    Result without = runCompose(compose, null);
    assertThat(without.code()).isNotZero();
    assertThat(without.output()).contains("set AUTOBUTLER_TOKEN to the catalog write token");
  }

  private record Result(int code, String output) {
  }

  private static Result runCompose(List<String> compose, String token) throws Exception {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("AUTOBUTLER_TOKEN");
    if (token != null) {
      pb.environment().put("AUTOBUTLER_TOKEN", token);
    }
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }

  private static List<String> composeCommand() {
    for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      try {
        List<String> version = new ArrayList<>(candidate);
        version.add("version");
        Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (java.io.IOException e) {
        // not installed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  @Test
  void servicesAreBuiltFromTheirDockerfileOnTheirPorts() throws Exception {
    JsonNode services = compose().get("services");
    for (Service s : Service.values()) {
      JsonNode svc = services.get(s.moduleName());
      assertThat(svc).as(s.moduleName()).isNotNull();
      assertThat(svc.at("/build/context").asText()).isEqualTo("./" + s.moduleName());
      assertThat(svc.at("/build/dockerfile").asText()).isEqualTo("src/main/docker/Dockerfile.jvm");
      assertThat(ROOT.resolve(s.moduleName()).resolve("src/main/docker/Dockerfile.jvm")).exists();
      assertThat(svc.get("ports").get(0).asText()).isEqualTo(s.defaultPort() + ":" + s.defaultPort());
      JsonNode env = svc.get("environment");
      assertThat(env.get("QUARKUS_HTTP_PORT").asText()).isEqualTo(Integer.toString(s.defaultPort()));
      assertThat(env.has("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
      assertThat(env.has("QUARKUS_DATASOURCE_JDBC_URL")).isTrue();
      assertThat(env.has("QUARKUS_DATASOURCE_USERNAME")).isTrue();
      assertThat(env.has("QUARKUS_DATASOURCE_PASSWORD")).isTrue();
      assertThat(svc.at("/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
      assertThat(svc.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
      assertThat(svc.at("/healthcheck/test").toString()).contains("/q/health");
    }
    // only catalog-service takes writes, and it gets its token from the operator's AUTOBUTLER_TOKEN
    for (Service s : Service.values()) {
      JsonNode token = services.get(s.moduleName()).at("/environment/" + LocalStack.WRITE_TOKEN_ENV);
      if (s == Service.CATALOG_SERVICE) {
        assertThat(token.asText()).startsWith("${AUTOBUTLER_TOKEN:?");
      } else {
        assertThat(token.isMissingNode()).as(s.moduleName()).isTrue();
      }
    }
    assertThat(services.at("/kafka/image").asText()).isEqualTo("apache/kafka:4.1.2");
    assertThat(services.at("/kafka/healthcheck/test").isMissingNode()).isFalse();
    assertThat(services.at("/postgres/image").asText()).startsWith("postgres:17");
    assertThat(services.at("/postgres/healthcheck/test").toString()).contains("pg_isready");
  }
}
