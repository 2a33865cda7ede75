package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
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

/** GET export and export-calibs: daf_butler's export file, streamed; the export-import-export round trip. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_datasets"))
@WithTestResource(KafkaResource.class)
class ExportResourceTest {

  private static final Path EXPORTS = Path.of("../butler-core/src/test/resources/exports");
  /** RTN-103's datastore root, which is also the folder the test imports from. */
  private static final String ROOT = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1";
  private static int repos;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  /** A repository whose datastore root is {@link #ROOT}; returns its REST path. */
  private String repository() {
    String name = "ex" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig", "datastore:\n  root: " + ROOT
            + "\nregistry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201).body("datastoreRoot", equalTo(ROOT));
    return "/api/repositories/" + name;
  }

  private void importText(String base, String text, String directory) {
    write().body(Map.of("exportFile", text, "directory", directory, "transfer", "direct"))
        .post(base + "/import").then().statusCode(200);
  }

  private static String export(String base) {
    return given().get(base + "/export").then().statusCode(200).contentType(startsWith("application/yaml"))
        .header("Content-Disposition", containsString("export.yaml")).extract().asString();
  }

  @Test
  void rtn103ExportFilesComeBackByteForByteAndTheRoundTripIsLossless() throws Exception {
    String first = repository();
    String fgcm = Files.readString(EXPORTS.resolve("DM-48089-fgcmLookupTable-export.yaml"));
    String models = Files.readString(EXPORTS.resolve("pretrained-models-export.yaml"));
    importText(first, fgcm, ROOT);
    assertThat(export(first)).isEqualTo(fgcm);
    importText(first, models, ROOT);
    importText(first, Files.readString(EXPORTS.resolve("rich-export.yaml")), ROOT);
    String exported = export(first);
    assertThat(given().queryParam("datasetType", "pretrainedModelPackage")
        .queryParam("collections", "pretrained_models/tac_cnn_comcam_2025-02-18").get(first + "/export").then()
        .statusCode(200).extract().asString()).isEqualTo(models);

    String second = repository();
    importText(second, exported, ROOT);
    assertThat(export(second)).isEqualTo(exported);
    for (String path : new String[] {"/datasets?limit=0", "/collections?chains=TREE"}) {
      assertThat(given().get(second + path).then().statusCode(200).extract().asString())
          .isEqualTo(given().get(first + path).then().statusCode(200).extract().asString());
    }
  }

  @Test
  void filesOutsideTheDatastoreKeepTheirAbsoluteUri() throws Exception {
    String base = repository();
    String ancillary = "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/ancillary/";
    importText(base, Files.readString(EXPORTS.resolve("DM-48089-fgcmLookupTable-export.yaml")), ancillary);
    assertThat(export(base)).contains("    path: " + ancillary + "LSSTComCam/calib/fgcmcal/DM-48089/fgcmLookUpTable/");
  }

  @Test
  void exportCalibsTakesTheCalibrationCollectionsAndWhatIsCertifiedThere() throws Exception {
    String base = repository();
    importText(base, Files.readString(EXPORTS.resolve("rich-export.yaml")), ROOT);
    String calibs = given().queryParam("collections", "LSSTComCam/defaults").get(base + "/export-calibs").then()
        .statusCode(200).extract().asString();
    assertThat(calibs).contains("  name: LSSTComCam/calib/DM-48650\n", "  name: LSSTComCam/defaults\n",
        "  dataset_type: bias\n", "  collection_type: CALIBRATION\n  validity_ranges:\n");
    assertThat(calibs).doesNotContain("dataset_type: raw", "LSSTComCam/raw/selected\n  collection_type: TAGGED");
  }

  @Test
  void badParametersAre4xxWithTheReason() {
    String base = repository();
    given().queryParam("where", "instrument =").get(base + "/export").then().statusCode(400)
        .contentType(ContentType.JSON).body("error", containsString("--where"));
    given().queryParam("datasetType", "nothing").get(base + "/export").then().statusCode(404)
        .body("error", equalTo("Dataset type nothing is not registered."));
    given().queryParam("collections", "no/such").get(base + "/export").then().statusCode(404)
        .body("error", containsString("'no/such'"));
    given().queryParam("collections", "LSSTComCam/*").queryParam("findFirst", true).get(base + "/export").then()
        .statusCode(400).body("error", containsString("--find-first"));
    given().queryParam("bind", "novalue").get(base + "/export").then().statusCode(400)
        .body("error", containsString("name=value"));
    given().queryParam("includeDimensions", "maybe").get(base + "/export").then().statusCode(400)
        .body("error", equalTo("includeDimensions must be true or false, not 'maybe'"));
    given().get("/api/repositories/nowhere/export").then().statusCode(404)
        .body("error", containsString("nowhere"));
    given().queryParam("collections", "no/such").get(base + "/export-calibs").then().statusCode(404)
        .body("error", containsString("'no/such'"));
  }
}
