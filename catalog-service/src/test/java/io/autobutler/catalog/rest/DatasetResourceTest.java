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

  private void importRich() throws Exception {
    write().body(Map.of("exportFile", Files.readString(EXPORTS.resolve("rich-export.yaml")), "directory",
            "file:///data/repo", "transfer", "direct"))
        .post(base + "/import").then().statusCode(200).body("datasets", equalTo(7));
  }

  @Test
  void disassociateRemovesWhatAQueryFindsFromATaggedCollectionOnly() throws Exception {
    importRich();
    Map<String, Object> request = Map.of("collection", "LSSTComCam/raw/selected", "datasetTypes", List.of("raw"),
        "collections", List.of("LSSTComCam/raw/all"), "where", "detector IN (0, 1)");
    // detector 1 is not in the TAGGED collection: ignored, as by Registry.disassociate.
    write().body(request).post(base + "/disassociate").then().statusCode(200)
        .body("found", equalTo(2)).body("removed", equalTo(1));
    write().body(request).post(base + "/disassociate").then().statusCode(200)
        .body("found", equalTo(2)).body("removed", equalTo(0));
    given().queryParam("collections", "LSSTComCam/raw/selected").queryParam("datasetType", "raw")
        .get(base + "/datasets").then().statusCode(200).body("tables[0].rows", hasSize(1))
        .body("tables[0].rows[0][2]", equalTo("7c6b5a49-3827-4615-8049-3e2d1c0b9a8f"));

    write().body(Map.of("collection", "LSSTComCam/raw/all", "datasetTypes", List.of("raw")))
        .post(base + "/disassociate").then().statusCode(400)
        .body("error", equalTo("Cannot disassociate datasets with collection 'LSSTComCam/raw/all' of type RUN; it"
            + " must be TAGGED."));
    write().body(Map.of("collection", "no/such/tag")).post(base + "/disassociate").then().statusCode(404)
        .body("error", containsString("no/such/tag"));
    write().body(Map.of("datasetTypes", List.of("raw"))).post(base + "/disassociate").then().statusCode(400)
        .body("error", equalTo("'collection' is required"));
    write().body(Map.of("collection", "LSSTComCam/raw/selected", "where", "detector =")).post(base + "/disassociate")
        .then().statusCode(400).body("error", containsString("--where"));
    given().queryParam("collections", "LSSTComCam/raw/selected").get(base + "/datasets").then()
        .body("tables[0].rows", hasSize(1));
  }

  @Test
  void decertifySplitsTruncatesAndRemovesValidityRanges() throws Exception {
    importRich();
    String calib = "LSSTComCam/calib/DM-48650";
    // detector 2 is certified over [2024-11-08 12:00, 2024-11-09 12:00): a range inside it splits it in two.
    write().body(Map.of("collection", calib, "datasetType", "bias", "beginDate", "2024-11-08T18:00:00",
            "endDate", "2024-11-09T00:00:00", "where", "detector = 2"))
        .post(base + "/decertify-calibrations").then().statusCode(200)
        .body("certifications", equalTo(1)).body("remainingRanges", equalTo(2));
    // detector 0 is certified over (-inf, 2024-11-01) and [2024-11-01, +inf): from 2024-12-01 on, the second is
    // truncated; detector 1's [2024-11-01, +inf) too.
    write().body(Map.of("collection", calib, "datasetType", "bias", "beginDate", "2024-12-01T00:00:00"))
        .post(base + "/decertify-calibrations").then().statusCode(200)
        .body("certifications", equalTo(2)).body("remainingRanges", equalTo(2));
    String exported = given().queryParam("collections", calib).get(base + "/export").then().statusCode(200)
        .extract().asString();
    org.assertj.core.api.Assertions.assertThat(exported).contains("""
          - timespan: !lsst.daf.butler.Timespan
              begin: null
              end: !butler_time/tai/iso '2024-11-01 00:00:00.000000000'
            dataset_ids:
            - *id001
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-11-01 00:00:00.000000000'
              end: !butler_time/tai/iso '2024-12-01 00:00:00.000000000'
            dataset_ids:
            - *id001
            - *id002
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-11-08 12:00:00.000000000'
              end: !butler_time/tai/iso '2024-11-08 18:00:00.000000000'
            dataset_ids:
            - *id003
          - timespan: !lsst.daf.butler.Timespan
              begin: !butler_time/tai/iso '2024-11-09 00:00:00.000000000'
              end: !butler_time/tai/iso '2024-11-09 12:00:00.000000000'
            dataset_ids:
            - *id003
        """);
    // Everything, all of time.
    write().body(Map.of("collection", calib, "datasetType", "bias")).post(base + "/decertify-calibrations").then()
        .statusCode(200).body("certifications", equalTo(5)).body("remainingRanges", equalTo(0));
  }

  @Test
  void decertifyRefusesBadRequestsWithTheReason() throws Exception {
    importRich();
    String calib = "LSSTComCam/calib/DM-48650";
    write().body(Map.of("collection", calib, "datasetType", "bias", "beginDate", "2024-11-09T00:00:00",
            "endDate", "2024-11-08T00:00:00")).post(base + "/decertify-calibrations").then().statusCode(400)
        .body("error", containsString("beginDate must be before endDate"));
    write().body(Map.of("collection", calib, "datasetType", "bias", "beginDate", "yesterday"))
        .post(base + "/decertify-calibrations").then().statusCode(400)
        .body("error", containsString("beginDate: 'yesterday' is not an ISO-8601 TAI date-time"));
    write().body(Map.of("collection", "LSSTComCam/calib/DM-48650/run", "datasetType", "bias"))
        .post(base + "/decertify-calibrations").then().statusCode(400)
        .body("error", containsString("of type RUN; it must be CALIBRATION"));
    write().body(Map.of("collection", calib, "datasetType", "raw")).post(base + "/decertify-calibrations").then()
        .statusCode(400).body("error", containsString("'raw', which is not a calibration dataset type"));
    write().body(Map.of("collection", calib, "datasetType", "flat")).post(base + "/decertify-calibrations").then()
        .statusCode(404).body("error", containsString("flat"));
    write().body(Map.of("collection", calib)).post(base + "/decertify-calibrations").then().statusCode(400)
        .body("error", equalTo("'collection' and 'datasetType' are required"));
    write().body(Map.of("collection", calib, "datasetType", "bias", "where", "detector = 'x' +"))
        .post(base + "/decertify-calibrations").then().statusCode(400).body("error", containsString("--where"));
    // Nothing was decertified.
    write().body(Map.of("collection", calib, "datasetType", "bias")).post(base + "/decertify-calibrations").then()
        .statusCode(200).body("certifications", equalTo(4));
  }
}
