package io.autobutler.catalog.service;

import static io.autobutler.core.registry.RegistryException.Kind.INVALID_ARGUMENT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.autobutler.core.instrument.CuratedCalibrations;
import io.autobutler.core.instrument.CuratedCalibrations.CuratedDataset;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.registry.datasets.DatasetManager.NewDataset;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.skymap.SkyMapConfig;
import io.autobutler.core.skymap.SkyMapDefinition;
import io.autobutler.core.skymap.TractPatchLoader;

/**
 * {@code register-instrument}, {@code register-skymap} and {@code write-curated-calibrations}: each one transaction,
 * with the records obs_lsst, lsst/skymap and obs_base write (for a skymap: the skymap record, every tract and patch
 * record with its region, loaded in bulk). Dimension records are synced (a differing existing
 * record is a conflict). Datasets the butler would {@code put} get deterministic ids here (UUIDv5 of type, run and
 * data ID) so that running a command again changes nothing; their file contents are not produced.
 */
@ApplicationScoped
public class InstrumentService {

  private static final Logger LOG = Logger.getLogger(InstrumentService.class);

  private final RegistryLookup registries;

  public InstrumentService(RegistryLookup registries) {
    this.registries = registries;
  }

  /** What a command wrote, for the answer and the CLI's output. */
  public record Outcome(String summary, List<String> collections, int records, int datasets) {
  }

  public Outcome registerInstrument(String repo, String instrumentName) {
    InstrumentDefinition instrument = instrument(instrumentName);
    int records = instrument.register(registries.registry(repo));
    return new Outcome("Instrument " + instrument.name() + " registered: " + instrument.detectors().size()
        + " detectors, " + instrument.filters().size() + " physical filters (" + records + " new records)",
        List.of(), records, 0);
  }

  public Outcome registerSkymap(String repo, String configText, String source) {
    SkyMapConfig config;
    SkyMapDefinition definition;
    Map<String, Object> record;
    try {
      config = SkyMapConfig.parse(configText, source == null ? "skymap config" : source);
      definition = config.definition();
      record = config.skymapRecord();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Registry registry = registries.registry(repo);
    Map<String, Object> dataId = Map.of("skymap", config.name());
    long start = System.nanoTime();
    SkymapWrite written = registry.transaction(c -> {
      int inserted = registry.dimensions().insert(c, "skymap", List.of(record), Mode.SYNC);
      TractPatchLoader.Loaded regions = TractPatchLoader.load(c, definition);
      registry.collections().register(c, SkyMapConfig.run(), CollectionType.RUN, null);
      registry.datasetTypes().register(c, SkyMapConfig.DATASET_TYPE, SkyMapConfig.STORAGE_CLASS, List.of("skymap"),
          false);
      // No datastore record: the butler pickles its SkyMap object there, which autobutler cannot write, and a record
      // must not point at a file that does not exist.
      var result = registry.datasets().insert(c, registry.datasetTypes().get(c, SkyMapConfig.DATASET_TYPE),
          registry.collections().get(c, SkyMapConfig.run()), List.of(new NewDataset(
              DatasetIds.forRun(SkyMapConfig.DATASET_TYPE, SkyMapConfig.run(), dataId), dataId, null)));
      return new SkymapWrite(inserted, regions, result.inserted());
    });
    if (!written.regions().nothing()) {
      registry.analyze(List.of("tract", "patch"));
      LOG.infof("repository %s: skymap %s, %d tract and %d patch records written in %.1f s", repo, config.name(),
          written.regions().tracts(), written.regions().patches(), (System.nanoTime() - start) / 1e9);
    }
    String summary = "Skymap " + config.name() + " registered: " + record.get("tract_max") + " tracts of "
        + record.get("patch_nx_max") + "x" + record.get("patch_ny_max") + " patches, hash " + config.sha1Hex();
    if (written.skymaps() == 0) {
      summary += " (already registered" + (written.regions().nothing() ? ")"
          : "; " + describe(written.regions()) + " added)");
    } else {
      summary += "; " + describe(written.regions()) + " written";
    }
    long records = written.skymaps() + written.regions().tracts() + written.regions().patches();
    return new Outcome(summary, List.of(SkyMapConfig.run()), Math.toIntExact(records), written.datasets());
  }

  /** What one register-skymap transaction inserted. */
  private record SkymapWrite(int skymaps, TractPatchLoader.Loaded regions, int datasets) {
  }

  private static String describe(TractPatchLoader.Loaded regions) {
    return regions.tracts() + " tract and " + regions.patches() + " patch records";
  }

  public Outcome writeCuratedCalibrations(String repo, String instrumentName, List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      throw new RegistryException(INVALID_ARGUMENT, "write-curated-calibrations needs at least one --label");
    }
    InstrumentDefinition instrument = instrument(instrumentName);
    CuratedCalibrations.Plan plan = CuratedCalibrations.plan(instrument, labels.toArray(String[]::new));
    Registry registry = registries.registry(repo);
    int written = registry.transaction(c -> {
      var collections = registry.collections();
      collections.register(c, plan.calibrationCollection(), CollectionType.CALIBRATION, null);
      for (String run : plan.runs()) {
        collections.register(c, run, CollectionType.RUN, null);
      }
      for (var type : plan.datasetTypes()) {
        registry.datasetTypes().register(c, type.name(), type.storageClass(), type.dimensions(), type.isCalibration());
      }
      int inserted = 0;
      for (String run : plan.runs()) {
        for (var type : plan.datasetTypes()) {
          List<NewDataset> datasets = new ArrayList<>();
          for (CuratedDataset dataset : plan.datasets(type.name())) {
            if (dataset.run().equals(run)) {
              // Registered and certified without a datastore record: the butler writes the camera geometry and
              // the curated ISR calibrations as FITS from obs_lsst_data, which autobutler cannot produce, and a
              // record must not point at a file that does not exist.
              datasets.add(new NewDataset(DatasetIds.forRun(type.name(), run, dataset.dataId()), dataset.dataId(),
                  null));
            }
          }
          if (!datasets.isEmpty()) {
            inserted += registry.datasets().insert(c, registry.datasetTypes().get(c, type.name()),
                collections.get(c, run), datasets).inserted();
          }
        }
      }
      if (inserted > 0) {
        var calibration = collections.get(c, plan.calibrationCollection());
        for (var group : plan.certificationGroups().entrySet()) {
          registry.datasets().certify(c, calibration, group.getValue().stream()
                  .map(d -> DatasetIds.forRun(d.datasetType().name(), d.run(), d.dataId())).toList(),
              group.getKey().beginNsec(), group.getKey().endNsec());
        }
      }
      return inserted;
    });
    List<String> collections = new ArrayList<>();
    collections.add(plan.calibrationCollection());
    collections.addAll(plan.runs());
    return new Outcome("Curated calibrations of " + instrument.name() + " written to " + plan.calibrationCollection()
        + ": " + plan.datasets().size() + " datasets of " + plan.datasetTypes().size() + " dataset types"
        + (written == 0 ? " (already written)" : ""), collections, 0, written);
  }

  private static InstrumentDefinition instrument(String name) {
    return Instruments.lookup(name).orElseThrow(() -> new RegistryException(INVALID_ARGUMENT, "Unknown instrument '"
        + name + "'; known: lsst.obs.lsst.LsstComCam, lsst.obs.lsst.LsstCam"));
  }
}
