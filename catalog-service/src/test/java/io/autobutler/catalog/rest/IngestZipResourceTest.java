package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.testsupport.ButlerZips;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** ingest-zip over REST: an LSSTCam raw zip, again, next to a file that is not a zip, and what is refused. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_zip"))
@WithTestResource(KafkaResource.class)
class IngestZipResourceTest {

  private static final String MEMBER = "MC_O_20250614_000123_R22_S11.fits";
  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  private String base;

  @TempDir
  Path dir;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  @BeforeEach
  void emptyRepository() {
    String name = "zips" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
  }

  /** A butler zip as retrieve-artifacts writes it: the index first, then the raws. */
  private Path rawZip() throws IOException {
    return ButlerZips.write(dir.resolve("MC_O_20250614_000123.zip"), ButlerZips.index(ButlerZips.LSSTCAM_RAWS));
  }

  @Test
  void aRawZipGoesInAndAgainChangesNothingWhileANonZipIsRejected() throws Exception {
    Path zip = rawZip();
    Path notZip = Files.writeString(dir.resolve("notes.zip"), "not a zip");
    String uri = "file://" + zip;
    write().body(Map.of("zips", List.of(Map.of("uri", uri, "bytes", Files.size(zip)), Map.of("uri", notZip.toString())),
            "transfer", "direct"))
        .post(base + "/ingest-zip").then().statusCode(200)
        .body("datasets", equalTo(2)).body("unchanged", equalTo(0)).body("dimensionRecords", equalTo(7))
        .body("rejections.uri", contains(notZip.toString()))
        .body("rejections[0].cause", equalTo("io.autobutler.core.ingest.zip.ZipIndexException"))
        .body("rejections[0].reason", equalTo("file://" + notZip + " is not a zip file: it has no end of central"
            + " directory record"));
    write().body(Map.of("zips", List.of(Map.of("uri", uri)), "skipExisting", true))
        .post(base + "/ingest-zip").then().statusCode(200)
        .body("datasets", equalTo(0)).body("unchanged", equalTo(2)).body("rejections", empty());
    // the butler's default refuses a zip that is there already
    write().body(Map.of("zips", List.of(Map.of("uri", uri))))
        .post(base + "/ingest-zip").then().statusCode(200)
        .body("rejections[0].reason", containsString("Datastore already contains 2 of the given datasets."));
    given().queryParam("datasetType", "raw").queryParam("collections", "LSSTCam/raw/all")
        .queryParam("limit", 0).queryParam("showUri", true).get(base + "/datasets").then().statusCode(200)
        .body("tables[0].rows.collect { it[-1] }", contains(uri + "#zip-path=" + MEMBER,
            uri + "#zip-path=MC_O_20250614_000123_R22_S12.fits"));
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    write().body(Map.of("zips", List.of())).post(base + "/ingest-zip").then().statusCode(400)
        .body("error", containsString("'zips'"));
    write().body(Map.of("zips", List.of(Map.of("bytes", 3)))).post(base + "/ingest-zip").then().statusCode(400)
        .body("error", equalTo("every zip needs its 'uri'"));
    write().body(Map.of("zips", List.of(Map.of("uri", "/data/x.zip")), "transfer", "copy"))
        .post(base + "/ingest-zip").then().statusCode(400).body("error", containsString("never copies"));
    write().body(Map.of("zips", List.of(Map.of("uri", "/data/x.zip"))))
        .post("/api/repositories/nosuchrepo/ingest-zip").then().statusCode(404);
    given().contentType(ContentType.JSON).body(Map.of("zips", List.of(Map.of("uri", "/data/x.zip"))))
        .post(base + "/ingest-zip").then().statusCode(401);
  }
}
