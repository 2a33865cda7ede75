package io.autobutler.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The Quarkus app serves the simulator on its own HTTP server; encoded slashes survive Quarkus' routing. */
@QuarkusTest
class SimulatorAppTest {

  @Test
  void servesRucioAndAdminEndpoints() {
    given().contentType(ContentType.JSON).body("{\"scope\":\"raw\",\"datasets\":1,\"filesPerDataset\":2}")
        .post("/simulator/campaign").then().statusCode(200).body("files", equalTo(2));
    given().contentType(ContentType.JSON).body("{\"count\":2}").post("/simulator/land").then().statusCode(200)
        .body("landed", equalTo(2));
    given().contentType(ContentType.JSON).body("{\"kind\":\"sideways\"}").post("/simulator/faults").then()
        .statusCode(400).body("error", containsString("not one of"));

    String token = given().header("X-Rucio-Username", "autobutler").header("X-Rucio-Password", "secret")
        .get("/auth/userpass").then().statusCode(200).header("X-Rucio-Auth-Token-Expires", containsString(" UTC"))
        .extract().header("X-Rucio-Auth-Token");
    String dataset = given().header("X-Rucio-Auth-Token", token).get("/dids/raw/dids/search?type=dataset")
        .then().statusCode(200).contentType("application/x-json-stream").extract().asString().lines().findFirst()
        .orElseThrow().replace("\"", "");
    given().urlEncodingEnabled(false).header("X-Rucio-Auth-Token", token)
        .get("/replicas/raw/" + dataset.replace("/", "%2F") + "/datasets?deep=true").then().statusCode(200)
        .body(containsString("\"available_length\":2"));
    given().urlEncodingEnabled(false).header("X-Rucio-Auth-Token", token)
        .get("/dids/raw/" + dataset.replace("/", "%2F")).then().statusCode(200).body("length", equalTo(2))
        .body("type", equalTo("DATASET")).body("account", notNullValue());
  }
}
