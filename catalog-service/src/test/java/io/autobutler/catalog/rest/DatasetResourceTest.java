package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Files;
import java.nio.file.Path;
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

/** import, query-datasets, associate and certify-calibrations over REST, with RTN-103's export files. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_datasets"))
@WithTestResource(KafkaResource.class)
class DatasetResourceTest {

  private static final Path EXPORTS = Path.of("../butler-core/src/test/resources/exports");
  private static final String ANCILLARY = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/ancillary/";
  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  private String base;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  @BeforeEach
  void repositoryWithFgcm() throws Exception {
    String name = "ds" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
    write().body(Map.of("exportFile", Files.readString(EXPORTS.resolve("DM-48089-fgcmLookupTable-export.yaml")),
            "directory", ANCILLARY, "transfer", "direct"))
        .post(base + "/import").then().statusCode(200).body("datasets", equalTo(1)).body("dimensionRecords", equalTo(1));
  }

  @Test
  void importedDatasetsAreFoundWithTheirUris() {
    given().queryParam("datasetType", "fgcmLookUpTable").queryParam("collections", "LSSTComCam/calib/fgcmcal/DM-48089")
        .queryParam("showUri", true).get(base + "/datasets").then().statusCode(200)
        .body("tables", hasSize(1))
        .body("tables[0].headers", contains("type", "run", "id", "instrument", "URI"))
        .body("tables[0].rows[0]", contains("fgcmLookUpTable", "LSSTComCam/calib/fgcmcal/DM-48089",
            "bb573ca3-6159-45d9-88e3-866e01da4882", "LSSTComCam", ANCILLARY
                + "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/fgcmLookUpTable_LSSTComCam_LSSTComCam_calib"
                + "_fgcmcal_DM-48089.fits"));
    given().queryParam("datasetType", "nothing").get(base + "/datasets").then().statusCode(200)
        .body("tables", hasSize(0)).body("warnings", contains("Dataset type nothing is not registered."));
  }

  @Test
  void asTextTheTablesArePrintedAsTheButlerPrintsThem() {
    String text = given().accept("text/plain").queryParam("datasetType", "fgcmLookUpTable")
        .queryParam("datasetType", "nothing").queryParam("collections", "LSSTComCam/calib/fgcmcal/DM-48089")
        .get(base + "/datasets").then().statusCode(200).contentType(containsString("text/plain"))
        .header(DatasetResource.WARNING_HEADER, equalTo("Dataset type nothing is not registered."))
        .extract().asString();
    assertThat(text).isEqualTo("""

              type                     run                                 id                  instrument
        --------------- --------------------------------- ------------------------------------ ----------
        fgcmLookUpTable LSSTComCam/calib/fgcmcal/DM-48089 bb573ca3-6159-45d9-88e3-866e01da4882 LSSTComCam

        """);
    // errors stay JSON whatever the client accepts
    given().accept("text/plain").queryParam("where", "instrument =").get(base + "/datasets").then().statusCode(400)
        .contentType(ContentType.JSON).body("error", containsString("--where"));
  }

  @Test
  void badInputGetsA400WithTheReason() {
    given().queryParam("where", "instrument = 'LSSTComCam' AND").get(base + "/datasets").then().statusCode(400)
        .body("error", containsString("End of input reached while expecting further input"));
    given().queryParam("where", "instrument = 'x'' OR 1=1 --'").get(base + "/datasets").then().statusCode(400)
        .body("error", containsString("--where"));
    given().queryParam("where", "galaxy = 3").queryParam("datasetType", "fgcmLookUpTable").get(base + "/datasets")
        .then().statusCode(400).body("error", containsString("galaxy"));
    write().body(Map.of("exportFile", "description: x\nversion: 2.0.0\ndata: []\n", "directory", ANCILLARY))
        .post(base + "/import").then().statusCode(400).body("error", containsString("line"));
    write().body(Map.of("exportFile", "data: []\n", "directory", ANCILLARY, "transfer", "copy"))
        .post(base + "/import").then().statusCode(400).body("error", containsString("never copies"));
  }

  @Test
  void associateTagsWhatAQueryFindsAndCertifyRefusesOverlaps() {
    write().body(Map.of("collection", "selection", "datasetTypes", List.of("fgcmLookUpTable"),
            "collections", List.of("LSSTComCam/calib/fgcmcal/DM-48089"), "where", "instrument = 'LSSTComCam'"))
        .post(base + "/associate").then().statusCode(200).body("found", equalTo(1)).body("added", equalTo(1));
    given().queryParam("collections", "selection").get(base + "/datasets").then().statusCode(200)
        .body("tables[0].rows", hasSize(1));
    // fgcmLookUpTable is not a calibration type: certifying it is refused.
    write().body(Map.of("inputCollection", "LSSTComCam/calib/fgcmcal/DM-48089", "outputCollection", "LSSTComCam/calib",
            "datasetType", "fgcmLookUpTable", "beginDate", "2024-01-01T00:00:00"))
        .post(base + "/certify-calibrations").then().statusCode(400)
        .body("error", containsString("not a calibration dataset type"));
  }
}
