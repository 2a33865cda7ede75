package io.autobutler.catalog.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may change the registry: writes need {@code Authorization: Bearer <write-token>}. */
@ConfigMapping(prefix = "autobutler.auth")
public interface AuthConfig {

  /** The bearer token that write requests must carry (env AUTOBUTLER_AUTH_WRITE_TOKEN). Without it, writes are refused. */
  Optional<String> writeToken();

  /** Whether reads need the token too; by default they are open. */
  @WithDefault("false")
  boolean protectReads();
}
