package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.runtime.IndexSchema;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_replicas"))
@WithTestResource(KafkaResource.class)
class ReplicaResourceTest {

  @Inject
  ReplicaLedger ledger;
  @Inject
  IndexSchema indexSchema;

  @Test
  void showsTheRecordedReplicasOfADataset() throws Exception {
    indexSchema.ensure();
    ledger.record(List.of(
        new ReplicaEvent("raw", "f2.fits", "IN2P3_RAW_DISK", "davs://host/f2.fits", 2L, "00000002", "raw",
            "Dataset/LSSTComCam/raw/20241108", null, null, "poll", Instant.now()),
        new ReplicaEvent("raw", "f1.fits", "IN2P3_RAW_DISK", "davs://host/f1.fits", 1L, "00000001", "raw",
            "Dataset/LSSTComCam/raw/20241108", "raw_file", null, "hermes", Instant.now()),
        new ReplicaEvent("raw", "other.fits", "IN2P3_RAW_DISK", "davs://host/other.fits", 3L, null, "raw",
            "Dataset/LSSTComCam/raw/20241109", null, null, "poll", Instant.now())));

    given().queryParam("dataset", "raw:Dataset/LSSTComCam/raw/20241108").get("/api/replicas").then()
        .statusCode(200)
        .body("$", hasSize(2))
        .body("[0].name", equalTo("f1.fits"))
        .body("[0].pfn", equalTo("davs://host/f1.fits"))
        .body("[0].source", equalTo("hermes"))
        .body("[1].adler32", equalTo("00000002"));
    given().get("/api/replicas").then().statusCode(400).body("error", containsString("scope:name"));
  }
}
