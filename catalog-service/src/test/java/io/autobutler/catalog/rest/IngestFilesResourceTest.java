package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.List;
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
import io.restassured.specification.RequestSpecification;

/** ingest-files over REST: RTN-103's reference catalog table, again, and what is refused. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_files"))
@WithTestResource(KafkaResource.class)
class IngestFilesResourceTest {

  private static final String RUN = "refcats/DM-46370/the_monster_20240904";
  private static final String TABLE = """
      # %ECSV 1.0
      # ---
      # datatype:
      # - {name: filename, datatype: string}
      # - {name: htm7, datatype: int64}
      # schema: astropy-2.0
      filename htm7
      146812.fits 146812
      146813.fits 146813
      """;
  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  private String base;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  @BeforeEach
  void repositoryWithTheRefcatType() {
    String name = "files" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
    write().body(Map.of("name", "the_monster_20240904", "storageClass", "SimpleCatalog", "dimensions", List.of("htm7")))
        .post(base + "/dataset-types").then().statusCode(201);
  }

  private static Map<String, Object> request(String table, String mode) {
    Map<String, Object> body = new HashMap<>(Map.of("datasetType", "the_monster_20240904", "run", RUN,
        "table", table, "tableName", "the_monster_20240904.ecsv", "prefix",
        "davs://door.example.org:2880/pnfs/lsst/raw/refcats/the_monster_20240904", "transfer", "direct"));
    if (mode != null) {
      body.put("idGenerationMode", mode);
    }
    return body;
  }

  @Test
  void theRefcatTableGoesInAndADeterministicRerunChangesNothing() {
    write().body(request(TABLE, "DATAID_TYPE_RUN")).post(base + "/ingest-files").then().statusCode(200)
        .body("run", equalTo(RUN)).body("runCreated", equalTo(true)).body("datasets", equalTo(2))
        .body("files", equalTo(2)).body("inserted", equalTo(2)).body("unchanged", equalTo(0));
    write().body(request(TABLE, "DATAID_TYPE_RUN")).post(base + "/ingest-files").then().statusCode(200)
        .body("runCreated", equalTo(false)).body("inserted", equalTo(0)).body("unchanged", equalTo(2));
    given().queryParam("datasetType", "the_monster_20240904").queryParam("collections", RUN)
        .queryParam("limit", 0).queryParam("showUri", true).get(base + "/datasets").then().statusCode(200)
        .body("tables[0].rows.collect { it[-1] }", contains(
            "davs://door.example.org:2880/pnfs/lsst/raw/refcats/the_monster_20240904/146812.fits",
            "davs://door.example.org:2880/pnfs/lsst/raw/refcats/the_monster_20240904/146813.fits"));
  }

  @Test
  void refusalsSayWhyWithTheButlersStatus() {
    write().body(request(TABLE, null)).post(base + "/ingest-files").then().statusCode(200);
    // UNIQUE again: new ids for data IDs the run already has
    write().body(request(TABLE, null)).post(base + "/ingest-files").then().statusCode(409)
        .body("error", containsString("already has that dataset type, data ID and run"));
    Map<String, Object> missingType = request(TABLE, null);
    missingType.put("datasetType", "the_monster_20250219");
    write().body(missingType).post(base + "/ingest-files").then().statusCode(404)
        .body("error", equalTo("Dataset type 'the_monster_20250219' does not exist."));
    write().body(request(TABLE.replace("146813.fits 146813", "146813.fits"), null)).post(base + "/ingest-files")
        .then().statusCode(400)
        .body("error", equalTo("the_monster_20240904.ecsv: line 9: 1 value(s) for 2 columns [filename, htm7]"));
    Map<String, Object> copy = request(TABLE, null);
    copy.put("transfer", "copy");
    write().body(copy).post(base + "/ingest-files").then().statusCode(400)
        .body("error", containsString("never copies"));
    write().body(Map.of("datasetType", "the_monster_20240904")).post(base + "/ingest-files").then().statusCode(400)
        .body("error", containsString("'table'"));
    given().contentType(ContentType.JSON).body(request(TABLE, null)).post(base + "/ingest-files").then()
        .statusCode(401);
  }
}
