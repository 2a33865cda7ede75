package io.autobutler.ingest.pipeline;

import static io.autobutler.testsupport.KafkaTopics.consume;
import static io.autobutler.testsupport.KafkaTopics.header;
import static io.autobutler.testsupport.KafkaTopics.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.Topics;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.collections.CollectionRecord;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.transfer.ExportFormatException;
import io.autobutler.testsupport.KafkaResource;
import io.autobutler.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code import} action through Kafka: complete Rucio datasets on {@code rucio.datasets} import the export files
 * their rule names (the project's FGCM and calibration exports) into a real registry; a replay changes nothing; a
 * dataset whose export file is malformed is dead-lettered with the reason and imports nothing.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "ingest_import"))
@WithTestResource(KafkaResource.class)
@WithTestResource(DatasetImportTest.ImportManifest.class)
class DatasetImportTest {

  /** src/test/resources/import-campaign/manifest.yaml, read in place so that its relative export files resolve. */
  public static class ImportManifest extends ManifestFileResource {
    static final String CAMPAIGN = "import-campaign";

    public ImportManifest() {
      super(CAMPAIGN, Map.of());
    }
  }

  private static final String REPOSITORY = "imports";
  private static final DatasetEvent CALIBRATIONS = dataset("Dataset/exports/rich");
  private static final DatasetEvent FGCM = dataset("Dataset/exports/DM-48089-fgcmLookupTable");
  private static final DatasetEvent BROKEN = dataset("Dataset/broken/not-an-export");

  @Inject
  PipelineRepository repository;

  private static DatasetEvent dataset(String name) {
    return new DatasetEvent("calib", name, "TEST_RAW_DISK", 3, 3_000L, Instant.parse("2025-01-20T10:00:00Z"));
  }

  @Test
  void importsCompleteDatasetsIgnoresReplaysAndDeadLettersAMalformedExport() throws IOException {
    Registry registry = repository.create(REPOSITORY, ManifestFileResource.text(ImportManifest.CAMPAIGN));
    Set<String> imported = Set.of(CALIBRATIONS.key(), FGCM.key());
    publish(Topics.RUCIO_DATASETS, events(CALIBRATIONS, FGCM));

    // rich-export: 7 datasets; the FGCM look-up table: 1. One summary per dataset block of each file.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        PipelineRepository.count(registry, "dataset")).isEqualTo(8));
    int summaries = consume(Topics.BUTLER_INGESTED, imported::contains, 4).size();
    Map<String, CollectionType> collections = collections(registry);
    assertThat(collections).containsEntry("LSSTComCam/calib/DM-48650", CollectionType.CALIBRATION)
        .containsEntry("LSSTComCam/calib/DM-48650/run", CollectionType.RUN)
        .containsEntry("LSSTComCam/raw/selected", CollectionType.TAGGED)
        .containsEntry("LSSTComCam/defaults", CollectionType.CHAINED)
        .containsEntry("LSSTComCam/calib/fgcmcal/DM-48089", CollectionType.RUN);
    List<String> defaults = registry.transaction(c -> registry.collections().children(c, "LSSTComCam/defaults"));
    assertThat(defaults).containsExactly("LSSTComCam/raw/selected", "LSSTComCam/calib", "skymaps");
    long certifications = PipelineRepository.count(registry, "dataset_calibs");
    assertThat(certifications).isGreaterThanOrEqualTo(4);
    assertThat(PipelineRepository.count(registry, "dataset_tags")).isEqualTo(2);
    assertThat(PipelineRepository.count(registry, "file_datastore_records")).isEqualTo(8);

    // A replay: imported again (its summaries are sent again — at least once, like every delivery here),
    // nothing in the registry changes.
    publish(Topics.RUCIO_DATASETS, events(CALIBRATIONS, FGCM));
    assertThat(consume(Topics.BUTLER_INGESTED, imported::contains, summaries + 1)).hasSizeGreaterThan(summaries);
    assertThat(PipelineRepository.count(registry, "dataset")).isEqualTo(8);
    assertThat(collections(registry)).isEqualTo(collections);
    assertThat(PipelineRepository.count(registry, "dataset_calibs")).isEqualTo(certifications);
    assertThat(PipelineRepository.count(registry, "dataset_tags")).isEqualTo(2);
    assertThat(PipelineRepository.count(registry, "file_datastore_records")).isEqualTo(8);

    // A malformed export file: the dataset event is dead-lettered with the reason, nothing of it is imported.
    publish(Topics.RUCIO_DATASETS, events(BROKEN));
    List<ConsumerRecord<String, String>> letters = consume(Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX,
        BROKEN.key()::equals, 1);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).value()).isEqualTo(EventJson.write(BROKEN));
    assertThat(header(letters.get(0), "dead-letter-cause")).isEqualTo(ExportFormatException.class.getName());
    assertThat(header(letters.get(0), "dead-letter-reason")).contains("rule 'broken-exports'")
        .contains("not-an-export.yaml").contains("SOMETIMES");
    assertThat(header(letters.get(0), "dead-letter-topic")).isEqualTo(Topics.RUCIO_DATASETS);
    assertThat(collections(registry)).isEqualTo(collections);
    assertThat(PipelineRepository.count(registry, "dataset")).isEqualTo(8);
  }

  private static List<Map.Entry<String, String>> events(DatasetEvent... events) {
    return java.util.Arrays.stream(events).map(e -> Map.entry(e.key(), EventJson.write(e))).toList();
  }

  private static Map<String, CollectionType> collections(Registry registry) {
    return registry.transaction(c -> registry.collections().all(c)).values().stream()
        .collect(Collectors.toMap(CollectionRecord::name, CollectionRecord::type));
  }
}
