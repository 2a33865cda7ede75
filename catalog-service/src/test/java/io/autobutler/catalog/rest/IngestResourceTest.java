package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** ingest-raws over REST: a backfill of exposure folders with their _index.json, then the same again. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_ingest"))
@WithTestResource(KafkaResource.class)
class IngestResourceTest {

  /** butler-core's fixtures: an LSSTComCam exposure's _index.json, obs_base's DummyCam example. */
  private static final Path FIXTURES = Path.of("../butler-core/src/test/resources/ingest").toAbsolutePath().normalize();
  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  @TempDir
  Path data;
  private String base;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  private static String uri(Path path) {
    return DatastoreFiles.text(path.toUri());
  }

  @BeforeEach
  void repositoryWithComCam() {
    String name = "ingest" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
    write().body(Map.of("instrument", "lsst.obs.lsst.LsstComCam")).post(base + "/register-instrument")
        .then().statusCode(200);
  }

  @Test
  void aBackfillOfExposureFoldersRegistersTheRawsAndAgainChangesNothing() throws Exception {
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(60, 3, data.resolve("LSSTComCam"));
    Map<String, Object> request = Map.of("locations", List.of(uri(data.resolve("LSSTComCam"))),
        "transfer", "direct");
    write().body(request).post(base + "/ingest-raws").then().statusCode(200)
        .body("exposures", equalTo(campaign.exposures())).body("exposureFailures", equalTo(0))
        .body("ingestFailures", equalTo(0)).body("datasets", equalTo(60)).body("newDatasets", equalTo(60))
        .body("newExposures", equalTo(campaign.exposures())).body("rejections", empty())
        .body("runs", contains("LSSTComCam/raw/all"));
    write().body(request).post(base + "/ingest-raws").then().statusCode(200)
        .body("datasets", equalTo(60)).body("newDatasets", equalTo(0)).body("newExposures", equalTo(0))
        .body("exposures", equalTo(campaign.exposures()));
    given().queryParam("datasetType", "raw").queryParam("collections", "LSSTComCam/raw/all")
        .queryParam("where", "exposure.observation_type = 'science'").queryParam("limit", 0).queryParam("showUri", true)
        .get(base + "/datasets").then().statusCode(200)
        .body("tables[0].rows", hasSize(campaign.scienceRaws()));
  }

  @Test
  void anExplicitIndexIngestsItsEntriesIntoTheGivenRun() {
    String index = uri(FIXTURES.resolve("comcam/20241126/CC_O_20241126_000111/_index.json"));
    write().body(Map.of("locations", List.of(index), "outputRun", "LSSTComCam/raw/backfill"))
        .post(base + "/ingest-raws").then().statusCode(200)
        .body("datasets", equalTo(9)).body("exposures", equalTo(1)).body("runs", contains("LSSTComCam/raw/backfill"));
  }

  @Test
  void filesThatCannotBeRawsAreListedAndFailFastStopsAtTheFirst() {
    String dummy = uri(FIXTURES.resolve("indexed_data/_index.json"));
    write().body(Map.of("locations", List.of(dummy))).post(base + "/ingest-raws").then().statusCode(200)
        .body("datasets", equalTo(0)).body("rejections", hasSize(2))
        .body("rejections[0].stage", equalTo("METADATA"))
        .body("rejections[0].uri", equalTo(uri(FIXTURES.resolve("indexed_data/dataset_1.yaml"))))
        .body("rejections[0].reason", equalTo("Instrument DummyCam for file "
            + uri(FIXTURES.resolve("indexed_data/dataset_1.yaml")) + " not known to registry"));
    write().body(Map.of("locations", List.of(dummy), "failFast", true)).post(base + "/ingest-raws").then()
        .statusCode(400).body("error", equalTo("Problem extracting metadata for file "
            + uri(FIXTURES.resolve("indexed_data/dataset_1.yaml")) + ": Instrument DummyCam for file "
            + uri(FIXTURES.resolve("indexed_data/dataset_1.yaml")) + " not known to registry"));
    write().body(Map.of("locations", List.of(uri(FIXTURES.resolve("indexed_data/metadata_subdir/_index.json"))),
            "failFast", true)).post(base + "/ingest-raws").then().statusCode(400)
        .body("error", containsString("not supported: header-only index"));
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    write().body(Map.of("locations", List.of("file:///data"), "transfer", "copy")).post(base + "/ingest-raws").then()
        .statusCode(400).body("error", containsString("never copies"));
    write().body(Map.of("locations", List.of())).post(base + "/ingest-raws").then().statusCode(400)
        .body("error", containsString("'locations'"));
    write().body(Map.of("locations", List.of("relative/folder"))).post(base + "/ingest-raws").then().statusCode(400)
        .body("error", containsString("must be an absolute URI"));
    write().body(Map.of("locations", List.of("s3://bucket/raw/"))).post(base + "/ingest-raws").then().statusCode(400)
        .body("error", containsString("the scheme must be file, http, https, dav or davs"));
    write().body(Map.of("locations", List.of("file:///data"), "regex", "([")).post(base + "/ingest-raws").then()
        .statusCode(400).body("error", containsString("--regex"));
    given().contentType(ContentType.JSON).body(Map.of("locations", List.of("file:///data")))
        .post(base + "/ingest-raws").then().statusCode(401);
    write().body(Map.of("locations", List.of("file:///data"))).post("/api/repositories/nowhere/ingest-raws").then()
        .statusCode(404).body("error", containsString("nowhere"));
  }
}
