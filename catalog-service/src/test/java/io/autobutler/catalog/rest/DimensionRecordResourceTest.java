package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** query-dimension-records over REST, on a repository with LSSTComCam registered. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_records"))
@WithTestResource(KafkaResource.class)
class DimensionRecordResourceTest {

  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  private String base;

  @BeforeEach
  void repositoryWithComCam() {
    String name = "dr" + (++repos);
    given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON)
        .body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
    given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON)
        .body(Map.of("instrument", "lsst.obs.lsst.LsstComCam")).post(base + "/register-instrument")
        .then().statusCode(200);
  }

  @Test
  void recordsComeAsTheButlersTable() {
    given().get(base + "/dimension-records/detector").then().statusCode(200)
        .body("table.headers", contains("instrument", "id", "full_name", "name_in_raft", "raft", "purpose"))
        .body("table.rows", hasSize(9))
        .body("table.rows[4]", contains("LSSTComCam", "4", "R22_S11", "S11", "R22", "SCIENCE"))
        .body("warnings", hasSize(0));
    given().get(base + "/dimension-records/instrument").then().statusCode(200)
        .body("table.headers", contains("name", "visit_max", "visit_system", "exposure_max", "detector_max",
            "class_name"))
        .body("table.rows[0]", contains("LSSTComCam", "7050123199999", "2", "7050123199999", "1000",
            "lsst.obs.lsst.LsstComCam"));
  }

  @Test
  void whereBindOrderByAndLimit() {
    given().queryParam("where", "detector IN (0..8:4)").get(base + "/dimension-records/detector").then()
        .statusCode(200).body("table.rows.collect { it[1] }", contains("0", "4", "8"));
    given().queryParam("where", "full_name = :name").queryParam("bind", "name=R22_S11")
        .get(base + "/dimension-records/detector").then().statusCode(200)
        .body("table.rows.collect { it[1] }", contains("4"));
    // physical_filter records sorted by name in code-point order; band names the implied dimension
    given().queryParam("where", "band = 'u'").get(base + "/dimension-records/physical_filter").then()
        .statusCode(200).body("table.headers", contains("instrument", "name", "band"))
        .body("table.rows.collect { it[1] }", contains("u_02", "u_05", "u_06"));
    given().queryParam("orderBy", "-detector").queryParam("limit", -3).get(base + "/dimension-records/detector")
        .then().statusCode(200).body("table.rows.collect { it[1] }", contains("8", "7", "6"))
        .body("warnings", contains("More data IDs are available than the request limit of 3"));
    given().queryParam("where", "detector = 99").get(base + "/dimension-records/detector").then().statusCode(200)
        .body("table.rows", hasSize(0));
  }

  @Test
  void badRequestsAre400WithTheReason() {
    given().get(base + "/dimension-records/galaxy").then().statusCode(400)
        .body("error", containsString("Unknown dimension element 'galaxy'"));
    given().queryParam("where", "detector = 1 AND").get(base + "/dimension-records/detector").then().statusCode(400)
        .body("error", equalTo("--where: End of input reached while expecting further input"));
    given().queryParam("where", "detector = = 1").get(base + "/dimension-records/detector").then().statusCode(400)
        .body("error", equalTo("--where: Syntax error at or near '=' (line: 1, pos: 12)"));
    given().queryParam("where", "visit.region OVERLAPS POINT(53.1, -28.1)").get(base + "/dimension-records/detector")
        .then().statusCode(400).body("error", containsString("POINT() is not supported"));
    given().queryParam("offset", 2).get(base + "/dimension-records/detector").then().statusCode(400)
        .body("error", equalTo("--offset is no longer supported.  It will be removed after v28."));
    given().queryParam("orderBy", "galaxy").get(base + "/dimension-records/detector").then().statusCode(400)
        .body("error", containsString("--order-by galaxy: Unrecognized identifier 'galaxy'"));
    given().queryParam("bind", "nameless").get(base + "/dimension-records/detector").then().statusCode(400)
        .body("error", containsString("must be name=value"));
    given().get("/api/repositories/nowhere/dimension-records/detector").then().statusCode(404);
  }

  @Test
  void injectionAttemptsStayValues() {
    given().queryParam("where", "full_name = 'x'' OR 1=1 --'").get(base + "/dimension-records/detector").then()
        .statusCode(400).body("error", containsString("--where"));
    given().queryParam("where", "full_name = :name OR raft = :name")
        .queryParam("bind", "name=R22'; DROP TABLE detector; --").get(base + "/dimension-records/detector").then()
        .statusCode(200).body("table.rows", hasSize(0));
    given().get(base + "/dimension-records/detector").then().statusCode(200).body("table.rows", hasSize(9));
  }

  @Test
  void dataIdsOfDimensions() {
    given().queryParam("dimensions", "physical_filter").queryParam("where", "band IN ('u', 'g')")
        .get(base + "/data-ids").then().statusCode(200)
        .body("table.headers", contains("instrument", "physical_filter", "band"))
        .body("table.rows.collect { it[1] }", contains("g_01", "g_07", "u_02", "u_05", "u_06"))
        .body("reason", equalTo(null));
    given().get(base + "/data-ids").then().statusCode(200).body("table", equalTo(null))
        .body("reason", equalTo("Result has one logical row but no columns because no dimensions were requested."));
    given().queryParam("dimensions", "galaxy").get(base + "/data-ids").then().statusCode(400)
        .body("error", equalTo("Unknown dimension 'galaxy'"));
  }

  @Test
  void theOperationIsDescribedInOpenApi() {
    given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
        .body(containsString("/api/repositories/{repo}/dimension-records/{element}"))
        .body(containsString("query-dimension-records"))
        .body(containsString("/api/repositories/{repo}/data-ids"));
  }
}
