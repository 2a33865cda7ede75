package io.autobutler.catalog.campaign;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.autobutler.testsupport.KafkaResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Start-up while the manifest's registry database does not answer: readiness is DOWN with the reason and the pass is
 * retried with back-off; once the database is there the repository is created and set up, and readiness is UP.
 */
@QuarkusTest
@WithTestResource(value = CampaignManifestResource.class, initArgs = @ResourceArg(
    name = CampaignManifestResource.REGISTRY_SUFFIX, value = "_later"))
@WithTestResource(KafkaResource.class)
class CampaignStartupRetryTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  @ConfigProperty(name = "quarkus.datasource.username")
  String user;
  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  @Test
  void retriesUntilTheRegistryDatabaseAnswers() throws SQLException {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
        .statusCode(503)
        .body("checks.find { it.name == 'campaign convergence' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'campaign convergence' }.data.reason",
            containsString("cannot connect to the registry database")));
    given().get("/api/campaign").then().statusCode(200)
        .body("repositoryExists", equalTo(false))
        .body("passes", equalTo(0))
        .body("problem", containsString("_later"));

    String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1) + "_later";
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + database + "\"");
    }
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
          .statusCode(200));
      var state = given().get("/api/campaign").then().statusCode(200).extract().jsonPath();
      assertThat(state.getBoolean("repositoryExists")).isTrue();
      assertThat(state.getString("lastPass.trigger")).isEqualTo("retry");
      assertThat(state.getList("chains.find { it.name == 'LSSTComCam/defaults' }.actual", String.class))
          .containsExactly("LSSTComCam/calib/DM-48650", "skymaps");
    } finally {
      try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
      }
    }
  }
}
