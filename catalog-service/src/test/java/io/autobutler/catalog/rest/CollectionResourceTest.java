package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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

/** Collections, chains and dataset types over REST, with the butler's errors as HTTP statuses. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "catalog_collections"))
@WithTestResource(KafkaResource.class)
class CollectionResourceTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  private static int repos;
  private String base;

  private RequestSpecification write() {
    return given().auth().oauth2(RepositoryResourceTest.TOKEN).contentType(ContentType.JSON);
  }

  @BeforeEach
  void repository() {
    String name = "coll" + (++repos);
    write().body(Map.of("name", name, "override", true, "seedConfig",
            "registry:\n  db: " + DatabaseUrl.parse(jdbcUrl).display() + "\n  namespace: " + name + "\n"))
        .post("/api/repositories").then().statusCode(201);
    base = "/api/repositories/" + name;
    for (String run : List.of("run1", "run2")) {
      write().body(Map.of("name", run, "type", "RUN")).post(base + "/collections").then().statusCode(201);
    }
    write().body(Map.of("name", "tag1", "type", "tagged", "doc", "a selection"))
        .post(base + "/collections").then().statusCode(201).body("type", equalTo("TAGGED"));
  }

  @Test
  void chainsAreEditedAndShownAsATree() {
    write().body(Map.of("parent", "chain1", "children", List.of("tag1", "run1"), "mode", "redefine"))
        .post(base + "/collection-chain").then().statusCode(200).body("children", contains("tag1", "run1"));
    write().body(Map.of("parent", "chain1", "children", List.of("run2", "tag1"), "mode", "extend"))
        .post(base + "/collection-chain").then().statusCode(200).body("children", contains("run1", "run2", "tag1"));
    given().queryParam("glob", "chain1").get(base + "/collections").then().statusCode(200)
        .body("headers", contains("Name", "Type"))
        .body("rows", contains(List.of("chain1", "CHAINED"), List.of("  run1", "RUN"), List.of("  run2", "RUN"),
            List.of("  tag1", "TAGGED")));
    given().queryParam("chains", "no-children").queryParam("collection-type", "RUN,TAGGED").get(base + "/collections")
        .then().statusCode(200)
        .body("rows", contains(List.of("run1", "RUN"), List.of("run2", "RUN"), List.of("tag1", "TAGGED")));
  }

  @Test
  void butlerErrorsBecomeHttpStatuses() {
    write().body(Map.of("name", "run1", "type", "TAGGED")).post(base + "/collections").then().statusCode(409)
        .body("error", equalTo("Collection 'run1' already exists with type RUN, not TAGGED."));
    write().body(Map.of("parent", "chain1", "children", List.of("ghost"))).post(base + "/collection-chain").then()
        .statusCode(404).body("error", equalTo("No collection with name 'ghost' found."));
    write().body(Map.of("parent", "a", "children", List.of("run1"))).post(base + "/collection-chain").then()
        .statusCode(200);
    write().body(Map.of("parent", "b", "children", List.of("a"))).post(base + "/collection-chain").then()
        .statusCode(200);
    write().body(Map.of("parent", "a", "children", List.of("b"), "mode", "prepend")).post(base + "/collection-chain")
        .then().statusCode(400).body("error", equalTo("Cycle in collection chaining when defining 'a': a -> b -> a."));
    write().body(Map.of("parent", "a", "children", List.of(), "mode", "sideways")).post(base + "/collection-chain")
        .then().statusCode(400).body("error", containsString("not a chain mode"));
    write().body(Map.of("names", List.of("run1"))).post(base + "/remove-collections").then().statusCode(400)
        .body("error", containsString("child of chained collection 'a'"));
    write().body(Map.of("names", List.of("b", "a", "run1"))).post(base + "/remove-collections").then().statusCode(200);
    given().queryParam("chains", "flatten").get(base + "/collections").then().statusCode(200)
        .body("rows", contains(List.of("run2", "RUN"), List.of("tag1", "TAGGED")));
    given().get("/api/repositories/nope/collections").then().statusCode(404);
  }

  @Test
  void datasetTypesAreRegisteredOnceAndConflictsAreRefused() {
    write().body(Map.of("name", "the_monster_20240904", "storageClass", "SimpleCatalog", "dimensions", List.of("htm7")))
        .post(base + "/dataset-types").then().statusCode(201).body("created", equalTo(true));
    write().body(Map.of("name", "the_monster_20240904", "storageClass", "SimpleCatalog", "dimensions", List.of("htm7")))
        .post(base + "/dataset-types").then().statusCode(200).body("created", equalTo(false));
    write().body(Map.of("name", "the_monster_20240904", "storageClass", "DataFrame", "dimensions", List.of("htm7")))
        .post(base + "/dataset-types").then().statusCode(409)
        .body("error", containsString("inconsistent with database definition the_monster_20240904(htm7) SimpleCatalog"));
    write().body(Map.of("name", "raw", "storageClass", "Exposure", "dimensions",
        List.of("instrument", "detector", "exposure"))).post(base + "/dataset-types").then().statusCode(201)
        .body("datasetType.dimensions", contains("band", "instrument", "day_obs", "detector", "group",
            "physical_filter", "exposure"));
    write().body(Map.of("name", "bad", "storageClass", "X", "dimensions", List.of("galaxy")))
        .post(base + "/dataset-types").then().statusCode(400).body("error", containsString("'galaxy' is not a dimension"));
    given().queryParam("glob", "the_*").get(base + "/dataset-types").then().statusCode(200)
        .body("name", contains("the_monster_20240904"));
  }
}
