package io.autobutler.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.testsupport.KafkaBroker;
import io.autobutler.testsupport.PostgresResource;

/**
 * A database of the test's own, the real Kafka broker, and a small ComCam campaign on disk with the manifest that
 * declares it, configured as the verifier's: raws of complete exposures (no detector missing) under
 * {@code data/raws/}, the managed root {@code data/}; chains, a tagged selection of the science raws, the raw count
 * and the calibrations (bias, flat) every science exposure needs. Events trigger runs 10 s apart; no schedule.
 */
public class VerifierCampaignResource extends PostgresResource {

  static final String REPOSITORY = "verify_campaign";
  /** Science and other raws both multiples of 9 (RTN-103's science share of 279 is 36): every exposure can be whole. */
  static final int RAWS = 279;
  static Path data;
  static SyntheticRaws.IndexedCampaign campaign;

  static final String MANIFEST = """
      manifest-version: 1
      name: verify-test
      repository:
        name: verify_campaign
        seed: {registry: {db: 'postgresql://127.0.0.1:5432/unused', namespace: verify_campaign}}
      rucio: {rse: TEST_RAW_DISK, scopes: [raw]}
      rules:
        - name: comcam-raws
          match: {scope: raw, dataset: 'Dataset/LSSTComCam/raw/*'}
          action: ingest-raws
          instrument: LSSTComCam
      chains:
        - name: LSSTComCam/defaults
          children: [LSSTComCam/raw/science, LSSTComCam/calib]
        - name: LSSTComCam/calib
          children: [LSSTComCam/calib/test]
      tagged:
        - name: LSSTComCam/raw/science
          dataset-type: raw
          collections: [LSSTComCam/raw/all]
          where: exposure.observation_type = 'science'
      expectations:
        detectors-per-exposure: {LSSTComCam: 9}
        counts:
          - {name: raws, dataset-type: raw, collections: [LSSTComCam/raw/all], count: %d}
        calibrations:
          selection: LSSTComCam/raw/science
          collection: LSSTComCam/calib
          dataset-types: [bias, flat]
      """;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    try {
      data = Files.createTempDirectory("verifier-campaign");
      campaign = SyntheticRaws.writeWhole(RAWS, 2, data.resolve("raws"));
      Path manifest = Files.writeString(data.resolveSibling(data.getFileName() + "-manifest.yaml"),
          MANIFEST.formatted(campaign.raws()));
      config.put("autobutler.verifier.manifest", manifest.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaBroker.createTopics(io.autobutler.core.event.Topics.all());
    config.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
    config.put("autobutler.verifier.storage.managed-roots", root());
    config.put("autobutler.verifier.schedule", "0s");
    config.put("autobutler.verifier.spacing", "10s");
    config.put("autobutler.verifier.storage.checksum-sample", "0");
    config.put("autobutler.verifier.max-items", "50");
    return config;
  }

  /** The managed root, as a {@code file:///…/} URI. */
  static String root() {
    String uri = DatastoreFiles.text(data.toAbsolutePath().toUri());
    return uri.endsWith("/") ? uri : uri + "/";
  }
}
