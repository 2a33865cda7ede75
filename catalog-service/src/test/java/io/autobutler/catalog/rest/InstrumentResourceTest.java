package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** register-instrument, register-skymap and write-curated-calibrations as RTN-103 runs them, twice. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_instr"))
@WithTestResource(KafkaResource.class)
class InstrumentResourceTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  @ConfigProperty(name = "quarkus.datasource.username")
  String user;
  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  @Test
  void rtn103SetupCommandsAreIdempotent() throws Exception {
    write().body(Map.of("name", "ccms1", "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: ccms1\n"))
        .post("/api/repositories").then().statusCode(201);

    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam")).post("/api/repositories/ccms1/register-instrument")
        .then().statusCode(200).body("records", equalTo(1 + 9 + 15))
        .body("summary", containsString("Instrument LSSTComCam registered: 9 detectors, 15 physical filters"));
    write().body(Map.of("instrument", "LSSTComCam")).post("/api/repositories/ccms1/register-instrument")
        .then().statusCode(200).body("records", equalTo(0));
    write().body(Map.of("instrument", "lsst.obs.subaru.HyperSuprimeCam"))
        .post("/api/repositories/ccms1/register-instrument").then().statusCode(400)
        .body("error", containsString("Unknown instrument"));

    String skymapConfig;
    try (InputStream in = getClass().getResourceAsStream("/skymaps/lsst_cells_v1.skymap.config")) {
      skymapConfig = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    write().body(Map.of("config", skymapConfig, "source", "lsst_cells_v1.skymap.config"))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(200)
        .body("summary", containsString("Skymap lsst_cells_v1 registered: 18938 tracts of 10x10 patches"))
        .body("datasets", equalTo(1));
    write().body(Map.of("config", skymapConfig)).post("/api/repositories/ccms1/register-skymap").then()
        .statusCode(200).body("datasets", equalTo(0)).body("summary", containsString("already registered"));
    write().body(Map.of("config", "config.skyMap.name = 'rings'\nconfig.bogus(\n"))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(400).body("error", containsString("line"));

    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam", "labels", List.of("DM-48650")))
        .post("/api/repositories/ccms1/write-curated-calibrations").then().statusCode(200)
        .body("collections", hasItem("LSSTComCam/calib/DM-48650"))
        .body("collections", hasItem("LSSTComCam/calib/DM-48650/unbounded"));
    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam", "labels", List.of("DM-48650")))
        .post("/api/repositories/ccms1/write-curated-calibrations").then().statusCode(200)
        .body("datasets", equalTo(0));

    given().queryParam("glob", "LSSTComCam/calib/DM-48650*").queryParam("chains", "no-children")
        .get("/api/repositories/ccms1/collections").then().statusCode(200)
        .body("rows[0]", equalTo(List.of("LSSTComCam/calib/DM-48650", "CALIBRATION")))
        .body("rows[1][0]", equalTo("LSSTComCam/calib/DM-48650/curated/19700101T000000Z"))
        .body("rows[2]", equalTo(List.of("LSSTComCam/calib/DM-48650/unbounded", "RUN")));

    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT count(*) FROM ccms1.detector")).isEqualTo(9L);
      assertThat(single(s, "SELECT count(*) FROM ccms1.physical_filter")).isEqualTo(15L);
      assertThat(single(s, "SELECT encode(hash, 'base64') FROM ccms1.skymap")).isEqualTo("4nNuQSRN8Au9uTrsrArkstGd2pE=");
      // The camera is certified over all time; curated calibrations from 1970 on; one certification per dataset.
      assertThat(single(s, "SELECT count(*) FROM ccms1.dataset_calibs")).isEqualTo(
          single(s, "SELECT count(*) FROM ccms1.dataset d JOIN ccms1.dataset_type t ON t.id = d.dataset_type_id"
              + " WHERE t.is_calibration"));
      assertThat(single(s, "SELECT lower(c.timespan) FROM ccms1.dataset_calibs c JOIN ccms1.dataset_type t"
          + " ON t.id = c.dataset_type_id WHERE t.name = 'camera'")).isEqualTo(0L);
    }
  }

  private static Object single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }
}
