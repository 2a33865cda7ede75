package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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

  /** Four rings of 36°, 60″ pixels, cells of 100 px, 5 cells per patch: 42 tracts of 5×5 patches. */
  private static final String SMALL_SKYMAP = String.join("\n",
      "config.name = 'rings4'",
      "config.skyMap = 'rings'",
      "config.skyMap['rings'].numRings = 4",
      "config.skyMap['rings'].projection = 'TAN'",
      "config.skyMap['rings'].pixelScale = 60.0",
      "config.skyMap['rings'].tractOverlap = 1.0",
      "config.skyMap['rings'].tractBuilder = 'cells'",
      "config.skyMap['rings'].tractBuilder['cells'].cellInnerDimensions = [100, 100]",
      "config.skyMap['rings'].tractBuilder['cells'].numCellsPerPatchInner = 5",
      "");

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

    // A small rings skymap (4 rings: 42 tracts of 5×5 patches) keeps this test fast; RTN-103's lsst_cells_v1 is
    // registered in full by the CLI's RTN-103 acceptance test.
    write().body(Map.of("config", SMALL_SKYMAP, "source", "rings4.skymap.config"))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(200)
        .body("summary", containsString("Skymap rings4 registered: 42 tracts of 5x5 patches, hash "))
        .body("summary", containsString("; 42 tract and 1050 patch records written"))
        .body("records", equalTo(1 + 42 + 1050))
        .body("datasets", equalTo(1));
    write().body(Map.of("config", SMALL_SKYMAP)).post("/api/repositories/ccms1/register-skymap").then()
        .statusCode(200).body("datasets", equalTo(0)).body("records", equalTo(0))
        .body("summary", containsString("(already registered)"));
    write().body(Map.of("config", "config.skyMap.name = 'rings'\nconfig.bogus(\n"))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(400).body("error", containsString("line"));
    write().body(Map.of("config", SMALL_SKYMAP.replace("'TAN'", "'AIT'")))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(400)
        .body("error", containsString("projection 'AIT' is not supported"));
    // Another skymap under the same name is a conflict and writes nothing.
    write().body(Map.of("config", SMALL_SKYMAP.replace("numRings = 4", "numRings = 3")))
        .post("/api/repositories/ccms1/register-skymap").then().statusCode(409)
        .body("error", containsString("Existing skymap record with key [name=rings4] differs"));

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
      assertThat(single(s, "SELECT count(*) FROM ccms1.skymap")).isEqualTo(1L);
      assertThat(single(s, "SELECT count(*) FROM ccms1.tract WHERE skymap = 'rings4'")).isEqualTo(42L);
      assertThat(single(s, "SELECT count(*) FROM ccms1.patch WHERE skymap = 'rings4'")).isEqualTo(1050L);
      assertThat(single(s, "SELECT count(*) FROM ccms1.patch WHERE region IS NULL")).isEqualTo(0L);
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
