package io.autobutler.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The simulator as a Quarkus app: its routes on Quarkus' HTTP server, its catalogue from the configuration. */
@ApplicationScoped
public class SimulatorApp {

  private static final Logger LOG = Logger.getLogger(SimulatorApp.class);

  /** Configuration under {@code simulator.}; every key has an environment variable (SIMULATOR_RSE, …). */
  @ConfigMapping(prefix = "simulator")
  public interface Config {
    @WithDefault("IN2P3_RAW_DISK")
    String rse();

    @WithDefault("autobutler")
    String account();

    @WithDefault("autobutler")
    String username();

    @WithDefault("secret")
    String password();

    @WithDefault("PT1H")
    Duration tokenLifetime();

    @WithDefault("/pnfs/in2p3.fr/lsst/instrument/")
    String pfnPrefix();

    /** The address clients reach this server at; default http://127.0.0.1:&lt;quarkus.http.port&gt;. */
    Optional<String> baseUrl();

    /** Scopes that exist even while empty. */
    @WithDefault("raw,ancillary,refcats")
    List<String> scopes();

    Kafka kafka();

    Catalogue catalogue();

    interface Kafka {
      /** Where Hermes messages go; none when unset. */
      Optional<String> bootstrapServers();
    }

    interface Catalogue {
      /** A directory tree to serve: scope folders, dataset folders, files. */
      Optional<Path> directory();

      /** A catalogue listing to serve (JSON lines; see {@link io.autobutler.simulator.Catalogue#addListing}). */
      Optional<Path> listing();

      /** A generated campaign at start: this many datasets of {@link #filesPerDataset()} files, in scope raw. */
      @WithDefault("0")
      int datasets();

      @WithDefault("9")
      int filesPerDataset();

      @WithDefault("1024")
      int fileBytes();
    }
  }

  private RucioSimulator simulator;

  void routes(@Observes Router router, Vertx vertx, Config config,
              @ConfigProperty(name = "quarkus.http.port") int port) {
    RucioSimulator.Settings settings = new RucioSimulator.Settings(config.rse(), config.account(), config.username(),
        config.password(), config.tokenLifetime(), config.pfnPrefix(), config.kafka().bootstrapServers().orElse(null),
        new HashSet<>(config.scopes()));
    simulator = new RucioSimulator(vertx, settings, config.baseUrl().orElse("http://127.0.0.1:" + port));
    simulator.install(router);
    config.catalogue().directory().ifPresent(dir -> LOG.infof("catalogue from %s: %s", dir,
        simulator.catalogue().addDirectory(dir)));
    config.catalogue().listing().ifPresent(listing -> LOG.infof("catalogue from %s: %s", listing,
        simulator.catalogue().addListing(listing)));
    if (config.catalogue().datasets() > 0) {
      LOG.infof("generated campaign: %s", simulator.catalogue().generate("raw", "Dataset/LSSTComCam/raw/",
          config.catalogue().datasets(), config.catalogue().filesPerDataset(), config.catalogue().fileBytes()));
    }
    LOG.infof("Rucio simulator for RSE %s at %s (Hermes: %s)", settings.rse(), simulator.baseUrl(),
        settings.kafkaBootstrap() == null ? "off" : settings.kafkaBootstrap());
  }

  void stop(@Observes ShutdownEvent event) {
    if (simulator != null) {
      simulator.close();
    }
  }
}
