package io.autobutler.core.campaign;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.autobutler.core.datastore.Formatters;
import io.autobutler.core.dimensions.DimensionGroup;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.ingest.RawTranslation;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.sidecar.SidecarRef;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.UnitVector3d;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import io.autobutler.core.transfer.CalibrationAssociationsBlock;
import io.autobutler.core.transfer.CollectionBlock;
import io.autobutler.core.transfer.DatasetBlock;
import io.autobutler.core.transfer.DatasetRefData;
import io.autobutler.core.transfer.DatasetTypeBlock;
import io.autobutler.core.transfer.DimensionBlock;
import io.autobutler.core.transfer.DimensionRecordData;
import io.autobutler.core.transfer.ExportBlock;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.ExportFileWriter;
import io.autobutler.core.transfer.FileDatasetData;
import io.autobutler.core.transfer.Region;
import io.autobutler.core.transfer.ValidityRange;

/**
 * RTN-103's LSSTComCam campaign, synthetic, at any scale: what the Rucio datasets RTN-103 names hold at the RSE, and
 * the files its procedure reads beside them, written under one folder.
 * <ul>
 *   <li>{@code rse/<scope>/<name>}: every file of the campaign's Rucio datasets, by Rucio scope and name (a Rucio PFN
 *       is the RSE's prefix, then scope/name): the raws, one small placeholder file per detector with an
 *       {@code _index.json} per exposure folder ({@link SyntheticRaws}), in {@code raw:Dataset/LSSTComCam/raw/<night>};
 *       each calibration ticket's files in {@code ancillary:Dataset/LSSTComCam/dstyps/<ticket>}; the reference-catalog
 *       shards in {@code raw:Dataset/refcats/the_monster_20240904} and the fourteen
 *       {@code raw:Dataset/refcats/the_monster_20240219_<n>}; the pretrained model, the FGCM look-up table and the
 *       Solar System objects in their ancillary datasets;</li>
 *   <li>beside them, under the names RTN-103's campaign manifest uses: an export file per calibration ticket
 *       ({@code calibration-exports/<ticket>/export.yaml}), whose bias, dark and flat (every filter) validity ranges
 *       cover every exposure of the campaign; the models', FGCM and SSO export files; the refcat tables
 *       ({@code the_monster_<version>.ecsv});</li>
 *   <li>{@code rucio-catalogue.jsonl}: the Rucio catalogue the Rucio simulator loads, one JSON line per file
 *       ({@code scope}, {@code name}, {@code dataset}, {@code file} relative to the folder, {@code meta}) in landing
 *       order: calibrations, models, FGCM, SSO and refcats first, then the raws night by night;</li>
 *   <li>{@code campaign.json}: the {@link Summary}, written last.</li>
 * </ul>
 * Files carry Rubin's metadata where RTN-103's flow gives them some: raws ({@code raw_file}) and the data products
 * registered with {@code rucio-register data-products} ({@code data_product}) their DatasetRef as
 * {@code rubin_sidecar}; index files and refcat shards none. Paths, names and ids do not depend on where the files
 * are served from. Deterministic: a scale always gives the same files.
 */
public final class CampaignGenerator {

  /** The format of {@code campaign.json} and of what is generated; a folder of another version is generated anew. */
  public static final int VERSION = 1;
  public static final long SEED = 20241024L;
  /** The folder of the RSE's files, by Rucio scope and name. */
  public static final String RSE = "rse";
  public static final String CATALOGUE = "rucio-catalogue.jsonl";
  public static final String SUMMARY = "campaign.json";

  public static final String RAW_SCOPE = "raw";
  public static final String ANCILLARY_SCOPE = "ancillary";
  public static final String INSTRUMENT = SyntheticRaws.INSTRUMENT;

  /** RTN-103's RUNs of the datasets not made by its calibration tickets. */
  public static final String REFCAT_2024_RUN = "refcats/DM-46370/the_monster_20240904";
  public static final String REFCAT_2025_RUN = "refcats/DM-49042/the_monster_20250219";
  public static final String MODELS_RUN = "pretrained_models/tac_cnn_comcam_2025-02-18";
  public static final String FGCM_RUN = "LSSTComCam/calib/fgcmcal/DM-48089";
  /** The SSO RUN: RTN-103's user collection {@code u/<user>/dp1_ephem_2}, under a neutral user name. */
  public static final String SSO_RUN = "u/sso/dp1_ephem_2";
  /** How many Rucio datasets hold the 2025 refcat (RTN-103: the_monster_20240219_1 … _14). */
  public static final int REFCAT_2025_DATASETS = 14;

  private static final InstrumentDefinition COMCAM = Instruments.LSST_COM_CAM;
  private static final DimensionUniverse UNIVERSE = DimensionUniverse.v7();
  private static final List<String> FILTERS = SyntheticRaws.FILTERS;
  private static final LocalDate FIRST_NIGHT = SyntheticRaws.firstNight();
  private static final TaiTime FAR_END = TaiTime.fromUtc(LocalDateTime.of(2050, 1, 1, 0, 0));
  /** The first htm7 shard of the refcats: a block of neighbouring trixels, as a survey field's shards are. */
  private static final long FIRST_SHARD = 146_812L;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper LINES = new ObjectMapper();

  /** The two scales {@code ./autobutler demo} runs: RTN-103's campaign, and a thirty-second of it. */
  public enum Scale {
    SMALL(4_651, 2),
    FULL(SyntheticRaws.RTN103_RAWS, 16);

    private final int raws;
    private final int shardsPerDataset;

    Scale(int raws, int shardsPerDataset) {
      this.raws = raws;
      this.shardsPerDataset = shardsPerDataset;
    }

    public int raws() {
      return raws;
    }

    public int scienceRaws() {
      return SyntheticRaws.scienceRawsOf(raws);
    }

    /** Shards per Rucio dataset of the 2025 refcat; the 2024 one has as many in its one dataset. */
    public int shardsPerDataset() {
      return shardsPerDataset;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code small} or {@code full}. */
    public static Scale parse(String label) {
      for (Scale scale : values()) {
        if (scale.label().equals(label)) {
          return scale;
        }
      }
      throw new IllegalArgumentException("scale '" + label + "' is not one of small, full");
    }
  }

  /**
   * What was generated.
   *
   * @param datasetsByRun how many datasets each RUN receives once the campaign is ingested (the setup's curated
   *                      calibrations and skymap apart)
   * @param rucioDatasets the Rucio datasets, by DID, with their file counts
   */
  public record Summary(int version, String scale, long seed, int raws, int scienceRaws, int exposures,
                        int files, Map<String, Integer> rucioDatasets, Map<String, Integer> datasetsByRun) {
  }

  /** How a calibration ticket's certifications are bounded. */
  private enum Validity {
    /** From the campaign's first night on: the ticket's calibrations apply to every exposure. */
    WHOLE_CAMPAIGN,
    /** From the day of its label (e.g. {@code 20241107a}) on: exposures before it are covered by other tickets. */
    FROM_LABEL_DAY,
    /** Unbounded both ways. */
    UNBOUNDED
  }

  /**
   * A calibration ticket as RTN-103's {@code LSSTComCam/calib} chain holds it: CALIBRATION collections
   * {@code LSSTComCam/calib/<ticket>/<step>/<name>.<label>} in the order of its own chain, a RUN
   * {@code …/<step>/run}. A collection name is a calibration type, {@code flat-<band>} or {@code flat-all}.
   */
  private record Ticket(String name, String step, String label, List<String> collections, Validity validity) {

    String prefix() {
      return INSTRUMENT + "/calib/" + name + "/" + step + "/";
    }

    String run() {
      return prefix() + "run";
    }

    LocalDate labelDay() {
      return LocalDate.parse(label.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
    }
  }

  /** RTN-103's tickets, in the order of the {@code LSSTComCam/calib} chain. */
  private static final List<Ticket> TICKETS = List.of(
      new Ticket("DM-48955", "illumCorr", "20250224a", List.of("illuminationCorrection"), Validity.WHOLE_CAMPAIGN),
      new Ticket("DM-48520", "DP1", "20250207a", List.of("flat-y", "flat-z", "flat-i", "flat-r", "flat-g", "flat-u",
          "dark", "bias", "cti", "defects"), Validity.WHOLE_CAMPAIGN),
      new Ticket("DM-47365", "addManualDefects", "20241211a", List.of("defects"), Validity.WHOLE_CAMPAIGN),
      new Ticket("DM-47741", "twiflat", "20241120a", List.of("flat-y"), Validity.FROM_LABEL_DAY),
      new Ticket("DM-47547", "twiflat", "20241113a", List.of("flat-z", "flat-r", "flat-g"), Validity.FROM_LABEL_DAY),
      new Ticket("DM-47499", "twiflat", "20241110a", List.of("flat-u"), Validity.FROM_LABEL_DAY),
      new Ticket("DM-47447", "gainFixup", "20241107a", List.of("flat-g", "flat-i", "flat-r", "dark", "bias", "ptc"),
          Validity.FROM_LABEL_DAY),
      new Ticket("DM-47197", "pseudoFlat", "20241028d", List.of("flat-r", "flat-i"), Validity.FROM_LABEL_DAY),
      new Ticket("DM-46360", "isrTaskLSST", "20240926a", List.of("flat-i", "flat-r", "flat-g", "dark", "bias", "bfk",
          "ptc", "linearizer", "defects"), Validity.UNBOUNDED),
      new Ticket("DM-47498", "fallbackFlats", "20241112a", List.of("flat-all"), Validity.UNBOUNDED));

  /** A calibration dataset type: its storage class and whether it is per physical filter. */
  private record CalibrationType(String storageClass, boolean perFilter) {
  }

  private static final Map<String, CalibrationType> CALIBRATION_TYPES = Map.of(
      "bias", new CalibrationType("ExposureF", false),
      "dark", new CalibrationType("ExposureF", false),
      "flat", new CalibrationType("ExposureF", true),
      "illuminationCorrection", new CalibrationType("ExposureF", true),
      "defects", new CalibrationType("Defects", false),
      "ptc", new CalibrationType("PhotonTransferCurveDataset", false),
      "bfk", new CalibrationType("BrighterFatterKernel", false),
      "linearizer", new CalibrationType("Linearizer", false),
      "cti", new CalibrationType("IsrCalib", false));

  private CampaignGenerator() {
  }

  /** The export-file names of the calibration tickets, in the order of RTN-103's {@code LSSTComCam/calib} chain. */
  public static List<String> tickets() {
    return TICKETS.stream().map(Ticket::name).toList();
  }

  /** A ticket's export file, relative to the campaign folder (the manifest's {@code calibration-exports/{dataset}…}). */
  public static String ticketExportFile(String ticket) {
    return "calibration-exports/" + ticket + "/export.yaml";
  }

  public static final String MODELS_EXPORT_FILE = "pretrained-models-export.yaml";
  public static final String FGCM_EXPORT_FILE = "DM-48089-fgcmLookupTable-export.yaml";
  public static final String SSO_EXPORT_FILE = "DM-49977-sso-export.yaml";
  public static final String REFCAT_2024_TABLE = "the_monster_20240904.ecsv";
  public static final String REFCAT_2025_TABLE = "the_monster_20250219.ecsv";

  /** The summary of the campaign generated in {@code root}, if one was generated completely there. */
  public static Optional<Summary> read(Path root) {
    Path file = root.resolve(SUMMARY);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Summary.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes the campaign of {@code scale} into {@code root}, which must be empty or absent.
   *
   * @return what was written; also in {@code campaign.json}, written last
   */
  public static Summary write(Scale scale, Path root) throws IOException {
    Files.createDirectories(root);
    try (var entries = Files.list(root)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("the campaign folder " + root + " is not empty");
      }
    }
    Writer writer = new Writer(root);
    try (BufferedWriter catalogue = Files.newBufferedWriter(root.resolve(CATALOGUE), StandardCharsets.UTF_8)) {
      writer.catalogue = catalogue;
      for (Ticket ticket : TICKETS) {
        writer.ticket(ticket);
      }
      writer.models();
      writer.fgcm();
      writer.sso();
      writer.refcats(scale.shardsPerDataset());
      SyntheticRaws.IndexedCampaign raws = writer.raws(scale.raws());
      Summary summary = new Summary(VERSION, scale.label(), SEED, raws.raws(), raws.scienceRaws(),
          raws.exposures(), writer.files, writer.rucioDatasets, writer.datasetsByRun);
      catalogue.flush();
      JSON.writeValue(root.resolve(SUMMARY).toFile(), summary);
      return summary;
    }
  }

  /** Writes the files and catalogue lines, and counts what it wrote. */
  private static final class Writer {
    private final Path root;
    private BufferedWriter catalogue;
    private int files;
    private final Map<String, Integer> rucioDatasets = new LinkedHashMap<>();
    private final Map<String, Integer> datasetsByRun = new TreeMap<>();

    Writer(Path root) {
      this.root = root;
    }

    // -------------------------------------------------------------------------------------------- raws

    SyntheticRaws.IndexedCampaign raws(int count) throws IOException {
      // exposure folders named LSSTComCam/<day_obs>/<obs_id>/: the raw scope's names, RTN-103's $DATA/raw/LSSTComCam
      SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.indexed(count, SEED, INSTRUMENT);
      for (SyntheticRaws.ExposureFolder folder : campaign.folders()) {
        String night = folder.uri().split("/")[1];
        String dataset = "Dataset/" + INSTRUMENT + "/raw/" + night;
        for (Map.Entry<String, ObservationInfo> raw : folder.raws().entrySet()) {
          String name = folder.uri() + raw.getKey();
          file(RAW_SCOPE, name, dataset, ("synthetic " + INSTRUMENT + " raw " + raw.getKey() + "\n")
              .getBytes(StandardCharsets.US_ASCII), Map.of("rubin_butler", "raw_file",
              "rubin_sidecar", rawSidecar(raw.getValue()).toJson()));
        }
        file(RAW_SCOPE, folder.uri() + IndexFile.NAME, dataset,
            IndexFile.toJson(folder.raws()).getBytes(StandardCharsets.UTF_8), Map.of());
      }
      datasetsByRun.put(SyntheticRaws.RUN, campaign.raws());
      return campaign;
    }

    /** The raw's DatasetRef as Rubin registers raws: daf_butler's UUIDv5 id, the full data ID. */
    private static SidecarRef rawSidecar(ObservationInfo info) {
      Map<String, Object> required = RawTranslation.dataId(info);
      Map<String, Object> exposure = RawTranslation.exposureRecord(info);
      Map<String, Object> dataId = new LinkedHashMap<>(required);
      String filter = (String) exposure.get("physical_filter");
      dataId.put("band", COMCAM.filter(filter).orElseThrow().band());
      dataId.put("day_obs", exposure.get("day_obs"));
      dataId.put("group", exposure.get("group"));
      dataId.put("physical_filter", filter);
      return new SidecarRef(DatasetIds.forRun("raw", SyntheticRaws.RUN, required), "raw", "Exposure",
          List.of("instrument", "detector", "exposure"), false, dataId, SyntheticRaws.RUN);
    }

    // -------------------------------------------------------------------------------------------- calibrations

    void ticket(Ticket ticket) throws IOException {
      Random random = new Random(SEED ^ ticket.name().hashCode());
      List<String> collections = new ArrayList<>();
      // dataset type -> the datasets of the RUN, and collection -> the ids it certifies
      Map<String, List<FileDatasetData>> byType = new TreeMap<>();
      Map<String, List<UUID>> certified = new TreeMap<>();
      List<String> filtersUsed = new ArrayList<>();
      for (String collection : ticket.collections()) {
        String name = ticket.prefix() + collection + "." + ticket.label();
        collections.add(name);
        String type = collection.startsWith("flat-") ? "flat" : collection;
        CalibrationType calibration = CALIBRATION_TYPES.get(type);
        List<String> filters = !calibration.perFilter() ? Collections.singletonList(null)
            : collection.equals("flat-all") || !collection.startsWith("flat-") ? FILTERS
            : List.of(FILTERS.stream().filter(f -> f.startsWith(collection.substring(5) + "_")).findFirst()
                .orElseThrow());
        for (String filter : filters) {
          if (filter != null && !filtersUsed.contains(filter)) {
            filtersUsed.add(filter);
          }
          for (InstrumentDefinition.Detector detector : COMCAM.detectors()) {
            Map<String, Object> dataId = new LinkedHashMap<>();
            dataId.put("instrument", INSTRUMENT);
            dataId.put("detector", (long) detector.id());
            if (filter != null) {
              dataId.put("physical_filter", filter);
            }
            UUID id = randomUuid(random);
            String path = calibrationPath(ticket.run(), type, filter, detector.fullName());
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(new FileDatasetData(
                List.of(new DatasetRefData(id, dataId)), path, Formatters.forStorageClass(calibration.storageClass())
                .orElseThrow()));
            certified.computeIfAbsent(name, c -> new ArrayList<>()).add(id);
            Map<String, Object> sidecarId = new LinkedHashMap<>(dataId);
            if (filter != null) {
              sidecarId.put("band", COMCAM.filter(filter).orElseThrow().band());
            }
            file(ANCILLARY_SCOPE, path, "Dataset/" + INSTRUMENT + "/dstyps/" + ticket.name(),
                ("synthetic " + type + " " + path + "\n").getBytes(StandardCharsets.US_ASCII),
                dataProduct(new SidecarRef(id, type, calibration.storageClass(), dimensions(type).required(), true,
                    sidecarId, ticket.run())));
          }
        }
      }
      List<ExportBlock> blocks = new ArrayList<>(instrumentBlocks(filtersUsed));
      collections.stream().sorted().forEach(c -> blocks.add(CollectionBlock.calibration(c, null)));
      blocks.add(CollectionBlock.run(ticket.run(), null));
      blocks.add(CollectionBlock.chained(INSTRUMENT + "/calib/" + ticket.name(), null, collections));
      for (Map.Entry<String, List<FileDatasetData>> type : byType.entrySet()) {
        blocks.add(new DatasetTypeBlock(type.getKey(), dimensions(type.getKey()).names(),
            CALIBRATION_TYPES.get(type.getKey()).storageClass(), true));
        blocks.add(new DatasetBlock(type.getKey(), ticket.run(), type.getValue()));
        datasetsByRun.merge(ticket.run(), type.getValue().size(), Integer::sum);
      }
      Timespan validity = validity(ticket);
      certified.forEach((collection, ids) -> blocks.add(new CalibrationAssociationsBlock(collection,
          List.of(new ValidityRange(validity, ids)))));
      export(ticketExportFile(ticket.name()), blocks);
    }

    private static Timespan validity(Ticket ticket) {
      return switch (ticket.validity()) {
        case WHOLE_CAMPAIGN -> Timespan.of(midnightUtc(FIRST_NIGHT), FAR_END);
        case FROM_LABEL_DAY -> Timespan.of(midnightUtc(ticket.labelDay()), FAR_END);
        case UNBOUNDED -> Timespan.UNBOUNDED;
      };
    }

    private static TaiTime midnightUtc(LocalDate day) {
      return TaiTime.fromUtc(day.atStartOfDay());
    }

    /** Where daf_butler's file template puts a calibration of a RUN. */
    private static String calibrationPath(String run, String type, String filter, String detector) {
      String runPart = run.replace('/', '_');
      if (filter == null) {
        return run + "/" + type + "/" + type + "_" + INSTRUMENT + "_" + detector + "_" + runPart + ".fits";
      }
      String band = COMCAM.filter(filter).orElseThrow().band();
      return run + "/" + type + "/" + band + "/" + filter + "/" + type + "_" + INSTRUMENT + "_" + band + "_" + filter
          + "_" + detector + "_" + runPart + ".fits";
    }

    private static DimensionGroup dimensions(String calibrationType) {
      return UNIVERSE.group(CALIBRATION_TYPES.get(calibrationType).perFilter()
          ? List.of("instrument", "detector", "physical_filter") : List.of("instrument", "detector"));
    }

    /** The instrument's records as register-instrument writes them: an import of them first changes nothing. */
    private static List<ExportBlock> instrumentBlocks(List<String> filters) {
      List<ExportBlock> blocks = new ArrayList<>();
      blocks.add(new DimensionBlock("instrument", List.of(new DimensionRecordData(COMCAM.instrumentRecord()))));
      blocks.add(new DimensionBlock("detector", COMCAM.detectorRecords().stream().map(DimensionRecordData::new)
          .toList()));
      if (!filters.isEmpty()) {
        blocks.add(new DimensionBlock("physical_filter", COMCAM.physicalFilterRecords().stream()
            .filter(r -> filters.contains((String) r.get("name"))).sorted(Comparator.comparing(
                r -> (String) r.get("name"))).map(DimensionRecordData::new).toList()));
      }
      return blocks;
    }

    // -------------------------------------------------------------------------------------------- models, FGCM

    /** RTN-103's pretrained-models-export.yaml, and the model's file. */
    void models() throws IOException {
      String path = MODELS_RUN + "/pretrainedModelPackage/pretrainedModelPackage_pretrained_models_"
          + "tac_cnn_comcam_2025-02-18.zip";
      UUID id = UUID.fromString("a83d850a-0094-417c-ac9c-64d0f7b98048");
      export(MODELS_EXPORT_FILE, List.of(
          CollectionBlock.run(MODELS_RUN, null),
          new DatasetTypeBlock("pretrainedModelPackage", List.of(), "NNModelPackagePayload", false),
          new DatasetBlock("pretrainedModelPackage", MODELS_RUN, List.of(new FileDatasetData(
              List.of(new DatasetRefData(id, Map.of())), path,
              "lsst.meas.transiNet.modelPackages.formatters.NNModelPackageFormatter")))));
      datasetsByRun.put(MODELS_RUN, 1);
      file(ANCILLARY_SCOPE, path, "Dataset/" + INSTRUMENT + "/dstyps/pretrained-models",
          "synthetic pretrained model package\n".getBytes(StandardCharsets.US_ASCII), dataProduct(new SidecarRef(id,
              "pretrainedModelPackage", "NNModelPackagePayload", List.of(), false, Map.of(), MODELS_RUN)));
    }

    /** RTN-103's DM-48089-fgcmLookupTable-export.yaml, and the table's file. */
    void fgcm() throws IOException {
      String path = FGCM_RUN + "/fgcmLookUpTable/fgcmLookUpTable_LSSTComCam_LSSTComCam_calib_fgcmcal_DM-48089.fits";
      UUID id = UUID.fromString("bb573ca3-6159-45d9-88e3-866e01da4882");
      Map<String, Object> dataId = Map.of("instrument", INSTRUMENT);
      export(FGCM_EXPORT_FILE, List.of(
          new DimensionBlock("instrument", List.of(new DimensionRecordData(COMCAM.instrumentRecord()))),
          CollectionBlock.run(FGCM_RUN, null),
          new DatasetTypeBlock("fgcmLookUpTable", List.of("instrument"), "Catalog", false),
          new DatasetBlock("fgcmLookUpTable", FGCM_RUN, List.of(new FileDatasetData(
              List.of(new DatasetRefData(id, dataId)), path, Formatters.forStorageClass("Catalog").orElseThrow())))));
      datasetsByRun.put(FGCM_RUN, 1);
      file(ANCILLARY_SCOPE, path, "Dataset/" + INSTRUMENT + "/dstyps/fgcmLookUpTable",
          "synthetic FGCM look-up table\n".getBytes(StandardCharsets.US_ASCII), dataProduct(new SidecarRef(id,
              "fgcmLookUpTable", "Catalog", List.of("instrument"), false, dataId, FGCM_RUN)));
    }

    // -------------------------------------------------------------------------------------------- SSO

    /**
     * The Solar System objects of DM-49977: one catalogue per detector of one visit, with the records of that visit.
     * The visit is of the night before the campaign's first, so that its records never meet those define-visits
     * writes for the campaign's exposures, whichever of the two comes first.
     */
    void sso() throws IOException {
      LocalDate night = FIRST_NIGHT.minusDays(1);
      long dayObs = Long.parseLong(night.format(DateTimeFormatter.BASIC_ISO_DATE));
      long visit = dayObs * 100_000L + 123;
      String filter = "r_03";
      String band = COMCAM.filter(filter).orElseThrow().band();
      LocalDateTime begin = night.atTime(23, 30, 8);
      double ra = 95.5;
      double dec = -24.5;
      Map<String, Object> visitRecord = new LinkedHashMap<>();
      visitRecord.put("instrument", INSTRUMENT);
      visitRecord.put("id", visit);
      visitRecord.put("day_obs", dayObs);
      visitRecord.put("physical_filter", filter);
      visitRecord.put("name", String.format("CC_O_%d_%06d", dayObs, 123));
      visitRecord.put("seq_num", 123L);
      visitRecord.put("exposure_time", 30.0);
      visitRecord.put("target_name", "Rubin_SV_095_-25");
      visitRecord.put("observation_reason", "science");
      visitRecord.put("science_program", "BLOCK-T248");
      visitRecord.put("azimuth", 101.36);
      visitRecord.put("zenith_angle", 19.0);
      visitRecord.put("region", Region.of(box(ra, dec, 0.35)));
      visitRecord.put("datetime_begin", TaiTime.of(begin));
      visitRecord.put("datetime_end", TaiTime.of(begin.plusSeconds(30)));

      DimensionGroup dims = UNIVERSE.group(List.of("instrument", "detector", "visit"));
      Random random = new Random(SEED ^ SSO_RUN.hashCode());
      List<FileDatasetData> datasets = new ArrayList<>();
      for (InstrumentDefinition.Detector detector : COMCAM.detectors()) {
        Map<String, Object> dataId = new LinkedHashMap<>();
        dataId.put("instrument", INSTRUMENT);
        dataId.put("detector", (long) detector.id());
        dataId.put("visit", visit);
        UUID id = randomUuid(random);
        String path = SSO_RUN + "/preloaded_DRP_SsObjects/" + dayObs + "/" + band + "/" + filter + "/" + visit
            + "/preloaded_DRP_SsObjects_" + INSTRUMENT + "_" + band + "_" + filter + "_" + visit + "_"
            + detector.fullName() + "_" + SSO_RUN.replace('/', '_') + ".parq";
        datasets.add(new FileDatasetData(List.of(new DatasetRefData(id, dataId)), path,
            Formatters.forStorageClass("ArrowAstropy").orElseThrow()));
        Map<String, Object> sidecarId = new LinkedHashMap<>(dataId);
        sidecarId.put("band", band);
        sidecarId.put("day_obs", dayObs);
        sidecarId.put("physical_filter", filter);
        file(ANCILLARY_SCOPE, path, "Dataset/" + INSTRUMENT + "/dstyps/DM-49977",
            "synthetic preloaded Solar System objects\n".getBytes(StandardCharsets.US_ASCII), dataProduct(
                new SidecarRef(id, "preloaded_DRP_SsObjects", "ArrowAstropy", dims.required(), false, sidecarId,
                    SSO_RUN)));
      }
      List<ExportBlock> blocks = new ArrayList<>(instrumentBlocks(List.of(filter)));
      blocks.add(new DimensionBlock("day_obs", List.of(new DimensionRecordData(SyntheticRaws.dayObsRecord(night)))));
      blocks.add(new DimensionBlock("visit", List.of(new DimensionRecordData(visitRecord))));
      blocks.add(CollectionBlock.run(SSO_RUN, null));
      blocks.add(new DatasetTypeBlock("preloaded_DRP_SsObjects", dims.names(), "ArrowAstropy", false));
      blocks.add(new DatasetBlock("preloaded_DRP_SsObjects", SSO_RUN, datasets));
      export(SSO_EXPORT_FILE, blocks);
      datasetsByRun.put(SSO_RUN, datasets.size());
    }

    /** A square of half-width {@code halfWidth} degrees around a pointing. */
    private static ConvexPolygon box(double ra, double dec, double halfWidth) {
      List<UnitVector3d> corners = new ArrayList<>();
      for (double[] corner : new double[][] {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
        corners.add(UnitVector3d.fromLonLatDegrees(ra + corner[0] * halfWidth / Math.cos(Math.toRadians(dec)),
            dec + corner[1] * halfWidth));
      }
      return ConvexPolygon.hullOf(corners);
    }

    // -------------------------------------------------------------------------------------------- refcats

    /**
     * The two versions of The Monster, on the same htm7 shards: the 2024 one in one Rucio dataset, the 2025 one over
     * fourteen; each with the table ingest-files reads (file names relative to the run's {@code --prefix}).
     */
    void refcats(int shardsPerDataset) throws IOException {
      int shards = shardsPerDataset * REFCAT_2025_DATASETS;
      StringBuilder table2024 = new StringBuilder(ECSV_HEADER);
      StringBuilder table2025 = new StringBuilder(ECSV_HEADER);
      for (int i = 0; i < shards; i++) {
        long htm7 = FIRST_SHARD + i;
        String shard = htm7 + ".fits";
        file(RAW_SCOPE, "refcats/the_monster_20240904/" + shard, "Dataset/refcats/the_monster_20240904",
            ("synthetic the_monster_20240904 shard " + htm7 + "\n").getBytes(StandardCharsets.US_ASCII), Map.of());
        table2024.append(shard).append(' ').append(htm7).append('\n');
      }
      for (int i = 0; i < shards; i++) {
        long htm7 = FIRST_SHARD + i;
        String shard = htm7 + ".fits";
        file(RAW_SCOPE, "refcats/the_monster_20250219/" + shard, "Dataset/refcats/the_monster_20240219_"
                + (i / shardsPerDataset + 1),
            ("synthetic the_monster_20250219 shard " + htm7 + "\n").getBytes(StandardCharsets.US_ASCII), Map.of());
        table2025.append(shard).append(' ').append(htm7).append('\n');
      }
      Files.writeString(root.resolve(REFCAT_2024_TABLE), table2024);
      Files.writeString(root.resolve(REFCAT_2025_TABLE), table2025);
      datasetsByRun.put(REFCAT_2024_RUN, shards);
      datasetsByRun.put(REFCAT_2025_RUN, shards);
    }

    private static final String ECSV_HEADER = "# %ECSV 1.0\n# ---\n# datatype:\n"
        + "# - {name: filename, datatype: string}\n# - {name: htm7, datatype: int64}\n# schema: astropy-2.0\n"
        + "filename htm7\n";

    // -------------------------------------------------------------------------------------------- output

    private static Map<String, String> dataProduct(SidecarRef ref) {
      return Map.of("rubin_butler", "data_product", "rubin_sidecar", ref.toJson());
    }

    /** Writes one file of the RSE and its catalogue line. */
    private void file(String scope, String name, String dataset, byte[] content, Map<String, String> meta)
        throws IOException {
      String relative = RSE + "/" + scope + "/" + name;
      Path path = root.resolve(relative);
      Files.createDirectories(path.getParent());
      Files.write(path, content);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("scope", scope);
      line.put("name", name);
      line.put("dataset", dataset);
      line.put("file", relative);
      if (!meta.isEmpty()) {
        line.put("meta", new TreeMap<>(meta));
      }
      catalogue.write(LINES.writeValueAsString(line));
      catalogue.write('\n');
      files++;
      rucioDatasets.merge(scope + ":" + dataset, 1, Integer::sum);
    }

    private void export(String relative, List<ExportBlock> blocks) throws IOException {
      Path path = root.resolve(relative);
      Files.createDirectories(path.getParent());
      new ExportFileWriter().write(ExportFile.of(blocks), path);
    }
  }

  /** A version-4 UUID drawn from a seeded generator: random-looking like pipeline outputs', yet reproducible. */
  private static UUID randomUuid(Random random) {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }
}
