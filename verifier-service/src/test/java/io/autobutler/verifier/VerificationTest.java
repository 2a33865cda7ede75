package io.autobutler.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.ingest.RawBackfill;
import io.autobutler.core.ingest.RawIngester;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.messaging.DeadLetter;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.collections.ChainMode;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetManager;
import io.autobutler.core.registry.datasets.DatasetQuery;
import io.autobutler.core.registry.datasets.DatasetType;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.testsupport.KafkaTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The verifier against a real PostgreSQL and Kafka, on a small ComCam campaign built with the engines the services
 * use (raws ingested from their {@code _index.json}, calibrations certified, the manifest's chains and selection made
 * as catalog-service converges them): clean, it gives reports that are all ok; then faults are injected one after
 * the other — a deleted file, a wrong size, a missing detector, an extra registration, an unregistered file, a wrong
 * chain child, a calibration gap — and after each the reports read back from {@code butler.verification} hold
 * exactly the faults injected so far, and nothing else. A storage outage is reported as an outage, not as lost
 * files. Malformed trigger events are dead-lettered; a burst of events causes one run.
 */
@QuarkusTest
@WithTestResource(VerifierCampaignResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerificationTest {

  private static final String REPO = VerifierCampaignResource.REPOSITORY;
  private static final String RAW_RUN = "run:" + SyntheticRaws.RUN;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  @Inject
  AgroalDataSource dataSource;

  @Inject
  IndexSchema indexSchema;

  @Inject
  RepositoryIndex repositories;

  @Inject
  MeterRegistry meters;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @TestHTTPResource("/api/repositories/")
  URI api;

  /** The topic's records seen so far, by partition and offset. */
  private static final Set<String> seen = new HashSet<>();
  /** The latest report of each key, as read from the topic. */
  private static final Map<String, VerificationReport> onTopic = new TreeMap<>();

  @Test
  @Order(1)
  void aCleanCampaignGivesCleanReportsThenEachFaultIsFoundExactly() throws Exception {
    Registry registry = buildCampaign();
    Path data = VerifierCampaignResource.data;

    List<VerificationReport> clean = verify("all");
    assertThat(clean).extracting(VerificationReport::check).contains(Checks.REGISTRY_STORAGE, Checks.DARK_DATA,
        Checks.COMPLETENESS, Checks.MANIFEST_DRIFT, Checks.CALIBRATION_COVERAGE);
    assertThat(problems(clean)).isEmpty();
    readTopic();
    assertThat(onTopic.keySet()).containsExactlyInAnyOrderElementsOf(clean.stream().map(VerificationReport::key)
        .toList());
    assertThat(onTopic.values()).allSatisfy(r -> assertThat(r.severity()).isEqualTo(Severity.OK));
    VerificationReport night = onTopic.values().stream().filter(r -> r.subject().startsWith("night:")).findFirst()
        .orElseThrow();
    assertThat(night.counts()).containsKeys("exposures", "visits", "raws", "incomplete_exposures");
    VerificationReport flats = report(clean, Checks.CALIBRATION_COVERAGE, "calibration:flat");
    assertThat(flats.counts().get("exposures")).isGreaterThanOrEqualTo(2);
    assertThat(flats.counts().get("gaps")).isZero();

    List<String> raws = rawUris(registry);
    Map<String, List<Map<String, Object>>> expected = new LinkedHashMap<>();

    // 1. A deleted file.
    String deleted = raws.get(0);
    Files.delete(Path.of(URI.create(deleted)));
    expected.put(key(Checks.REGISTRY_STORAGE, RAW_RUN), new ArrayList<>(List.of(Map.of("kind", "missing",
        "uri", deleted))));
    assertExactly(expected);

    // 2. A file with the wrong size (the raws are empty files).
    String grown = raws.get(1);
    Files.write(Path.of(URI.create(grown)), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    expected.get(key(Checks.REGISTRY_STORAGE, RAW_RUN)).add(Map.of("kind", "wrong-size", "uri", grown,
        "recorded", 0, "found", 3));
    assertExactly(expected);

    // 3. A missing detector: one raw of a calibration exposure never arrived (not in storage, not registered).
    Map<String, Object> victim = nonScienceRaw(registry);
    Files.delete(Path.of(URI.create((String) victim.get("uri"))));
    registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset WHERE id = ?")) {
        ps.setObject(1, victim.get("id"));
        return ps.executeUpdate();
      }
    });
    expected.put(key(Checks.COMPLETENESS, "night:LSSTComCam/" + victim.get("day_obs")), new ArrayList<>(List.of(
        Map.of("kind", "missing-detectors", "exposure", victim.get("exposure"), "detectors", 8,
            "missing", List.of(victim.get("detector"))))));
    expected.put(key(Checks.COMPLETENESS, "count:raws"), new ArrayList<>(List.of(Map.of("kind", "count",
        "expected", VerifierCampaignResource.RAWS, "actual", VerifierCampaignResource.RAWS - 1))));
    assertExactly(expected);

    // 4. An extra registration: a complete calibration exposure nobody announced, ingested by hand.
    SyntheticRaws.IndexedCampaign extra = extraExposure(data.resolve("extra"));
    new RawBackfill(new DatastoreFiles()).ingest(registry, List.of(DatastoreFiles.text(
        data.resolve("extra").toUri())), null, RawIngester.Options.defaults());
    expected.put(key(Checks.COMPLETENESS, "count:raws"), new ArrayList<>(List.of(Map.of("kind", "count",
        "expected", VerifierCampaignResource.RAWS, "actual", VerifierCampaignResource.RAWS - 1 + extra.raws()))));
    assertExactly(expected);

    // 5. A file in the managed root that nobody registered.
    Path stray = Files.write(Path.of(URI.create(deleted)).getParent().resolve("CC_O_STRAY.fits"), new byte[7]);
    expected.put(key(Checks.DARK_DATA, "root:" + VerifierCampaignResource.root()), new ArrayList<>(List.of(
        Map.of("kind", "dark", "uri", DatastoreFiles.text(stray.toUri()), "size", 7))));
    assertExactly(expected);

    // 6. A chain child the manifest does not declare.
    registry.transaction(c -> registry.collections().editChain(c, "LSSTComCam/calib",
        List.of(SyntheticRaws.RUN), ChainMode.EXTEND, false, null));
    expected.put(key(Checks.MANIFEST_DRIFT, "chain:LSSTComCam/calib"), new ArrayList<>(List.of(Map.of(
        "kind", "extra-child", "line", "+ " + SyntheticRaws.RUN, "child", SyntheticRaws.RUN, "actual_position", 2))));
    assertExactly(expected);

    // 7. A calibration gap: one flat's certification withdrawn.
    Map<String, Object> flat = scienceFlat(registry);
    registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset_calibs WHERE dataset_id = ?")) {
        ps.setObject(1, flat.get("id"));
        return ps.executeUpdate();
      }
    });
    List<Map<String, Object>> gaps = new ArrayList<>();
    for (Object exposure : (List<?>) flat.get("exposures")) {
      gaps.add(Map.of("kind", "gap", "exposure", exposure, "detector", flat.get("detector"), "dataset_type", "flat",
          "physical_filter", flat.get("physical_filter")));
    }
    expected.put(key(Checks.CALIBRATION_COVERAGE, "calibration:flat"), gaps);
    assertExactly(expected);

    // A storage outage: the raws' folder gone (every raw missing) is reported over the threshold as an outage, not
    // as lost files; the whole root unreachable is an outage of the run's files and of the root.
    Path raw = data.resolve("raws");
    Path away = data.resolveSibling(data.getFileName() + "-away");
    Files.move(raw, away);
    try {
      VerificationReport run = report(verify("none"), Checks.REGISTRY_STORAGE, RAW_RUN);
      assertThat(run.severity()).isEqualTo(Severity.OUTAGE);
      assertThat(run.items()).isEmpty();
      assertThat(run.itemsTotal()).isZero();
      assertThat(run.summary()).contains("278 of 287 files not found, over the 10% threshold",
          "the files are not reported lost");
    } finally {
      Files.move(away, raw);
    }
    Files.move(data, away);
    try {
      List<VerificationReport> outage = verify("none");
      VerificationReport run = report(outage, Checks.REGISTRY_STORAGE, RAW_RUN);
      assertThat(run.severity()).isEqualTo(Severity.OUTAGE);
      assertThat(run.items()).isEmpty();
      assertThat(run.counts()).containsEntry("missing", 0L).containsEntry("unreadable", 287L);
      assertThat(run.summary()).contains("287 of 287 files could not be read", "no folder at");
      VerificationReport root = report(outage, Checks.DARK_DATA, "root:" + VerifierCampaignResource.root());
      assertThat(root.severity()).isEqualTo(Severity.OUTAGE);
      assertThat(root.summary()).contains("does not exist or is unreachable");
    } finally {
      Files.move(away, data);
    }
    assertExactly(expected);

    // 8. Not a fault: an exposure short of a detector at the source. The camera never read it out, so the folder's
    // _index.json does not list it and nothing of it reached Rucio or storage: counted on its night, not reported;
    // only the manifest's count of raws sees one raw fewer.
    Map<String, Object> unread = rawOfAnotherExposure(registry, (Long) victim.get("exposure"));
    Path unreadFile = Path.of(URI.create((String) unread.get("uri")));
    Path index = unreadFile.resolveSibling(IndexFile.NAME);
    IndexFile written = IndexFile.parse(index.toUri(), Files.readString(index));
    Map<String, ObservationInfo> kept = new LinkedHashMap<>();
    written.entries().stream().filter(e -> !e.key().equals(unreadFile.getFileName().toString()))
        .forEach(e -> kept.put(e.key(), e.info()));
    Files.writeString(index, IndexFile.toJson(kept));
    Files.delete(unreadFile);
    registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset WHERE id = ?")) {
        ps.setObject(1, unread.get("id"));
        return ps.executeUpdate();
      }
    });
    expected.put(key(Checks.COMPLETENESS, "count:raws"), new ArrayList<>(List.of(Map.of("kind", "count",
        "expected", VerifierCampaignResource.RAWS, "actual", VerifierCampaignResource.RAWS - 2 + extra.raws()))));
    assertExactly(expected);
    VerificationReport shortNight = report(verify("none"), Checks.COMPLETENESS,
        "night:LSSTComCam/" + unread.get("day_obs"));
    assertThat(shortNight.counts()).containsEntry("short_at_source", 1L);
    assertThat(shortNight.summary()).contains("1 short of detectors at the source");
  }

  @Test
  @Order(2)
  void restServesTheLatestReportsAndASummary() throws Exception {
    HttpResponse<String> summary = get(REPO + "/verification");
    assertThat(summary.statusCode()).isEqualTo(200);
    Map<String, Object> body = JSON.readValue(summary.body(), new TypeReference<>() { });
    assertThat(body.get("severity")).isEqualTo("error");
    assertThat(body.get("checks").toString()).contains("calibration-coverage", "subjects not ok");
    HttpResponse<String> drift = get(REPO + "/reports?check=manifest-drift&severity=error");
    List<VerificationReport> reports = JSON.readValue(drift.body(), new TypeReference<>() { });
    assertThat(reports).extracting(VerificationReport::subject).containsExactly("chain:LSSTComCam/calib");
    assertThat(get("no_such_repository/reports").statusCode()).isEqualTo(404);
    assertThat(get(REPO + "/reports?check=nonsense").body()).contains("unknown check 'nonsense'");
    HttpResponse<String> badMode = HTTP.send(HttpRequest.newBuilder(api.resolve(REPO + "/verify?checksums=many"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badMode.statusCode()).isEqualTo(400);
    assertThat(badMode.body()).contains("checksums must be none, sample or all");
  }

  @Test
  @Order(3)
  void aBurstOfEventsCausesOneRun() throws Exception {
    verify("none");
    double before = runs();
    List<Map.Entry<String, String>> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      IngestedEvent event = new IngestedEvent(REPO, "raw:Dataset/x/" + i, "comcam-raws", SyntheticRaws.RUN, "raw", 9,
          Map.of(), Map.of(), java.time.Instant.now());
      burst.add(Map.entry(event.key(), EventJson.write(event)));
    }
    KafkaTopics.publish(Topics.BUTLER_INGESTED, burst);
    long deadline = System.currentTimeMillis() + 30_000;
    while (runs() == before && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    // every event arrived within the spacing (10 s) of the run before: they all waited for this one run
    Thread.sleep(12_000);
    assertThat(runs() - before).isEqualTo(1.0);
    assertThat(meters.counter("autobutler.verifier.trigger.events", "trigger", "ingested").count())
        .isGreaterThanOrEqualTo(300.0);
  }

  @Test
  @Order(4)
  void malformedTriggerEventsAreDeadLetteredWithTheirReason() {
    KafkaTopics.publish(Topics.BUTLER_INGESTED, List.of(Map.entry("bad-ingested", "not json"),
        Map.entry("no-repository", "{\"run\": \"r\"}")));
    KafkaTopics.publish(Topics.RUCIO_DATASETS, List.of(Map.entry("bad-dataset", "{\"scope\": \"raw\"}")));
    List<ConsumerRecord<String, String>> ingested = KafkaTopics.consume(Topics.BUTLER_INGESTED + Topics.DLQ_SUFFIX,
        k -> k.equals("bad-ingested") || k.equals("no-repository"), 2);
    assertThat(ingested).extracting(ConsumerRecord::value).containsExactly("not json", "{\"run\": \"r\"}");
    assertThat(KafkaTopics.header(ingested.get(0), DeadLetter.REASON_HEADER)).contains("not a valid IngestedEvent");
    assertThat(KafkaTopics.header(ingested.get(1), DeadLetter.REASON_HEADER))
        .isEqualTo("IngestedEvent without repository");
    List<ConsumerRecord<String, String>> datasets = KafkaTopics.consume(Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX,
        k -> k.equals("bad-dataset"), 1);
    assertThat(KafkaTopics.header(datasets.get(0), DeadLetter.REASON_HEADER))
        .contains("name is missing", "rse is missing");
    assertThat(KafkaTopics.header(datasets.get(0), DeadLetter.TOPIC_HEADER)).isEqualTo(Topics.RUCIO_DATASETS);
  }

  // ------------------------------------------------------------------------------------------------ the campaign

  /**
   * The repository as the services build it: created in the index, LSSTComCam registered, the raws ingested from
   * their folders' {@code _index.json} (ingest-raws), a calibration ticket's bias and flats certified over the whole
   * campaign, the manifest's selection and chains made as catalog-service converges them.
   */
  private Registry buildCampaign() throws Exception {
    indexSchema.ensure();
    RegistryMigrations.migrateRegistry(dataSource, REPO);
    repositories.add(new Repository(REPO, REPO, DatabaseUrl.parse(jdbcUrl).display(), REPO,
        VerifierCampaignResource.root(), null), "registry: {namespace: " + REPO + "}");
    Registry registry = new Registry(dataSource, REPO);
    Instruments.LSST_COM_CAM.register(registry);
    RawIngester.Result ingested = new RawBackfill(new DatastoreFiles()).ingest(registry, List.of(DatastoreFiles.text(
        VerifierCampaignResource.data.resolve("raws").toUri())), null, RawIngester.Options.defaults());
    assertThat(ingested.datasets()).isEqualTo(VerifierCampaignResource.RAWS);
    certifyCalibrations(registry);
    CampaignManifest manifest = io.autobutler.core.manifest.ManifestReader.parse(
        VerifierCampaignResource.MANIFEST.formatted(VerifierCampaignResource.RAWS), "manifest.yaml");
    registry.transaction(c -> {
      CampaignManifest.Tagged science = manifest.tagged().get(0);
      List<UUID> selected = DeclaredCollections.selected(new DatasetQuery(), c, science,
          DeclaredCollections.searchPath(registry, c, science.collections()));
      registry.collections().register(c, science.name(), CollectionType.TAGGED, null);
      registry.datasets().associate(c, registry.collections().get(c, science.name()), selected);
      for (CampaignManifest.Chain chain : DeclaredCollections.childrenFirst(manifest.chains())) {
        registry.collections().editChain(c, chain.name(), chain.children(), ChainMode.REDEFINE, false, null);
      }
      return null;
    });
    return registry;
  }

  /** A bias per detector and a flat per detector and physical filter, valid over the whole campaign. */
  private static void certifyCalibrations(Registry registry) throws Exception {
    Path folder = Files.createDirectories(VerifierCampaignResource.data.resolve("calib"));
    registry.transaction(c -> {
      registry.datasetTypes().register(c, "bias", "ExposureF", List.of("instrument", "detector"), true);
      registry.datasetTypes().register(c, "flat", "ExposureF", List.of("instrument", "detector", "physical_filter"),
          true);
      String run = "LSSTComCam/calib/test/run";
      registry.collections().register(c, run, CollectionType.RUN, null);
      registry.collections().register(c, "LSSTComCam/calib/test", CollectionType.CALIBRATION, null);
      CollectionRecord runRecord = registry.collections().get(c, run);
      List<String> filters = new ArrayList<>();
      long[] span = new long[2];
      try (PreparedStatement ps = c.prepareStatement("SELECT array_agg(DISTINCT physical_filter),"
          + " min(lower(timespan)), max(upper(timespan)) FROM exposure"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        for (Object f : (Object[]) rs.getArray(1).getArray()) {
          filters.add((String) f);
        }
        span[0] = rs.getLong(2) - 86_400_000_000_000L;
        span[1] = rs.getLong(3) + 86_400_000_000_000L;
      }
      List<UUID> ids = new ArrayList<>();
      for (String typeName : List.of("bias", "flat")) {
        DatasetType type = registry.datasetTypes().get(c, typeName);
        List<DatasetManager.NewDataset> datasets = new ArrayList<>();
        for (long detector = 0; detector < SyntheticRaws.DETECTORS; detector++) {
          for (String filter : typeName.equals("bias") ? List.of("") : filters) {
            Map<String, Object> dataId = new LinkedHashMap<>(Map.of("instrument", "LSSTComCam", "detector", detector));
            if (!filter.isEmpty()) {
              dataId.put("physical_filter", filter);
            }
            Path file = folder.resolve(typeName + "-" + detector + (filter.isEmpty() ? "" : "-" + filter) + ".fits");
            try {
              Files.write(file, new byte[16]);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            UUID id = UUID.randomUUID();
            ids.add(id);
            // the biases without a recorded size, as an import records them: only their existence is checked
            datasets.add(new DatasetManager.NewDataset(id, dataId, new DatasetManager.FileRecord(
                DatastoreFiles.text(file.toUri()), null, "ExposureF", null, typeName.equals("bias") ? null : 16L)));
          }
        }
        registry.datasets().insert(c, type, runRecord, datasets);
      }
      registry.datasets().certify(c, registry.collections().get(c, "LSSTComCam/calib/test"), ids, span[0], span[1]);
      return null;
    });
  }

  /** A complete non-science exposure of another night, written under {@code folder}. */
  private static SyntheticRaws.IndexedCampaign extraExposure(Path folder) throws Exception {
    String root = DatastoreFiles.text(Files.createDirectories(folder).toAbsolutePath().toUri());
    SyntheticRaws.ExposureFolder whole = SyntheticRaws.indexed(VerifierCampaignResource.RAWS, 1,
        root.endsWith("/") ? root.substring(0, root.length() - 1) : root, java.time.LocalDate.of(2025, 3, 1))
        .folders().stream()
        .filter(f -> f.raws().size() == SyntheticRaws.DETECTORS
            && !"science".equals(f.raws().values().iterator().next().observationType()))
        .findFirst().orElseThrow();
    SyntheticRaws.writeFolder(whole);
    return new SyntheticRaws.IndexedCampaign(List.of(whole), 1, whole.raws().size(), 0);
  }

  private static List<String> rawUris(Registry registry) {
    return registry.transaction(c -> {
      List<String> uris = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT f.path FROM file_datastore_records f JOIN dataset d"
          + " ON d.id = f.dataset_id JOIN dataset_type t ON t.id = d.dataset_type_id WHERE t.name = 'raw'"
          + " ORDER BY f.path"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          uris.add(rs.getString(1));
        }
      }
      return uris;
    });
  }

  /** A raw of a calibration exposure whose file was left alone so far: its id, URI, exposure, detector, night. */
  private static Map<String, Object> nonScienceRaw(Registry registry) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT d.id, f.path, d.exposure, d.detector, e.day_obs"
          + " FROM dataset d JOIN file_datastore_records f ON f.dataset_id = d.id JOIN exposure e"
          + " ON e.instrument = d.instrument AND e.id = d.exposure WHERE e.observation_type <> 'science'"
          + " ORDER BY f.path DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Map.of("id", rs.getObject(1), "uri", rs.getString(2), "exposure", rs.getLong(3),
            "detector", rs.getLong(4), "day_obs", rs.getLong(5));
      }
    });
  }

  /** A raw of another calibration exposure than {@code exposure}'s: its id, URI, night. */
  private static Map<String, Object> rawOfAnotherExposure(Registry registry, long exposure) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT d.id, f.path, e.day_obs FROM dataset d"
          + " JOIN file_datastore_records f ON f.dataset_id = d.id JOIN exposure e ON e.instrument = d.instrument"
          + " AND e.id = d.exposure WHERE e.observation_type <> 'science' AND d.exposure <> ?"
          + " AND f.path LIKE '%/raws/%' ORDER BY f.path DESC LIMIT 1")) {
        ps.setLong(1, exposure);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Map.of("id", rs.getObject(1), "uri", rs.getString(2), "day_obs", rs.getLong(3));
        }
      }
    });
  }

  /** A flat that covers science exposures: its id, detector, filter and those exposures. */
  private static Map<String, Object> scienceFlat(Registry registry) {
    return registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT x.id, x.detector, x.physical_filter,"
          + " array_agg(DISTINCT e.id ORDER BY e.id) FROM dataset x JOIN dataset_type t ON t.id = x.dataset_type_id"
          + " AND t.name = 'flat' JOIN exposure e ON e.physical_filter = x.physical_filter"
          + " AND e.observation_type = 'science' GROUP BY x.id, x.detector, x.physical_filter"
          + " ORDER BY x.physical_filter, x.detector LIMIT 1"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        List<Long> exposures = new ArrayList<>();
        for (Object e : (Object[]) rs.getArray(4).getArray()) {
          exposures.add(((Number) e).longValue());
        }
        return Map.of("id", rs.getObject(1), "detector", rs.getLong(2), "physical_filter", rs.getString(3),
            "exposures", exposures);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ assertions

  /**
   * Verifies now, then reads the topic: every report that is not ok, on the topic as in the answer, is one of the
   * expected and holds exactly the expected items (each item's listed fields; items in any order).
   */
  private void assertExactly(Map<String, List<Map<String, Object>>> expected) throws Exception {
    List<VerificationReport> reports = verify("none");
    readTopic();
    for (List<VerificationReport> view : List.of(reports, List.copyOf(onTopic.values()))) {
      Map<String, VerificationReport> problems = new TreeMap<>();
      problems(view).forEach(r -> problems.put(r.key(), r));
      assertThat(problems.keySet()).as("reports not ok").containsExactlyInAnyOrderElementsOf(
          expected.keySet().stream().map(k -> REPO + "/" + k).toList());
      for (Map.Entry<String, List<Map<String, Object>>> entry : expected.entrySet()) {
        VerificationReport report = problems.get(REPO + "/" + entry.getKey());
        assertThat(report.itemsTotal()).as(report.key()).isEqualTo(entry.getValue().size());
        List<Map<String, Object>> actual = new ArrayList<>();
        for (Map<String, Object> item : report.items()) {
          Map<String, Object> wanted = entry.getValue().stream().filter(e -> e.get("kind").equals(item.get("kind"))
              && e.entrySet().stream().allMatch(f -> same(f.getValue(), item.get(f.getKey())))).findFirst()
              .orElse(null);
          assertThat(wanted).as("an item of %s that was not injected: %s", report.key(), item).isNotNull();
          actual.add(wanted);
        }
        assertThat(actual).as(report.key()).containsExactlyInAnyOrderElementsOf(entry.getValue());
      }
    }
  }

  private static boolean same(Object expected, Object actual) {
    if (expected instanceof Number e && actual instanceof Number a) {
      return e.longValue() == a.longValue();
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      return e.size() == a.size() && java.util.stream.IntStream.range(0, e.size())
          .allMatch(i -> same(e.get(i), a.get(i)));
    }
    return java.util.Objects.equals(expected, actual);
  }

  private static List<VerificationReport> problems(List<VerificationReport> reports) {
    return reports.stream().filter(r -> r.severity().isProblem()).toList();
  }

  private static String key(String check, String subject) {
    return check + "/" + subject;
  }

  private static VerificationReport report(List<VerificationReport> reports, String check, String subject) {
    return reports.stream().filter(r -> r.check().equals(check) && r.subject().equals(subject)).findFirst()
        .orElseThrow(() -> new AssertionError("no report " + check + " " + subject + " in " + reports));
  }

  private List<VerificationReport> verify(String checksums) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(REPO + "/verify?checksums="
        + checksums)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readValue(response.body(), new TypeReference<>() { });
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Reads what the topic has beyond what was read before; keeps the latest report of each key. */
  private static void readTopic() {
    List<ConsumerRecord<String, String>> records = KafkaTopics.consume(Topics.BUTLER_VERIFICATION, 1);
    records.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
    for (ConsumerRecord<String, String> record : records) {
      if (seen.add(record.partition() + "@" + record.offset())) {
        VerificationReport report = EventJson.read(record.value(), VerificationReport.class);
        assertThat(record.key()).isEqualTo(report.key());
        onTopic.put(report.key(), report);
      }
    }
  }

  private double runs() {
    return meters.counter("autobutler.verifier.runs", "trigger", "ingested").count();
  }
}
