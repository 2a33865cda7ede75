package io.autobutler.catalog.campaign;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The campaign catalog-service converges, and how often. */
@ConfigMapping(prefix = "autobutler.catalog")
public interface CampaignConfig {

  /**
   * The campaign manifest (YAML). With one, catalog-service creates its repository, sets it up and converges its
   * chains and tagged selections; without one it only serves REST, as before.
   */
  Optional<String> manifest();

  /**
   * The least time between two convergence passes triggered by {@code butler.ingested} summaries: the summaries that
   * arrive meanwhile are gathered into the next pass.
   */
  @WithDefault("10s")
  Duration convergeSpacing();

  /** How often a full pass (every tagged selection queried whole) runs besides the one at start-up; 0 = never. */
  @WithDefault("10m")
  Duration fullPassInterval();
}
