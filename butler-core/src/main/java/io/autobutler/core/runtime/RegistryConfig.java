package io.autobutler.core.runtime;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the services keep what they share: the index schema, registry credentials, new repositories' roots. */
@ConfigMapping(prefix = "autobutler.registry")
public interface RegistryConfig {

  /** The schema, in the services' own database, that lists repositories and recorded replicas. */
  @WithDefault("autobutler")
  String indexSchema();

  /**
   * A butler-style db-auth file (YAML list of url/username/password) for registry databases other than the
   * services' own. When unset, {@code LSST_DB_AUTH} is used if set.
   */
  Optional<String> dbAuthFile();

  /**
   * Where a repository's datastore lives when {@code create} runs without {@code --override}: this URI joined
   * with the repository's name, as the butler puts the datastore at the repository's root.
   */
  @WithDefault("file:///var/lib/autobutler/repositories")
  String repositoryRoot();
}
