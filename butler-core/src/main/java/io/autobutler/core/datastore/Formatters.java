package io.autobutler.core.datastore;

import java.util.Map;
import java.util.Optional;

import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;

/**
 * The formatter a file datastore record names when the file came without one: the one place that says which. A
 * {@code raw} of an instrument autobutler knows gets the instrument's raw formatter (what ingest-raws records, so
 * that raws are recorded alike whichever way they arrived); any other dataset the formatter daf_butler's datastore
 * configuration gives its storage class ({@code configs/datastores/formatters.yaml}); an unknown storage class none.
 */
public final class Formatters {

  /** The storage classes autobutler's campaigns hold, with daf_butler's formatter for each. */
  private static final Map<String, String> BY_STORAGE_CLASS = Map.ofEntries(
      Map.entry("SimpleCatalog", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("Catalog", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("SourceCatalog", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("ExposureCatalog", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("Camera", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("Defects", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("IsrCalib", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("Linearizer", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("CrosstalkCalib", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("PhotonTransferCurveDataset", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("BrighterFatterKernel", "lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter"),
      Map.entry("Exposure", "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter"),
      Map.entry("ExposureF", "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter"),
      Map.entry("ExposureI", "lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter"),
      Map.entry("ImageF", "lsst.obs.base.formatters.fitsExposure.FitsImageFormatter"),
      Map.entry("MaskX", "lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter"),
      Map.entry("DataFrame", "lsst.daf.butler.formatters.parquet.ParquetFormatter"),
      Map.entry("ArrowAstropy", "lsst.daf.butler.formatters.parquet.ParquetFormatter"),
      Map.entry("ArrowTable", "lsst.daf.butler.formatters.parquet.ParquetFormatter"),
      Map.entry("SkyMap", "lsst.daf.butler.formatters.pickle.PickleFormatter"),
      Map.entry("NumpyArray", "lsst.daf.butler.formatters.pickle.PickleFormatter"),
      Map.entry("StructuredDataDict", "lsst.daf.butler.formatters.yaml.YamlFormatter"),
      Map.entry("TaskMetadata", "lsst.daf.butler.formatters.json.JsonFormatter"),
      Map.entry("Config", "lsst.pipe.base.formatters.pexConfig.PexConfigFormatter"));

  /** The dataset type ingest-raws writes, whose formatter is the instrument's. */
  private static final String RAW = "raw";

  private Formatters() {
  }

  /** daf_butler's formatter for a storage class, if autobutler knows it. */
  public static Optional<String> forStorageClass(String storageClass) {
    return Optional.ofNullable(storageClass == null ? null : BY_STORAGE_CLASS.get(storageClass));
  }

  /**
   * The formatter of a dataset's file: the instrument's raw formatter for a {@code raw}, else the storage class's.
   *
   * @param instrument the data ID's instrument, or null
   */
  public static Optional<String> forDataset(String datasetType, String storageClass, String instrument) {
    if (RAW.equals(datasetType) && instrument != null) {
      Optional<String> raw = Instruments.lookup(instrument).map(InstrumentDefinition::rawFormatter);
      if (raw.isPresent()) {
        return raw;
      }
    }
    return forStorageClass(storageClass);
  }
}
