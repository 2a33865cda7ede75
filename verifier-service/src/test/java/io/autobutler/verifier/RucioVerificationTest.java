package io.autobutler.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.agroal.api.AgroalDataSource;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.db.DatabaseUrl;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.ingest.RawIngester;
import io.autobutler.core.ingest.RawTranslation;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.repository.Repository;
import io.autobutler.core.repository.RepositoryIndex;
import io.autobutler.core.runtime.IndexSchema;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.simulator.Catalogue;
import io.autobutler.simulator.RucioSimulator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Rucio check against the real watcher and the Rucio simulator: a campaign at the RSE, ingested (its raws in the
 * registry with their PFNs, the replica ledger settled as ingest-service settles it), is clean; a replica lost at the
 * RSE through the simulator is reported lost in its Rucio dataset and in its run; a registered raw whose dataset is
 * deleted shows as a missing ingest; the watcher gone is a Rucio outage, not lost files.
 */
@QuarkusTest
@WithTestResource(RucioCampaignResource.class)
class RucioVerificationTest {

  private static final String REPO = RucioCampaignResource.REPOSITORY;
  private static final String RSE = "IN2P3_RAW_DISK";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  @Inject
  AgroalDataSource dataSource;

  @Inject
  IndexSchema indexSchema;

  @Inject
  RepositoryIndex repositories;

  @Inject
  ReplicaLedger ledger;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @TestHTTPResource("/api/repositories/")
  URI api;

  @Test
  void lostReplicasAndMissingIngestsAreFoundThroughTheWatcher() throws Exception {
    RucioSimulator simulator = RucioCampaignResource.simulator;
    Registry registry = ingest(simulator);

    List<VerificationReport> clean = verify();
    List<VerificationReport> rucio = clean.stream().filter(r -> r.check().equals(Checks.RUCIO_REGISTRY)).toList();
    assertThat(rucio).hasSize(RucioCampaignResource.campaign.exposures() + 1);
    assertThat(clean).allSatisfy(r -> assertThat(r.severity()).as(r.key() + ": " + r.summary()).isEqualTo(Severity.OK));
    VerificationReport run = report(clean, "run:" + SyntheticRaws.RUN);
    assertThat(run.counts()).containsEntry("registered", (long) RucioCampaignResource.RAWS)
        .containsEntry("lost", 0L).containsEntry("not_in_rucio", 0L);

    // A replica lost at the RSE (Rucio declares it bad; the simulator no longer serves it).
    List<Catalogue.SimDataset> datasets = simulator.catalogue().datasets(d -> true);
    Catalogue.SimFile lost = simulator.catalogue().filesOf(datasets.get(0)).stream()
        .filter(f -> f.name().endsWith(".fits")).findFirst().orElseThrow();
    simulator.catalogue().lose(lost.scope(), lost.name());
    List<VerificationReport> afterLoss = verify();
    VerificationReport dataset = report(afterLoss, "rucio-dataset:" + datasets.get(0).did());
    assertThat(dataset.severity()).isEqualTo(Severity.ERROR);
    assertThat(dataset.items()).singleElement().satisfies(item -> {
      assertThat(item).containsEntry("kind", "lost").containsEntry("did", lost.did())
          .containsEntry("pfn", simulator.pfn(lost));
    });
    assertThat(dataset.counts()).containsEntry("lost", 1L).containsEntry("missing_ingest", 0L);
    VerificationReport runAfterLoss = report(afterLoss, "run:" + SyntheticRaws.RUN);
    assertThat(runAfterLoss.items()).singleElement().satisfies(item ->
        assertThat(item).containsEntry("kind", "lost").containsEntry("uri", simulator.pfn(lost)));
    assertThat(problems(afterLoss, Checks.RUCIO_REGISTRY)).hasSize(2);

    // A registered raw whose dataset is gone from the registry while its replica is AVAILABLE: a missing ingest.
    Catalogue.SimFile dropped = simulator.catalogue().filesOf(datasets.get(1)).stream()
        .filter(f -> f.name().endsWith(".fits")).findFirst().orElseThrow();
    registry.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset WHERE id = (SELECT dataset_id FROM"
          + " file_datastore_records WHERE path = ?)")) {
        ps.setString(1, simulator.pfn(dropped));
        return ps.executeUpdate();
      }
    });
    List<VerificationReport> afterDrop = verify();
    VerificationReport missing = report(afterDrop, "rucio-dataset:" + datasets.get(1).did());
    assertThat(missing.items()).singleElement().satisfies(item -> assertThat(item)
        .containsEntry("kind", "missing-ingest").containsEntry("did", dropped.did())
        .containsEntry("reason", "ingested, but its dataset is no longer in the registry"));
    assertThat(problems(afterDrop, Checks.RUCIO_REGISTRY)).extracting(VerificationReport::subject)
        .containsExactlyInAnyOrder("rucio-dataset:" + datasets.get(0).did(), "rucio-dataset:" + datasets.get(1).did(),
            "run:" + SyntheticRaws.RUN);

    // The watcher gone: one outage report replaces the per-dataset ones, nothing is reported lost.
    RucioCampaignResource.stopWatcher();
    List<VerificationReport> outage = verify().stream().filter(r -> r.check().equals(Checks.RUCIO_REGISTRY)).toList();
    assertThat(outage).singleElement().satisfies(r -> {
      assertThat(r.subject()).isEqualTo("rse:" + RSE);
      assertThat(r.severity()).isEqualTo(Severity.OUTAGE);
      assertThat(r.summary()).contains("Rucio cannot be read through the watcher");
      assertThat(r.items()).isEmpty();
    });
  }

  /**
   * The campaign ingested as ingest-service ingests it: the raws through the raw ingest engine with their PFNs, the
   * replica events recorded in the ledger and settled (raws with their dataset, {@code _index.json} consumed).
   */
  private Registry ingest(RucioSimulator simulator) throws Exception {
    indexSchema.ensure();
    RegistryMigrations.migrateRegistry(dataSource, REPO);
    repositories.add(new Repository(REPO, REPO, DatabaseUrl.parse(jdbcUrl).display(), REPO,
        "file:///var/tmp/" + REPO, null), "registry: {namespace: " + REPO + "}");
    Registry registry = new Registry(dataSource, REPO);
    Instruments.LSST_COM_CAM.register(registry);
    List<RawIngester.RawFile> raws = new ArrayList<>();
    List<ReplicaEvent> events = new ArrayList<>();
    List<ReplicaLedger.Settlement> settlements = new ArrayList<>();
    for (Catalogue.SimDataset dataset : simulator.catalogue().datasets(d -> true)) {
      for (Catalogue.SimFile file : simulator.catalogue().filesOf(dataset)) {
        String fileName = file.name().substring(file.name().lastIndexOf('/') + 1);
        Path local = RucioCampaignResource.rse.resolve(file.scope()).resolve(file.name());
        long bytes = java.nio.file.Files.size(local);
        events.add(new ReplicaEvent(file.scope(), file.name(), RSE, simulator.pfn(file), bytes, file.adler32(),
            dataset.scope(), dataset.name(), "raw_file", null, "poll", Instant.now()));
        ReplicaLedger.Key key = new ReplicaLedger.Key(file.scope(), file.name(), RSE);
        if (fileName.equals(IndexFile.NAME)) {
          settlements.add(new ReplicaLedger.Settlement(key, ReplicaLedger.State.INGESTED, "index", null));
          continue;
        }
        ObservationInfo info = observation(fileName);
        raws.add(new RawIngester.RawFile(simulator.pfn(file), bytes, file.adler32(), info));
        UUID id = DatasetIds.forRun("raw", SyntheticRaws.RUN, RawTranslation.dataId(info));
        settlements.add(new ReplicaLedger.Settlement(key, ReplicaLedger.State.INGESTED, null, id));
      }
    }
    RawIngester.Result result = new RawIngester().ingest(registry, raws, RawIngester.Options.defaults());
    assertThat(result.datasets()).isEqualTo(RucioCampaignResource.RAWS);
    ledger.record(events);
    ledger.settle(settlements);
    return registry;
  }

  private static ObservationInfo observation(String fileName) {
    return RucioCampaignResource.campaign.folders().stream().map(f -> f.raws().get(fileName))
        .filter(java.util.Objects::nonNull).findFirst()
        .orElseThrow(() -> new AssertionError("no metadata for " + fileName));
  }

  private List<VerificationReport> verify() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(REPO + "/verify?checksums=all"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readValue(response.body(), new TypeReference<>() { });
  }

  private static VerificationReport report(List<VerificationReport> reports, String subject) {
    return reports.stream().filter(r -> r.check().equals(Checks.RUCIO_REGISTRY) && r.subject().equals(subject))
        .findFirst().orElseThrow(() -> new AssertionError("no Rucio report " + subject));
  }

  private static List<VerificationReport> problems(List<VerificationReport> reports, String check) {
    return reports.stream().filter(r -> r.check().equals(check) && r.severity().isProblem()).toList();
  }
}
