package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health with Kafka and PostgreSQL readiness, OpenAPI and Prometheus metrics, as operators and the launcher use them. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_health"))
@WithTestResource(KafkaResource.class)
class ObservabilityTest {

  @Test
  void readinessCoversKafkaAndPostgresql() {
    given().get("/q/health/ready").then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItems("Kafka connection health check", "Database connections health check"));
    given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void servesOpenApiAndPrometheusMetrics() {
    given().get("/q/openapi").then().statusCode(200).body(containsString("/api/repositories"));
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }
}
