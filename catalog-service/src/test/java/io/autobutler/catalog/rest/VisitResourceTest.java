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

/** define-visits over REST on exposures brought in by an import, as RTN-103 runs it after ingest-raws. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_visits"))
@WithTestResource(KafkaResource.class)
class VisitResourceTest {

  /** One single exposure, a two-snap sequence and a dome-closed bias of LSSTComCam on 2024-11-26. */
  static final String EXPOSURES = """
      description: Butler Data Repository Export
      version: 1.0.2
      universe_version: 7
      universe_namespace: daf_butler
      data:
      - type: dimension
        element: day_obs
        records:
        - instrument: LSSTComCam
          id: 20241126
          datetime_begin: !butler_time/tai/iso '2024-11-26 12:00:00.000000000'
          datetime_end: !butler_time/tai/iso '2024-11-27 12:00:00.000000000'
      - type: dimension
        element: group
        records:
        - {instrument: LSSTComCam, name: '2024-11-27T05:12:33.123'}
      - type: dimension
        element: exposure
        records:
      %s""";

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  @ConfigProperty(name = "quarkus.datasource.username")
  String user;
  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  /** An exposure record as an item of the records list (indented by two spaces). */
  static String exposure(int seq, int start, int end, String type, boolean canSeeSky) {
    return String.format("""
          - instrument: LSSTComCam
            id: 2024112600%d
            day_obs: 20241126
            group: '2024-11-27T05:12:33.123'
            physical_filter: r_03
            obs_id: CC_O_20241126_000%d
            exposure_time: 30.0
            dark_time: 30.9
            observation_type: %s
            observation_reason: %s
            seq_num: %d
            seq_start: %d
            seq_end: %d
            target_name: Rubin_SV_095_-25
            science_program: BLOCK-T246
            tracking_ra: 95.%d
            tracking_dec: -25.0
            sky_angle: 12.5
            azimuth: 180.0
            zenith_angle: 30.0
            has_simulated: false
            can_see_sky: %s
            datetime_begin: !butler_time/tai/iso '2024-11-27 05:%d:00.000000000'
            datetime_end: !butler_time/tai/iso '2024-11-27 05:%d:31.000000000'
        """, seq, seq, type, type, seq, start, end, seq, canSeeSky, seq - 100, seq - 100);
  }

  @Test
  void definesVisitsOnceAndRefusesDifferingOnes() throws Exception {
    write().body(Map.of("name", "visits1", "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: visits1\n"))
        .post("/api/repositories").then().statusCode(201);
    String base = "/api/repositories/visits1";
    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam")).post(base + "/register-instrument").then()
        .statusCode(200);
    String exposures = exposure(111, 111, 111, "science", true) + exposure(112, 112, 113, "science", true)
        + exposure(113, 112, 113, "science", true) + exposure(114, 114, 114, "bias", false);
    write().body(Map.of("exportFile", String.format(EXPOSURES, exposures), "directory", "file:///data/",
        "transfer", "direct")).post(base + "/import").then().statusCode(200).body("dimensionRecords", equalTo(6));

    given().contentType(ContentType.JSON).body(Map.of("instrument", "LSSTComCam")).post(base + "/define-visits")
        .then().statusCode(401);
    write().body(Map.of()).post(base + "/define-visits").then().statusCode(400)
        .body("error", equalTo("'instrument' is required"));
    write().body(Map.of("instrument", "LSSTComCam")).post("/api/repositories/nowhere/define-visits").then()
        .statusCode(404);
    write().body(Map.of("instrument", "LSSTComCam", "collections", List.of("LSSTComCam/calib"))).post(base
        + "/define-visits").then().statusCode(404).body("error", containsString("LSSTComCam/calib"));
    write().body(Map.of("instrument", "LSSTComCam", "where", "exposure.seq_num >")).post(base + "/define-visits")
        .then().statusCode(400).body("error", containsString("--where"));

    write().body(Map.of("instrument", "LSSTComCam")).post(base + "/define-visits").then().statusCode(200)
        .body("exposures", equalTo(3)).body("visits", equalTo(4)).body("created", equalTo(4))
        .body("log.message", hasItem("Finished writing database records for 4 visit(s): 0 left unchanged, 4 new, 0"
            + " updated with new detector regions, 0 updated without new detector regions."))
        .body("log[0].logger", equalTo("lsst.defineVisits")).body("log[0].level", equalTo("INFO"));
    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam", "where", "exposure.observation_type = 'science'"))
        .post(base + "/define-visits").then().statusCode(200).body("unchanged", equalTo(4))
        .body("created", equalTo(0));

    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT count(*) FROM visits1.visit")).isEqualTo(4L);
      assertThat(single(s, "SELECT count(*) FROM visits1.visit_detector_region")).isEqualTo(36L);
      assertThat(single(s, "SELECT string_agg(name, ',' ORDER BY id) FROM visits1.visit")).isEqualTo(
          "CC_O_20241126_000111,CC_O_20241126_000112,CC_O_20241126_000113,CC_O_20241126_000112_first");
      s.executeUpdate("UPDATE visits1.exposure SET zenith_angle = 31.0 WHERE id = 2024112600111");
    }
    write().body(Map.of("instrument", "LSSTComCam")).post(base + "/define-visits").then().statusCode(409)
        .body("error", containsString("visit 2024112600111 (CC_O_20241126_000111): zenith_angle: 30.0 != 31.0"));
    write().body(Map.of("instrument", "LSSTComCam", "skipConflicting", true)).post(base + "/define-visits").then()
        .statusCode(200).body("unchanged", equalTo(4));
    write().body(Map.of("instrument", "LSSTComCam", "updateRecords", true)).post(base + "/define-visits").then()
        .statusCode(200).body("updatedWithRegions", equalTo(4));

    given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
        .body(containsString("/api/repositories/{repo}/define-visits")).body(containsString("DefineVisitsRequest"));
  }

  private static Object single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }
}
