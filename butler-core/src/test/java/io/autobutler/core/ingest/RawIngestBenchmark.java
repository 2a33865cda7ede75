package io.autobutler.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.testsupport.PostgresServer;

/**
 * Raws per second of the bulk ingest on RTN-103's campaign size, synthetic ComCam raws: a first ingest into an empty
 * repository, then the same files again (all there already); and the whole backfill from exposure folders on disk.
 * Runs only when asked:
 * {@code ./mvnw -pl butler-core -am verify -Dtest=RawIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dautobutler.bench.raws=148845}.
 */
@EnabledIfSystemProperty(named = "autobutler.bench.raws", matches = "\\d+")
class RawIngestBenchmark {

  @Test
  void ingestsRtn103sRawCount() {
    int raws = Integer.parseInt(System.getProperty("autobutler.bench.raws"));
    int batch = Integer.parseInt(System.getProperty("autobutler.bench.batch",
        String.valueOf(RawIngester.DEFAULT_BATCH_SIZE)));
    long start = System.nanoTime();
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.indexed(raws, 20241108L,
        "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/instrument/raw/LSSTComCam");
    List<RawIngester.RawFile> files = new ArrayList<>(campaign.raws());
    int n = 0;
    for (SyntheticRaws.ExposureFolder folder : campaign.folders()) {
      for (var raw : folder.raws().entrySet()) {
        files.add(new RawIngester.RawFile(folder.uri() + raw.getKey(), 18_000_000L + n,
            String.format("%08x", n * 2654435761L & 0xffffffffL), raw.getValue()));
        n++;
      }
    }
    double generated = seconds(start);

    Registry registry = comCamRegistry("bench");
    RawIngester ingester = new RawIngester();
    RawIngester.Options options = RawIngester.Options.defaults().withBatchSize(batch);

    long first = System.nanoTime();
    RawIngester.Result result = ingester.ingest(registry, files, options);
    double firstSeconds = seconds(first);
    assertThat(result.rejections()).isEmpty();
    assertThat(result.newDatasets()).isEqualTo(campaign.raws());
    assertThat(result.exposures()).isEqualTo(campaign.exposures());

    long again = System.nanoTime();
    RawIngester.Result repeat = ingester.ingest(registry, files, options);
    double againSeconds = seconds(again);
    assertThat(repeat.newDatasets()).isZero();
    assertThat(repeat.datasets()).isEqualTo(campaign.raws());

    System.out.printf(Locale.ROOT, "ingest raws=%d exposures=%d batch=%d generate_s=%.1f first_s=%.1f"
            + " first_raws_per_s=%.0f again_s=%.1f again_raws_per_s=%.0f%n", campaign.raws(), campaign.exposures(),
        batch, generated, firstSeconds, campaign.raws() / firstSeconds, againSeconds, campaign.raws() / againSeconds);
  }

  /** The whole backfill: the campaign's exposure folders on disk, walked, their _index.json read, the raws ingested. */
  @Test
  void backfillsRtn103sRawCountFromExposureFolders(@TempDir Path folders) throws IOException {
    int raws = Integer.parseInt(System.getProperty("autobutler.bench.raws"));
    long start = System.nanoTime();
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(raws, 20241108L, folders.resolve("LSSTComCam"));
    double written = seconds(start);
    Registry registry = comCamRegistry("bench_files");

    long first = System.nanoTime();
    RawIngester.Result result = new RawBackfill(new DatastoreFiles()).ingest(registry,
        List.of(folders.resolve("LSSTComCam").toUri().toString()), null, RawIngester.Options.defaults());
    double seconds = seconds(first);
    assertThat(result.rejections()).isEmpty();
    assertThat(result.newDatasets()).isEqualTo(campaign.raws());
    System.out.printf(Locale.ROOT, "backfill raws=%d exposure_folders=%d write_s=%.1f ingest_s=%.1f raws_per_s=%.0f%n",
        campaign.raws(), campaign.folders().size(), written, seconds, campaign.raws() / seconds);
  }

  private static Registry comCamRegistry(String namespace) {
    DataSource dataSource = PostgresServer.preferred().createDatabase("ingest_" + namespace).dataSource();
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    Registry registry = new Registry(dataSource, namespace);
    var comCam = Instruments.LSST_COM_CAM;
    registry.transaction(c -> {
      registry.dimensions().insert(c, "instrument", List.of(comCam.instrumentRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "detector", comCam.detectorRecords(), Mode.SYNC);
      return registry.dimensions().insert(c, "physical_filter", comCam.physicalFilterRecords(), Mode.SYNC);
    });
    return registry;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
