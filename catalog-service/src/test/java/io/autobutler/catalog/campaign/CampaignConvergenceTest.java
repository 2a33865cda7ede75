package io.autobutler.catalog.campaign;

import static io.autobutler.catalog.campaign.CampaignManifestResource.DATASET_TYPE;
import static io.autobutler.catalog.campaign.CampaignManifestResource.REPOSITORY;
import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.datasets.DatasetManager.FileRecord;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.KafkaTopics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Campaign convergence against real Kafka and PostgreSQL: start-up creates and sets up the manifest's repository;
 * butler.ingested summaries grow a chain as its RUN children appear (the nested defaults chain following) and fill a
 * tagged selection with exactly what its query finds; replays and a pass on demand write nothing; records that are
 * not summaries are dead-lettered with their reason and the stream goes on.
 */
@QuarkusTest
@WithTestResource(CampaignManifestResource.class)
@WithTestResource(KafkaResource.class)
class CampaignConvergenceTest {

  private static final String TOKEN = "Bearer test-write-token";
  private static final String DEFAULTS = "LSSTComCam/defaults";
  private static final String CALIB = "LSSTComCam/calib/DM-48650";
  private static final String TAGGED = "bright/refcats";

  @Inject
  RegistryLookup registries;

  @Test
  void convergesTheManifestAsRunsAppearAndWritesNothingOnReplay() {
    // Start-up: repository created, then register-instrument, register-skymap, curated calibrations, dataset type.
    JsonPath state = awaitState(s -> s.getLong("passes") >= 1);
    assertThat(state.getBoolean("repositoryExists")).isTrue();
    assertThat(state.getList("lastPass.changes", String.class)).anyMatch(c -> c.startsWith("repository converged"
        + " created")).anyMatch(c -> c.startsWith("Skymap rings4 registered"))
        .anyMatch(c -> c.equals("dataset type " + DATASET_TYPE + " registered"));
    Registry registry = registries.registry(REPOSITORY);
    assertThat(count(registry, "SELECT count(*) FROM detector WHERE instrument = 'LSSTComCam'")).isEqualTo(9);
    assertThat(count(registry, "SELECT count(*) FROM tract WHERE skymap = 'rings4'")).isEqualTo(42);
    assertThat(count(registry, "SELECT count(*) FROM patch WHERE skymap = 'rings4'")).isEqualTo(1050);
    boolean registered = registry.transaction(c -> registry.datasetTypes().find(c, DATASET_TYPE).isPresent());
    assertThat(registered).isTrue();
    // Only the children that exist: the curated calibrations and the skymaps RUN; refcats has none yet.
    assertThat(children(registry, DEFAULTS)).containsExactly(CALIB, "skymaps");
    assertThat(exists(registry, "refcats")).isFalse();
    assertThat(chain(state, "refcats", "missing")).containsExactly("refcats/a", "refcats/b");

    // One child run appears and its summary comes, after two records that are not summaries.
    List<UUID> a = insertRefcats(registry, "refcats/a", 100, 200, 300);
    publish(List.of(Map.entry("garbage", "this is not JSON"),
        Map.entry("no-run", "{\"repository\": \"converged\", \"datasetType\": \"" + DATASET_TYPE + "\"}"),
        Map.entry("raw:Dataset/refcats/a", summary("refcats/a", 3))));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(children(registry, "refcats"))
        .containsExactly("refcats/a"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(children(registry, DEFAULTS))
        .containsExactly(CALIB, "refcats", TAGGED, "skymaps"));
    assertThat(tagged(registry)).containsExactlyInAnyOrder(a.get(1), a.get(2));

    List<ConsumerRecord<String, String>> dead = consume(Topics.BUTLER_INGESTED + Topics.DLQ_SUFFIX, 2);
    assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("garbage", "no-run");
    ConsumerRecord<String, String> garbage = dead.stream().filter(r -> r.key().equals("garbage")).findFirst()
        .orElseThrow();
    assertThat(garbage.value()).isEqualTo("this is not JSON");
    assertThat(header(garbage, "dead-letter-reason")).startsWith("not a valid IngestedEvent");
    assertThat(header(garbage, "dead-letter-topic")).isEqualTo(Topics.BUTLER_INGESTED);
    assertThat(header(dead.stream().filter(r -> r.key().equals("no-run")).findFirst().orElseThrow(),
        "dead-letter-reason")).isEqualTo("IngestedEvent without run");

    // The second child: the chain is complete, in declared order; the selection takes its one match.
    List<UUID> b = insertRefcats(registry, "refcats/b", 150, 250);
    publish(List.of(Map.entry("raw:Dataset/refcats/b", summary("refcats/b", 2))));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(children(registry, "refcats"))
        .containsExactly("refcats/a", "refcats/b"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tagged(registry))
        .containsExactlyInAnyOrder(a.get(1), a.get(2), b.get(1)));
    assertThat(children(registry, DEFAULTS)).containsExactly(CALIB, "refcats", TAGGED, "skymaps");
    state = awaitState(s -> s.getList("tagged.members", Long.class).get(0) == 3);
    assertThat(chain(state, "refcats", "actual")).containsExactly("refcats/a", "refcats/b");
    assertThat(chain(state, "refcats", "missing")).isEmpty();

    // Replays and a pass on demand write nothing: the rows keep the transaction ids that wrote them.
    String written = rowVersions(registry);
    long passes = state.getLong("passes");
    publish(List.of(Map.entry("raw:Dataset/refcats/a", summary("refcats/a", 3)),
        Map.entry("raw:Dataset/refcats/b", summary("refcats/b", 2))));
    JsonPath replayed = awaitState(s -> s.getLong("passes") > passes && s.getString("lastPass.trigger")
        .equals("ingested"));
    assertThat(replayed.getList("lastPass.changes")).isEmpty();
    JsonPath report = given().header("Authorization", TOKEN).post("/api/campaign/converge").then().statusCode(200)
        .extract().jsonPath();
    assertThat(report.getList("changes")).isEmpty();
    assertThat(report.getInt("chainEdits")).isZero();
    assertThat(report.getInt("datasetsAssociated")).isZero();
    assertThat(report.getBoolean("full")).isTrue();
    assertThat(rowVersions(registry)).isEqualTo(written);
  }

  @Test
  void convergingNeedsTheWriteToken() {
    given().post("/api/campaign/converge").then().statusCode(401);
  }

  private static JsonPath awaitState(java.util.function.Predicate<JsonPath> done) {
    JsonPath[] state = new JsonPath[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      state[0] = given().get("/api/campaign").then().statusCode(200).extract().jsonPath();
      return done.test(state[0]);
    });
    return state[0];
  }

  /** A list field of one chain in {@code GET /api/campaign}: declared, actual or missing children. */
  private static List<String> chain(JsonPath state, String name, String field) {
    return state.getList("chains.find { it.name == '" + name + "' }." + field, String.class);
  }

  private static String summary(String run, int count) {
    return EventJson.write(new IngestedEvent(REPOSITORY, "raw:Dataset/" + run, "refcats", run, DATASET_TYPE, count,
        null, null, Instant.now()));
  }

  /** What ingest-service would have written: a RUN with refcat shards at the given htm7 trixels. */
  private static List<UUID> insertRefcats(Registry registry, String run, int... trixels) {
    return registry.transaction(c -> {
      registry.collections().register(c, run, CollectionType.RUN, null);
      List<NewDataset> datasets = new ArrayList<>();
      for (int trixel : trixels) {
        Map<String, Object> dataId = Map.of("htm7", trixel);
        datasets.add(new NewDataset(DatasetIds.forRun(DATASET_TYPE, run, dataId), dataId,
            new FileRecord(run + "/" + trixel + ".fits", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter",
                "SimpleCatalog", null, null)));
      }
      registry.datasets().insert(c, registry.datasetTypes().get(c, DATASET_TYPE), registry.collections().get(c, run),
          datasets);
      return datasets.stream().map(NewDataset::id).toList();
    });
  }

  private static List<String> children(Registry registry, String chain) {
    return registry.transaction(c -> registry.collections().find(c, chain).isEmpty() ? List.<String>of()
        : registry.collections().children(c, chain));
  }

  private static boolean exists(Registry registry, String collection) {
    return registry.transaction(c -> registry.collections().find(c, collection).isPresent());
  }

  private static List<UUID> tagged(Registry registry) {
    return registry.transaction(c -> {
      List<UUID> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT t.dataset_id FROM dataset_tags t JOIN collection k"
          + " ON k.collection_id = t.collection_id WHERE k.name = ?")) {
        ps.setString(1, TAGGED);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getObject(1, UUID.class));
          }
        }
      }
      return ids;
    });
  }

  private static long count(Registry registry, String sql) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Every collection, chain link and TAGGED membership with the id of the transaction that last wrote it. */
  private static String rowVersions(Registry registry) {
    return registry.transaction(c -> {
      StringBuilder rows = new StringBuilder();
      for (String sql : List.of(
          "SELECT name || ':' || xmin::text FROM collection ORDER BY name",
          "SELECT parent || '/' || position || ':' || child || ':' || xmin::text FROM collection_chain"
              + " ORDER BY parent, position",
          "SELECT dataset_id || ':' || xmin::text FROM dataset_tags ORDER BY dataset_id")) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.append(rs.getString(1)).append('\n');
          }
        }
      }
      return rows.toString();
    });
  }

  private static void publish(List<Map.Entry<String, String>> records) {
    KafkaTopics.publish(Topics.BUTLER_INGESTED, records);
  }
}
