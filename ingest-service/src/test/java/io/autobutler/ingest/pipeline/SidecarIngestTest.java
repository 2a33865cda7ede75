package io.autobutler.ingest.pipeline;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.autobutler.testsupport.KafkaTopics.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.ingest.sidecar.SidecarFormatException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.core.runtime.RegistryConfig;
import io.autobutler.ingest.service.ReplicaIngest;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rubin's own flow (ctrl_ingestd's): {@code raw_file} and {@code data_product} files carrying their DatasetRef in
 * {@code rubin_sidecar}, and {@code dim_file} dimension-record files, against a real registry and broker. A
 * dimension file placed after the sidecars of its batch is imported first; sidecars whose records come in a later
 * batch wait in the ledger and then go in; sidecars whose records never come are dead-lettered after
 * {@code dimension-wait}; malformed and conflicting sidecars are dead-lettered with the reason while the rest goes
 * in; a replay changes nothing.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_sidecar"))
@WithTestResource(KafkaResource.class)
@WithTestResource(SidecarIngestTest.SidecarManifest.class)
class SidecarIngestTest {

  /** src/test/resources/sidecar-campaign/manifest.yaml, read in place; short sweep and wait for the test. */
  public static class SidecarManifest extends ManifestFileResource {
    static final String CAMPAIGN = "sidecar-campaign";

    public SidecarManifest() {
      super(CAMPAIGN, Map.of("autobutler.ingest.sweep-interval", "1s",
          "autobutler.ingest.dimension-wait", "20s", "autobutler.ingest.poison-attempts", "3"));
    }
  }

  private static final String REPOSITORY = "sidecars";
  private static final String RAW_RUN = "LSSTComCam/raw/all";
  private static final String ISR_RUN = "LSSTComCam/runs/DM-48000/isr";
  private static final long EXPOSURE_1 = 2024110800123L;
  private static final long EXPOSURE_2 = 2024110800124L;
  private static final long EXPOSURE_NEVER = 2024110800999L;
  private static final String DATA = "file:///data/rucio/";

  @Inject
  ReplicaIngest ingest;
  @Inject
  ReplicaLedger ledger;
  @Inject
  PipelineRepository repository;
  @Inject
  RegistryConfig registryConfig;
  @Inject
  AgroalDataSource dataSource;

  private long offset;

  @Test
  void ingestsSidecarsAndDimensionFilesInTheRightOrder() throws Exception {
    Registry registry = repository.withComCam(REPOSITORY, ManifestFileResource.text(SidecarManifest.CAMPAIGN));

    // 1. One batch (handed to the pipeline as one Kafka batch would be): three raws and an ISR product of exposure
    // 123, a malformed sidecar, a file without sidecar, a refcat file, and LAST the dimension file with exposure
    // 123's records. The dimension file goes first, so nothing waits.
    List<ReplicaEvent> first = new ArrayList<>();
    for (int detector = 0; detector < 3; detector++) {
      first.add(raw(EXPOSURE_1, detector));
    }
    first.add(isr(EXPOSURE_1, 0, "1a7e1c64-0c52-4f8e-a3a5-7f7f3f6c0001"));
    ReplicaEvent malformed = event("ancillary", "bad/malformed.json", "Dataset/bad", "data_product",
        "{\"id\": \"1a7e1c64-0c52-4f8e-a3a5");
    ReplicaEvent noSidecar = event("ancillary", "bad/no-sidecar.fits", "Dataset/bad", "raw_file", "");
    ReplicaEvent refcat = event("ancillary", "refcats/131072.fits", "Dataset/refcats/the_monster_20240904", null,
        null);
    first.add(malformed);
    first.add(noSidecar);
    first.add(refcat);
    first.add(dimensionFile("dimensions-000123.yaml"));
    ingest.process(delivered(first));

    Map<UUID, String[]> stored = datasets(registry);
    assertThat(stored).hasSize(4);
    for (int detector = 0; detector < 3; detector++) {
      UUID id = rawId(EXPOSURE_1, detector);
      assertThat(stored.get(id)).containsExactly("raw", RAW_RUN, rawPfn(EXPOSURE_1, detector),
          "lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter", "adler32:0badcafe", "1000",
          "instrument=LSSTComCam,detector=" + detector + ",exposure=" + EXPOSURE_1);
    }
    assertThat(stored.get(UUID.fromString("1a7e1c64-0c52-4f8e-a3a5-7f7f3f6c0001"))).containsExactly("isrStatistics",
        ISR_RUN, isrPfn(EXPOSURE_1, 0), "lsst.daf.butler.formatters.yaml.YamlFormatter", "adler32:0badcafe", "1000",
        "instrument=LSSTComCam,detector=0,exposure=" + EXPOSURE_1);
    assertThat(state(first.get(0))).isEqualTo(State.INGESTED);
    assertThat(state(refcat)).isEqualTo(State.SKIPPED);
    assertThat(state(first.get(first.size() - 1))).isEqualTo(State.INGESTED);
    assertThat(everWaited()).as("no sidecar of the batch waited for its records").isZero();

    List<ConsumerRecord<String, String>> letters = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX,
        "ancillary:Dataset/bad"::equals, 2);
    assertThat(letters).hasSize(2);
    Map<String, ConsumerRecord<String, String>> byValue = new LinkedHashMap<>();
    letters.forEach(l -> byValue.put(l.value(), l));
    ConsumerRecord<String, String> malformedLetter = byValue.get(EventJson.write(malformed));
    assertThat(header(malformedLetter, "dead-letter-cause")).isEqualTo(SidecarFormatException.class.getName());
    assertThat(header(malformedLetter, "dead-letter-reason")).contains("rule 'rubin-sidecars'").contains("not JSON");
    assertThat(header(byValue.get(EventJson.write(noSidecar)), "dead-letter-reason")).contains("no rubin_sidecar");

    // 2. Through Kafka: exposure 124's sidecars come before its records, and a raw whose records never come.
    List<ReplicaEvent> early = List.of(raw(EXPOSURE_2, 0), raw(EXPOSURE_2, 1),
        isr(EXPOSURE_2, 1, "1a7e1c64-0c52-4f8e-a3a5-7f7f3f6c0002"));
    ReplicaEvent orphan = raw(EXPOSURE_NEVER, 0);
    publish(Topics.RUCIO_REPLICAS, records(List.of(early.get(0), early.get(1), early.get(2), orphan)));
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (ReplicaEvent e : early) {
        ReplicaLedger.Entry entry = entry(e);
        assertThat(entry.state()).isEqualTo(State.PENDING);
        assertThat(entry.reason()).isEqualTo("waiting for dimension records: exposure {instrument=LSSTComCam, id="
            + EXPOSURE_2 + "}");
      }
    });
    assertThat(datasets(registry)).hasSize(4);

    // Its dimension file lands in a later batch: the waiting sidecars go in with it.
    publish(Topics.RUCIO_REPLICAS, records(List.of(dimensionFile("dimensions-000124.yaml"))));
    await().ignoreExceptions().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(datasets(registry)).hasSize(7));
    stored = datasets(registry);
    assertThat(stored.get(rawId(EXPOSURE_2, 1))).contains(RAW_RUN, rawPfn(EXPOSURE_2, 1));
    assertThat(stored.get(UUID.fromString("1a7e1c64-0c52-4f8e-a3a5-7f7f3f6c0002"))).contains(ISR_RUN,
        isrPfn(EXPOSURE_2, 1));
    // The ledger is settled after the registry commit.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (ReplicaEvent e : early) {
        assertThat(entry(e).state()).isEqualTo(State.INGESTED);
      }
    });

    // 3. A UUID already used by another dataset: dead-lettered, the other sidecar of the batch goes in.
    ReplicaEvent stolen = isr(EXPOSURE_2, 2, rawId(EXPOSURE_1, 0).toString());
    ReplicaEvent fine = isr(EXPOSURE_2, 2, "1a7e1c64-0c52-4f8e-a3a5-7f7f3f6c0003");
    stolen = new ReplicaEvent(stolen.scope(), stolen.name() + ".copy", stolen.rse(), stolen.pfn() + ".copy",
        stolen.bytes(), stolen.adler32(), "ancillary", "Dataset/conflicts", stolen.rubinButler(),
        stolen.rubinSidecar(), stolen.source(), stolen.observedAt());
    publish(Topics.RUCIO_REPLICAS, records(List.of(stolen, fine)));
    List<ConsumerRecord<String, String>> conflicts = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX,
        "ancillary:Dataset/conflicts"::equals, 1);
    assertThat(conflicts).hasSize(1);
    assertThat(header(conflicts.get(0), "dead-letter-reason")).contains("UUID is already used by raw@{");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(datasets(registry)).hasSize(8));

    // 4. The orphan has waited longer than dimension-wait: the sweep dead-letters it with the reason.
    List<ConsumerRecord<String, String>> givenUp = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX,
        orphan.key()::equals, 1);
    await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(entry(orphan).state())
        .isEqualTo(State.REJECTED));
    givenUp = consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, k -> k.equals(orphan.key()), 1).stream()
        .filter(l -> l.value().contains(String.valueOf(EXPOSURE_NEVER))).toList();
    assertThat(givenUp).hasSize(1);
    assertThat(header(givenUp.get(0), "dead-letter-reason")).contains("gave up after waiting longer than PT20S")
        .contains("exposure {instrument=LSSTComCam, id=" + EXPOSURE_NEVER + "}");

    // 5. A replay of everything changes nothing.
    Map<UUID, String[]> before = datasets(registry);
    long records = PipelineRepository.count(registry, "exposure");
    ingest.process(delivered(first));
    List<ReplicaEvent> all = new ArrayList<>(early);
    all.add(dimensionFile("dimensions-000124.yaml"));
    all.add(stolen);
    all.add(fine);
    publish(Topics.RUCIO_REPLICAS, records(all));
    ingest.process(delivered(all));
    assertThat(datasets(registry)).usingRecursiveComparison().isEqualTo(before);
    assertThat(PipelineRepository.count(registry, "file_datastore_records")).isEqualTo(8);
    assertThat(PipelineRepository.count(registry, "exposure")).isEqualTo(records).isEqualTo(2);
    assertThat(consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, "ancillary:Dataset/bad"::equals, 2)).hasSize(2);
    assertThat(consume(Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX, "ancillary:Dataset/conflicts"::equals, 1))
        .hasSize(1);
  }

  private static UUID rawId(long exposure, int detector) {
    return DatasetIds.forRun("raw", RAW_RUN, Map.of("instrument", "LSSTComCam", "detector", (long) detector,
        "exposure", exposure));
  }

  private static String rawPfn(long exposure, int detector) {
    return DATA + "raw/LSSTComCam/20241108/" + exposure + "/CC_O_" + exposure + "_R22_S0" + detector + ".fits";
  }

  private static String isrPfn(long exposure, int detector) {
    return DATA + "ancillary/isr/isrStatistics_" + exposure + "_" + detector + ".yaml";
  }

  /** A raw as Rubin registers it (rucio_register raws): ctrl_ingestd's raw_message.json shape, ComCam values. */
  private static ReplicaEvent raw(long exposure, int detector) {
    String sidecar = "{\"id\": \"" + rawId(exposure, detector) + "\", \"datasetType\": {\"name\": \"raw\","
        + " \"storageClass\": \"Exposure\", \"dimensions\": [\"instrument\", \"detector\", \"exposure\"]},"
        + " \"dataId\": {\"dataId\": {\"instrument\": \"LSSTComCam\", \"detector\": " + detector + ", \"exposure\": "
        + exposure + ", \"band\": \"r\", \"day_obs\": 20241108, \"physical_filter\": \"r_03\"}}, \"run\": \""
        + RAW_RUN + "\"}";
    String pfn = rawPfn(exposure, detector);
    return event("raw", pfn.substring((DATA + "raw/").length()), "Dataset/LSSTComCam/raw/20241108", "raw_file",
        sidecar);
  }

  /** A data product (rucio_register data-products): ctrl_ingestd's message.json shape. */
  private static ReplicaEvent isr(long exposure, int detector, String id) {
    String sidecar = "{\"id\":\"" + id + "\",\"datasetType\":{\"name\":\"isrStatistics\",\"storageClass\":"
        + "\"StructuredDataDict\",\"dimensions\":[\"instrument\",\"detector\",\"exposure\"]},\"dataId\":{\"dataId\":"
        + "{\"instrument\":\"LSSTComCam\",\"detector\":" + detector + ",\"exposure\":" + exposure + ",\"band\":\"r\""
        + "}},\"run\":\"" + ISR_RUN + "\"}";
    String pfn = isrPfn(exposure, detector);
    return event("ancillary", pfn.substring((DATA + "ancillary/").length()), "Dataset/LSSTComCam/isr/DM-48000",
        "data_product", sidecar);
  }

  private static ReplicaEvent dimensionFile(String name) {
    String pfn = "file://" + ManifestFileResource.manifest(SidecarManifest.CAMPAIGN).resolveSibling(name);
    return new ReplicaEvent("ancillary", "dimensions/" + name, "TEST_RAW_DISK", pfn, 4000L, "0badcafe",
        "ancillary", "Dataset/LSSTComCam/dimensions", "dim_file", "", "poll", Instant.parse("2025-01-20T10:00:00Z"));
  }

  private static ReplicaEvent event(String scope, String name, String dataset, String rubinButler, String sidecar) {
    String pfn = DATA + scope + "/" + name;
    return new ReplicaEvent(scope, name, "TEST_RAW_DISK", pfn, 1000L, "badcafe", scope, dataset, rubinButler,
        sidecar, "poll", Instant.parse("2025-01-20T10:00:00Z"));
  }

  private List<ReplicaIngest.Delivered> delivered(List<ReplicaEvent> events) {
    return events.stream().map(e -> new ReplicaIngest.Delivered(e, EventJson.write(e), 0, offset++)).toList();
  }

  private static List<Map.Entry<String, String>> records(List<ReplicaEvent> events) {
    return events.stream().map(e -> Map.entry(e.key(), EventJson.write(e))).toList();
  }

  private ReplicaLedger.Entry entry(ReplicaEvent e) throws Exception {
    return ledger.entries(List.of(new ReplicaLedger.Key(e.scope(), e.name(), e.rse()))).get(0);
  }

  private State state(ReplicaEvent e) throws Exception {
    return entry(e).state();
  }

  /** How many replicas of the ledger ever waited for something. */
  private long everWaited() throws Exception {
    try (var c = dataSource.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM "
        + registryConfig.indexSchema() + ".replica WHERE waiting_since IS NOT NULL"); var rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every dataset: type, run, file URI, formatter, checksum, size, data ID key. */
  private static Map<UUID, String[]> datasets(Registry registry) {
    return registry.transaction(c -> {
      Map<UUID, String[]> found = new LinkedHashMap<>();
      try (var ps = c.prepareStatement("SELECT d.id, t.name, r.name, f.path, f.formatter, f.checksum, f.file_size,"
          + " d.data_id_key FROM dataset d JOIN dataset_type t ON t.id = d.dataset_type_id JOIN collection r"
          + " ON r.collection_id = d.run_id LEFT JOIN file_datastore_records f ON f.dataset_id = d.id ORDER BY d.id");
           var rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)});
        }
      }
      return found;
    });
  }
}
