package io.autobutler.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "prefix", value = "catalog_repos"))
@WithTestResource(KafkaResource.class)
class RepositoryResourceTest {

  static final String TOKEN = "test-write-token";

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;
  @ConfigProperty(name = "quarkus.datasource.username")
  String user;
  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  /** RTN-103's seed file, with the registry pointed at this test's database. */
  private String seed(String namespace, String dbUrl) {
    return """
        datastore:
          name: "%s"
          root: "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/%s"
        registry:
          db: %s
          namespace: %s
        """.formatted(namespace, namespace, dbUrl, namespace);
  }

  private String registryDb() {
    return DatabaseUrl.parse(jdbcUrl).display();
  }

  private io.restassured.response.ValidatableResponse create(String name, String seed, boolean override) {
    return given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
        .body(Map.of("name", name, "seedConfig", seed, "override", override))
        .post("/api/repositories").then();
  }

  @Test
  void createsTheRegistrySchemaFromRtn103SeedConfig() throws SQLException {
    create("ccms1", seed("ccms1", registryDb()), true)
        .statusCode(201)
        .body("name", equalTo("ccms1"))
        .body("namespace", equalTo("ccms1"))
        .body("registryDb", equalTo(registryDb()))
        .body("datastoreName", equalTo("ccms1"))
        .body("datastoreRoot", equalTo("davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1"));

    assertThat(tablesIn("ccms1")).contains("collection", "dataset", "dataset_type", "exposure", "instrument");

    given().get("/api/repositories").then().statusCode(200).body("name", hasItem("ccms1"));
    given().get("/api/repositories/ccms1").then().statusCode(200).body("namespace", equalTo("ccms1"));
    given().get("/api/repositories/nowhere").then().statusCode(404).body("error", containsString("nowhere"));
  }

  @Test
  void withoutOverrideTheDatastoreIsAtTheRepositoryRoot() {
    create("plain", seed("plain_ns", registryDb()), false)
        .statusCode(201)
        .body("datastoreRoot", equalTo("file:///var/lib/autobutler/repositories/plain"));
    given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
        .body(Map.of("name", "rooted", "seedConfig", seed("rooted_ns", registryDb()), "override", false,
            "root", "davs://host:2880/butler/rooted"))
        .post("/api/repositories").then()
        .statusCode(201)
        .body("datastoreRoot", equalTo("davs://host:2880/butler/rooted"));
  }

  @Test
  void aSecondCreateOfTheSameNameOrNamespaceIsAConflict() {
    create("twice", seed("twice_ns", registryDb()), true).statusCode(201);
    create("twice", seed("other_ns", registryDb()), true).statusCode(409)
        .body("error", containsString("already exists"));
    create("thrice", seed("twice_ns", registryDb()), true).statusCode(409)
        .body("error", containsString("twice_ns"));
  }

  @Test
  void writesNeedTheBearerTokenAndReadsDoNot() {
    given().contentType(ContentType.JSON).body(Map.of("name", "anon", "seedConfig", seed("anon", registryDb())))
        .post("/api/repositories").then().statusCode(401).body("error", containsString("needs a bearer token"))
        .header("WWW-Authenticate", "Bearer");
    given().auth().oauth2("wrong").contentType(ContentType.JSON)
        .body(Map.of("name", "anon", "seedConfig", seed("anon", registryDb())))
        .post("/api/repositories").then().statusCode(401).body("error", equalTo("the bearer token is not valid"));
    given().get("/api/repositories").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem("anon")));
  }

  @Test
  void badSeedConfigsGetAClearError() {
    create("bad1", "registry:\n  db: " + registryDb() + "\n", true).statusCode(400)
        .body("error", containsString("registry.namespace is missing"));
    create("bad2", seed("bad2", registryDb()) + "registy: {}\n", true).statusCode(400)
        .body("error", containsString("unknown key registy"));
    create("bad3", seed("bad3", "mysql://localhost/db"), true).statusCode(400)
        .body("error", containsString("not a PostgreSQL URL"));
    create("bad4", seed("bad4", "postgresql://127.0.0.1:1/nothing"), true).statusCode(400)
        .body("error", containsString("cannot connect to the registry database postgresql://127.0.0.1:1/nothing"));
    create("bad5", "registry:\n  db: [unclosed\n", true).statusCode(400)
        .body("error", containsString("not valid YAML at line"));
    create("bad6", seed("Bad-Namespace", registryDb()), true).statusCode(400)
        .body("error", containsString("registry.namespace"));
    create("bad7", seed("bad7", "postgresql://user:secret@127.0.0.1/db"), true).statusCode(400)
        .body("error", containsString("must not contain a password"))
        .body("error", org.hamcrest.Matchers.not(containsString("secret")));
    create("bad name!", seed("bad8", registryDb()), true).statusCode(400)
        .body("error", containsString("not a valid repository name"));
    // Nothing of the failed attempts was created.
    given().get("/api/repositories").then().statusCode(200)
        .body("name", org.hamcrest.Matchers.not(hasItem("bad1")))
        .body("name", org.hamcrest.Matchers.not(hasItem("bad4")));
  }

  private List<String> tablesIn(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
         ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
      List<String> tables = new ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
      return tables;
    }
  }
}
