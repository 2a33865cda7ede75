package io.autobutler.ingest.pipeline;

import java.util.Map;

/**
 * The pipeline tests' campaign ({@code src/test/resources/pipeline-campaign}): ComCam raws with visits, Rubin
 * sidecars and butler zips; progress and sweeps every second, batches given up after three attempts.
 */
public class ManifestResource extends ManifestFileResource {

  static final String CAMPAIGN = "pipeline-campaign";
  static final String REPOSITORY = "pipeline";

  public ManifestResource() {
    super(CAMPAIGN, Map.of("autobutler.ingest.progress-interval", "1s", "autobutler.ingest.sweep-interval", "1s",
        "autobutler.ingest.poison-attempts", "3"));
  }
}
