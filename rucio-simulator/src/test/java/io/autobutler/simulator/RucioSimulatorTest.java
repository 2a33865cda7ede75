package io.autobutler.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.testsupport.KafkaBroker;

/** The simulator speaks Rucio's wire format; its replicas land, get lost and are served as files. */
class RucioSimulatorTest {

  private static RucioSimulator simulator;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    simulator = RucioSimulator.start(RucioSimulator.Settings.defaults(KafkaBroker.bootstrapServers()), 0);
    simulator.catalogue().generate("raw", "Dataset/LSSTComCam/raw/", 2, 9, 512);
    HttpResponse<String> auth = send(HttpRequest.newBuilder(uri("/auth/userpass"))
        .header("X-Rucio-Account", "autobutler").header("X-Rucio-Username", "autobutler")
        .header("X-Rucio-Password", "secret").GET());
    assertThat(auth.statusCode()).isEqualTo(200);
    token = auth.headers().firstValue("X-Rucio-Auth-Token").orElseThrow();
    String expires = auth.headers().firstValue("X-Rucio-Auth-Token-Expires").orElseThrow();
    assertThat(expires).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} UTC");
    Instant expiry = ZonedDateTime.parse(expires, RucioWire.DATE.withZone(java.time.ZoneOffset.UTC)).toInstant();
    assertThat(expiry).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
    assertThat(auth.headers().firstValue("X-Rucio-Auth-Account")).contains("autobutler");
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void authenticationErrorsAreRucios() throws Exception {
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/auth/userpass"))
        .header("X-Rucio-Username", "autobutler").header("X-Rucio-Password", "nope").GET());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("ExceptionClass")).contains("IdentityNotFound");
    assertThat(json(wrong.body()).path("ExceptionMessage").asText()).contains("Username/Password pair does not exist");

    HttpResponse<String> noToken = send(HttpRequest.newBuilder(uri("/dids/raw/x")).GET());
    assertThat(noToken.statusCode()).isEqualTo(400);
    assertThat(noToken.headers().firstValue("ExceptionMessage")).contains("Token must be set.");
    HttpResponse<String> badToken = send(HttpRequest.newBuilder(uri("/dids/raw/x"))
        .header("X-Rucio-Auth-Token", "forged").GET());
    assertThat(badToken.statusCode()).isEqualTo(401);
    assertThat(badToken.headers().firstValue("ExceptionClass")).contains("CannotAuthenticate");
  }

  @Test
  void namesTravelWithEncodedSlashes() throws Exception {
    String dataset = firstDataset();
    HttpResponse<String> did = get("/dids/raw/" + dataset.replace("/", "%2F"));
    assertThat(did.statusCode()).isEqualTo(200);
    assertThat(did.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(json(did.body()).path("type").asText()).isEqualTo("DATASET");
    assertThat(json(did.body()).path("length").asInt()).isEqualTo(9);

    HttpResponse<String> unencoded = get("/dids/raw/" + dataset);
    assertThat(unencoded.statusCode()).isEqualTo(400);
    assertThat(unencoded.headers().firstValue("ExceptionClass")).contains("ValueError");
    HttpResponse<String> missing = get("/dids/raw/Dataset%2Fnope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("ExceptionMessage")).contains("Data identifier 'raw:Dataset/nope' not found");
  }

  @Test
  void searchFilesAndMetadataPlugins() throws Exception {
    HttpResponse<String> search = get("/dids/raw/dids/search?type=dataset&name=Dataset/LSSTComCam/raw/*");
    assertThat(search.headers().firstValue("Content-Type")).contains("application/x-json-stream");
    List<JsonNode> names = lines(search.body());
    assertThat(names).hasSizeGreaterThanOrEqualTo(2).allMatch(JsonNode::isTextual);
    assertThat(get("/dids/nosuchscope/dids/search?type=dataset").headers().firstValue("ExceptionClass"))
        .contains("ScopeNotFound");
    assertThat(get("/dids/raw/dids/search?type=dataset").headers().firstValue("ExceptionClass")).isEmpty();

    String dataset = names.get(0).asText();
    List<JsonNode> files = lines(get("/dids/raw/" + dataset.replace("/", "%2F") + "/files").body());
    assertThat(files).hasSize(9);
    String file = files.get(0).path("name").asText();
    String encoded = file.replace("/", "%2F");
    assertThat(json(get("/dids/raw/" + encoded + "/meta").body()).has("rubin_butler")).isFalse();
    JsonNode jsonMeta = json(get("/dids/raw/" + encoded + "/meta?plugin=JSON").body());
    assertThat(jsonMeta.path("rubin_butler").asText()).isEqualTo("raw_file");
    assertThat(json(jsonMeta.path("rubin_sidecar").asText()).path("datasetType").path("name").asText())
        .isEqualTo("raw");
    List<JsonNode> bulk = lines(post("/dids/bulkmeta", "{\"dids\":[{\"scope\":\"raw\",\"name\":\"" + file
        + "\"}],\"plugin\":\"JSON\"}").body());
    assertThat(bulk).singleElement().satisfies(line -> {
      assertThat(line.path("scope").asText()).isEqualTo("raw");
      assertThat(line.path("name").asText()).isEqualTo(file);
      assertThat(line.path("rubin_butler").asText()).isEqualTo("raw_file");
    });
    HttpResponse<String> notAcceptable = send(HttpRequest.newBuilder(uri("/dids/raw/" + dataset.replace("/", "%2F")
        + "/files")).header("X-Rucio-Auth-Token", token).header("Accept", "text/html").GET());
    assertThat(notAcceptable.statusCode()).isEqualTo(406);
  }

  @Test
  void replicasLandOverTimeAndAreListedIncrementally() throws Exception {
    String scope = "raw";
    var summary = simulator.catalogue().generate(scope, "Dataset/Land/", 1, 4, 100);
    assertThat(summary.files()).isEqualTo(4);
    String dataset = simulator.catalogue().datasets(d -> d.name.startsWith("Dataset/Land/")).get(0).name;
    String dids = "{\"scope\":\"raw\",\"name\":\"" + dataset + "\"}";

    // Nothing landed: the files appear with no replica when listed without updated_after, not at all with it.
    List<JsonNode> before = lines(post("/replicas/list", "{\"dids\":[" + dids + "],\"rse_expression\":\"IN2P3_RAW_DISK\"}").body());
    assertThat(before).hasSize(4).allMatch(l -> l.path("rses").isEmpty());
    String since = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
        .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1));

    simulator.landDataset(scope, dataset, false, 0);
    List<JsonNode> landed = lines(post("/replicas/list", "{\"dids\":[" + dids + "],\"rse_expression\":\"IN2P3_RAW_DISK\","
        + "\"updated_after\":\"" + since + "\",\"resolve_parents\":true}").body());
    assertThat(landed).hasSize(4);
    JsonNode first = landed.get(0);
    assertThat(first.path("states").path("IN2P3_RAW_DISK").asText()).isEqualTo("AVAILABLE");
    String pfn = first.path("rses").path("IN2P3_RAW_DISK").get(0).asText();
    assertThat(pfn).startsWith(simulator.baseUrl() + "/pnfs/in2p3.fr/lsst/instrument/raw/");
    assertThat(first.path("pfns").path(pfn).path("rse").asText()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(first.path("parents").get(0).asText()).isEqualTo("raw:" + dataset);
    assertThat(lines(post("/replicas/list", "{\"dids\":[" + dids + "],\"updated_after\":\"2999-01-01T00:00:00\"}")
        .body())).isEmpty();

    JsonNode datasetReplica = lines(get("/replicas/raw/" + dataset.replace("/", "%2F") + "/datasets?deep=true")
        .body()).get(0);
    assertThat(datasetReplica.path("length").asInt()).isEqualTo(4);
    assertThat(datasetReplica.path("available_length").asInt()).isEqualTo(4);
    assertThat(datasetReplica.path("state").asText()).isEqualTo("AVAILABLE");

    // The replica's URL resolves: GET gives the bytes whose adler32 Rucio reports, HEAD the digest, PROPFIND a size.
    HttpResponse<byte[]> content = HTTP.send(HttpRequest.newBuilder(URI.create(pfn)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(Catalogue.adler32(content.body())).isEqualTo(first.path("adler32").asText());
    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(pfn)).header("Want-Digest", "adler32")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(head.headers().firstValue("Digest")).contains("adler32=" + first.path("adler32").asText());
    HttpResponse<String> propfind = HTTP.send(HttpRequest.newBuilder(URI.create(pfn.substring(0, pfn.lastIndexOf('/'))))
        .header("Depth", "1").method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(propfind.statusCode()).isEqualTo(207);
    assertThat(propfind.body()).contains("<d:collection/>").contains("<d:getcontentlength>100</d:getcontentlength>");

    // A lost file: BAD in Rucio, gone from storage, and the dataset is no longer complete.
    String lost = first.path("name").asText();
    simulator.catalogue().lose(scope, lost);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(pfn)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    JsonNode afterLoss = lines(get("/replicas/raw/" + dataset.replace("/", "%2F") + "/datasets?deep=true").body()).get(0);
    assertThat(afterLoss.path("available_length").asInt()).isEqualTo(3);
    List<JsonNode> allStates = lines(post("/replicas/list", "{\"dids\":[{\"scope\":\"raw\",\"name\":\"" + lost
        + "\"}],\"all_states\":true}").body());
    assertThat(allStates.get(0).path("states").path("IN2P3_RAW_DISK").asText()).isEqualTo("BAD");
  }

  @Test
  void hermesAnnouncesTransferDoneBeforeTheReplicaIsAvailable() throws Exception {
    simulator.catalogue().generate("raw", "Dataset/Hermes/", 1, 3, 64);
    String dataset = simulator.catalogue().datasets(d -> d.name.startsWith("Dataset/Hermes/")).get(0).name;
    var landing = simulator.landDataset("raw", dataset, true, 60_000);
    assertThat(landing.messages()).isEqualTo(3);
    // The message is out, but the replica is still COPYING.
    List<JsonNode> copying = lines(post("/replicas/list", "{\"dids\":[{\"scope\":\"raw\",\"name\":\"" + dataset
        + "\"}],\"all_states\":true}").body());
    assertThat(copying).allMatch(l -> l.path("states").path("IN2P3_RAW_DISK").asText().equals("COPYING"));

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<JsonNode> messages = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of("IN2P3_RAW_DISK-raw"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (messages.size() < 3 && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          assertThat(r.key()).isEqualTo("message");
          JsonNode message = json(r.value());
          if (message.path("payload").path("dataset").asText().equals(dataset)) {
            messages.add(message);
          }
        });
      }
    }
    assertThat(messages).hasSize(3);
    JsonNode message = messages.get(0);
    assertThat(message.fieldNames()).toIterable().containsExactly("event_type", "payload", "created_at");
    assertThat(message.path("event_type").asText()).isEqualTo("transfer-done");
    assertThat(message.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
    JsonNode payload = message.path("payload");
    assertThat(payload.path("dst-rse").asText()).isEqualTo("IN2P3_RAW_DISK");
    assertThat(payload.path("datasetScope").asText()).isEqualTo("raw");
    assertThat(payload.path("rubin_butler").asText()).isEqualTo("raw_file");
    assertThat(payload.path("checksum-adler").asText()).matches("[0-9a-f]{8}");
    assertThat(payload.path("bytes").asLong()).isEqualTo(64);
    assertThat(payload.path("dst-url").asText()).startsWith(simulator.baseUrl());
  }

  @Test
  void servesADirectoryTree(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
    java.nio.file.Path file = root.resolve("refcats/the_monster/htm7/1234.parq");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, "a reference catalogue shard");
    var summary = simulator.catalogue().addDirectory(root);
    assertThat(summary.files()).isEqualTo(1);
    simulator.landDataset("refcats", "Dataset/the_monster/htm7", false, 0);
    JsonNode line = lines(post("/replicas/list", "{\"dids\":[{\"scope\":\"refcats\",\"name\":"
        + "\"Dataset/the_monster/htm7\"}]}").body()).get(0);
    assertThat(line.path("name").asText()).isEqualTo("the_monster/htm7/1234.parq");
    assertThat(line.path("bytes").asLong()).isEqualTo(27);
    String pfn = line.path("rses").path("IN2P3_RAW_DISK").get(0).asText();
    assertThat(pfn).endsWith("/pnfs/in2p3.fr/lsst/instrument/refcats/the_monster/htm7/1234.parq");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(pfn)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("a reference catalogue shard");
  }

  @Test
  void servesACatalogueListingInItsOrderWithItsMetadata(@TempDir Path root)
      throws Exception {
    Files.createDirectories(root.resolve("rse/ancillary/calib"));
    Files.writeString(root.resolve("rse/ancillary/calib/bias_S00.fits"), "a bias");
    Files.writeString(root.resolve("rse/ancillary/calib/bias_S01.fits"), "another bias");
    Files.writeString(root.resolve("listing.jsonl"), String.join("\n",
        "{\"scope\":\"ancillary\",\"name\":\"calib/bias_S01.fits\",\"dataset\":\"Dataset/listed/DM-1\","
            + "\"file\":\"rse/ancillary/calib/bias_S01.fits\",\"meta\":{\"rubin_butler\":\"data_product\"}}",
        "{\"scope\":\"ancillary\",\"name\":\"calib/bias_S00.fits\",\"dataset\":\"Dataset/listed/DM-1\","
            + "\"file\":\"rse/ancillary/calib/bias_S00.fits\"}", ""));
    assertThat(simulator.catalogue().addListing(root.resolve("listing.jsonl")))
        .isEqualTo(new Catalogue.Summary(1, 2));

    simulator.landDataset("ancillary", "Dataset/listed/DM-1", false, 0);
    List<JsonNode> files = lines(get("/dids/ancillary/Dataset%2Flisted%2FDM-1/files").body());
    assertThat(files).extracting(f -> f.path("name").asText())
        .containsExactly("calib/bias_S01.fits", "calib/bias_S00.fits");
    assertThat(files.get(0).path("bytes").asLong()).isEqualTo(12);
    assertThat(json(get("/dids/ancillary/calib%2Fbias_S01.fits/meta?plugin=JSON").body()).path("rubin_butler")
        .asText()).isEqualTo("data_product");
    assertThat(json(get("/dids/ancillary/calib%2Fbias_S00.fits/meta?plugin=JSON").body()).size()).isZero();
    JsonNode replica = lines(post("/replicas/list", "{\"dids\":[{\"scope\":\"ancillary\",\"name\":"
        + "\"calib/bias_S00.fits\"}]}").body()).get(0);
    String pfn = replica.path("rses").path("IN2P3_RAW_DISK").get(0).asText();
    assertThat(pfn).endsWith("/pnfs/in2p3.fr/lsst/instrument/ancillary/calib/bias_S00.fits");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(pfn)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("a bias");

    Files.writeString(root.resolve("bad.jsonl"), "{\"scope\":\"ancillary\",\"name\":\"x\"}\n");
    assertThatThrownBy(() -> simulator.catalogue().addListing(root.resolve(
        "bad.jsonl"))).hasMessageContaining("bad.jsonl line 1: 'file' is missing");
  }

  @Test
  void faultsAnswerTheNextRequests() throws Exception {
    simulator.failNext(1, 500);
    HttpResponse<String> failed = get("/dids/raw/dids/search?type=dataset");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.headers().firstValue("ExceptionClass")).contains("RucioException");
    simulator.garbleNext(1);
    HttpResponse<String> garbage = get("/dids/raw/dids/search?type=dataset");
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.body()).startsWith("<html>");
    assertThat(get("/dids/raw/dids/search?type=dataset").statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static String firstDataset() {
    return simulator.catalogue().datasets(d -> d.scope.equals("raw")).get(0).name;
  }

  private static URI uri(String path) {
    return URI.create(simulator.baseUrl() + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("X-Rucio-Auth-Token", token).GET());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("X-Rucio-Auth-Token", token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String text) {
    try {
      return RucioWire.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static List<JsonNode> lines(String body) {
    return body.lines().filter(l -> !l.isBlank()).map(RucioSimulatorTest::json).toList();
  }
}
