package io.autobutler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

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
    assertThat(services.at("/kafka/image").asText()).isEqualTo("apache/kafka:4.1.2");
    assertThat(services.at("/kafka/healthcheck/test").isMissingNode()).isFalse();
    assertThat(services.at("/postgres/image").asText()).startsWith("postgres:17");
    assertThat(services.at("/postgres/healthcheck/test").toString()).contains("pg_isready");
  }
}
