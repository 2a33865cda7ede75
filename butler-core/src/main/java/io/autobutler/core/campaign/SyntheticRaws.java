package io.autobutler.core.campaign;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.dimensions.DimensionUniverse;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.ingest.obsinfo.ObservationInfo;
import io.autobutler.core.ingest.obsinfo.ObservationProperty;
import io.autobutler.core.ingest.obsinfo.SkyAngles.AltAz;
import io.autobutler.core.ingest.obsinfo.SkyAngles.RaDec;
import io.autobutler.core.registry.datasets.DatasetIds;
import io.autobutler.core.time.TaiTime;
import io.autobutler.core.transfer.CollectionBlock;
import io.autobutler.core.transfer.DatasetBlock;
import io.autobutler.core.transfer.DatasetRefData;
import io.autobutler.core.transfer.DatasetTypeBlock;
import io.autobutler.core.transfer.DimensionBlock;
import io.autobutler.core.transfer.DimensionRecordData;
import io.autobutler.core.transfer.ExportBlock;
import io.autobutler.core.transfer.ExportFile;
import io.autobutler.core.transfer.FileDatasetData;

/**
 * Synthetic LSSTComCam raws shaped like the 2024 ComCam campaign of RTN-103: exposures over the campaign's nights,
 * 9 detectors each with a few missing, 12.9% of the raws science as in RTN-103 (exactly its 148,845 raws and
 * 19,201 science raws at its size), filters u g r i z y. The same campaign comes as an export
 * file (day_obs, group and exposure records, the raw dataset type, the raws in {@code LSSTComCam/raw/all} with
 * daf_butler's UUIDv5 ids) or as what ingest-raws reads: one folder per exposure with the translated metadata of
 * each raw, as its {@code _index.json} holds it; ingesting the latter writes the very records of the former.
 * Deterministic for a given seed, so benchmarks compare like with like.
 */
public final class SyntheticRaws {

  public static final String INSTRUMENT = "LSSTComCam";
  public static final String RUN = "LSSTComCam/raw/all";
  public static final String FORMATTER = "lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter";
  public static final int DETECTORS = 9;
  /** RTN-103's counts: {@code query-datasets raw --collections LSSTComCam/raw/all}, and of its science raws. */
  public static final int RTN103_RAWS = 148_845;
  public static final int RTN103_SCIENCE_RAWS = 19_201;
  private static final LocalDate FIRST_NIGHT = LocalDate.of(2024, 10, 24);
  private static final int NIGHTS = 48;
  /** The physical filters of the campaign's exposures: ComCam's u g r i z y. */
  static final List<String> FILTERS = List.of("u_02", "g_01", "r_03", "i_06", "z_03", "y_04");
  private static final String[] CALIBRATION_TYPES = {"bias", "dark", "flat", "cwfs", "engtest", "acq"};
  private static final DateTimeFormatter GROUP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  /** LSST's observing day starts at 12:00 TAI. */
  private static final double DAY_OBS_OFFSET_S = 43200.0;

  /** What was generated, besides the export file: counts to check a query against. */
  public record Campaign(ExportFile exportFile, int exposures, int raws, int scienceRaws) {
  }

  /**
   * One exposure folder, {@code <dataRoot>/<day_obs>/<obs_id>/}, with the translated metadata of each of its raws
   * by file name: what its {@code _index.json} holds.
   */
  public record ExposureFolder(String uri, Map<String, ObservationInfo> raws) {
  }

  /** The campaign as exposure folders, and its counts. */
  public record IndexedCampaign(List<ExposureFolder> folders, int exposures, int raws, int scienceRaws) {
  }

  /** One generated exposure: its record values and the detectors it has. */
  private record Exposure(LocalDate night, int seq, LocalDateTime begin, boolean science, String type, String filter,
                          double trackingRa, double trackingDec, List<Integer> detectors) {

    long dayObs() {
      return Long.parseLong(night.format(DAY));
    }

    long id() {
      return dayObs() * 100_000L + seq;
    }

    String obsId() {
      return String.format("CC_O_%d_%06d", dayObs(), seq);
    }

    String group() {
      return begin.format(GROUP);
    }

    String fileName(int detector) {
      return obsId() + "_R22_S" + detector / 3 + detector % 3 + ".fits";
    }
  }

  private SyntheticRaws() {
  }

  /**
   * Generates exactly {@code raws} raws, {@link #scienceRawsOf} of them science raws, as an export file.
   *
   * @param dataRoot the URI raws are found under, e.g. {@code davs://host:2880/pnfs/…/instrument/raw/LSSTComCam}
   */
  public static Campaign generate(int raws, long seed, String dataRoot) {
    List<Exposure> exposures = exposures(raws, seed, FIRST_NIGHT);
    List<DimensionRecordData> days = new ArrayList<>();
    List<DimensionRecordData> groups = new ArrayList<>();
    List<DimensionRecordData> records = new ArrayList<>();
    List<FileDatasetData> files = new ArrayList<>();
    int science = 0;
    LocalDate lastNight = null;
    for (Exposure exposure : exposures) {
      if (!exposure.night().equals(lastNight)) {
        days.add(new DimensionRecordData(dayObsRecord(exposure.night())));
        lastNight = exposure.night();
      }
      groups.add(DimensionRecordData.of("instrument", INSTRUMENT, "name", exposure.group()));
      records.add(new DimensionRecordData(exposureRecord(exposure)));
      for (int detector : exposure.detectors()) {
        Map<String, Object> dataId = new LinkedHashMap<>();
        dataId.put("instrument", INSTRUMENT);
        dataId.put("detector", (long) detector);
        dataId.put("exposure", exposure.id());
        String path = folder(dataRoot, exposure) + exposure.fileName(detector);
        files.add(new FileDatasetData(List.of(new DatasetRefData(DatasetIds.forRun("raw", RUN, dataId), dataId)),
            path, FORMATTER));
        science += exposure.science() ? 1 : 0;
      }
    }
    List<ExportBlock> blocks = new ArrayList<>();
    blocks.add(new DimensionBlock("day_obs", days));
    blocks.add(new DimensionBlock("group", groups));
    blocks.add(new DimensionBlock("exposure", records));
    blocks.add(CollectionBlock.run(RUN, null));
    blocks.add(new DatasetTypeBlock("raw", DimensionUniverse.v7().group(List.of("instrument", "detector", "exposure"))
        .names(), "Exposure", false));
    blocks.add(new DatasetBlock("raw", RUN, files));
    return new Campaign(ExportFile.of(blocks), exposures.size(), files.size(), science);
  }

  /** The same campaign as {@link #generate} makes for these arguments, as exposure folders for ingest-raws. */
  public static IndexedCampaign indexed(int raws, long seed, String dataRoot) {
    return indexed(raws, seed, dataRoot, FIRST_NIGHT);
  }

  /** The same, its nights starting at {@code firstNight}: another campaign's exposures, none shared. */
  public static IndexedCampaign indexed(int raws, long seed, String dataRoot, LocalDate firstNight) {
    List<Exposure> exposures = exposures(raws, seed, firstNight);
    List<ExposureFolder> folders = new ArrayList<>(exposures.size());
    int count = 0;
    int science = 0;
    for (Exposure exposure : exposures) {
      Map<String, ObservationInfo> infos = new LinkedHashMap<>();
      for (int detector : exposure.detectors()) {
        infos.put(exposure.fileName(detector), observationInfo(exposure, detector));
        count++;
        science += exposure.science() ? 1 : 0;
      }
      folders.add(new ExposureFolder(folder(dataRoot, exposure), infos));
    }
    return new IndexedCampaign(folders, exposures.size(), count, science);
  }

  /**
   * Writes the campaign under {@code root} as ingest-raws finds it at a site: {@code <day_obs>/<obs_id>/} folders,
   * each with its {@code _index.json} and its raw files (empty: ingest never opens them).
   */
  public static IndexedCampaign writeIndexed(int raws, long seed, Path root) throws IOException {
    return writeIndexed(raws, seed, root, FIRST_NIGHT);
  }

  /** The same, its nights starting at {@code firstNight}. */
  public static IndexedCampaign writeIndexed(int raws, long seed, Path root, LocalDate firstNight)
      throws IOException {
    String dataRoot = DatastoreFiles.text(root.toAbsolutePath().toUri());
    IndexedCampaign campaign = indexed(raws, seed, dataRoot.endsWith("/") ? dataRoot.substring(0,
        dataRoot.length() - 1) : dataRoot, firstNight);
    for (ExposureFolder folder : campaign.folders()) {
      writeFolder(folder);
    }
    return campaign;
  }

  /**
   * A campaign whose exposures all have their {@value #DETECTORS} detectors, at least {@code scienceExposures} of
   * them science ones, written under {@code root}: the first seed that gives one. A clean campaign for tests to put
   * faults into; its science raws ({@link #scienceRawsOf}) and its other raws must both be multiples of 9.
   */
  public static IndexedCampaign writeWhole(int raws, int scienceExposures, Path root) throws IOException {
    for (long seed = 1; seed <= 1000; seed++) {
      IndexedCampaign candidate = indexed(raws, seed, "file:///unused");
      long science = candidate.folders().stream()
          .filter(f -> "science".equals(f.raws().values().iterator().next().observationType())).count();
      if (science >= scienceExposures && candidate.folders().stream().allMatch(f -> f.raws().size() == DETECTORS)) {
        return writeIndexed(raws, seed, root);
      }
    }
    throw new IllegalArgumentException("no seed up to 1000 gives " + raws + " raws in whole exposures with "
        + scienceExposures + " science ones: its science and other raws must both be multiples of " + DETECTORS);
  }

  /** Writes one exposure folder (a {@code file:} URI): its {@code _index.json} and its raw files, empty. */
  public static void writeFolder(ExposureFolder folder) throws IOException {
    Path directory = Files.createDirectories(Path.of(URI.create(folder.uri())));
    Files.writeString(directory.resolve(IndexFile.NAME), IndexFile.toJson(folder.raws()));
    for (String name : folder.raws().keySet()) {
      Files.write(directory.resolve(name), new byte[0]);
    }
  }

  /** The campaign's first night (its nights follow one another). */
  static LocalDate firstNight() {
    return FIRST_NIGHT;
  }

  /** The {@code day_obs} record of a night as ingest-raws writes it: the observing day from 12:00 to 12:00 TAI. */
  static Map<String, Object> dayObsRecord(LocalDate night) {
    LocalDateTime noon = night.atTime(12, 0);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", INSTRUMENT);
    record.put("id", Long.parseLong(night.format(DAY)));
    record.put("datetime_begin", TaiTime.of(noon));
    record.put("datetime_end", TaiTime.of(noon.plusDays(1)));
    return record;
  }

  private static String folder(String dataRoot, Exposure exposure) {
    return dataRoot + "/" + exposure.dayObs() + "/" + exposure.obsId() + "/";
  }

  /**
   * How many of {@code raws} raws are science raws: RTN-103's share (19,201 of 148,845), rounded, so that RTN-103's
   * count of raws gives exactly its count of science raws.
   */
  public static int scienceRawsOf(int raws) {
    return (int) Math.round(raws * (double) RTN103_SCIENCE_RAWS / RTN103_RAWS);
  }

  /**
   * The campaign's exposures, drawn in a fixed order from the seeded generator: exactly {@code raws} raws of which
   * exactly {@link #scienceRawsOf} are science. Each exposure is a science one with the chance of the science raws
   * still to draw among all raws still to draw; an exposure that would overdraw its kind's remainder gets only the
   * detectors left, which is where the few exposures with many missing detectors come from.
   */
  private static List<Exposure> exposures(int raws, long seed, LocalDate firstNight) {
    Random random = new Random(seed);
    List<Exposure> exposures = new ArrayList<>();
    int scienceLeft = scienceRawsOf(raws);
    int otherLeft = raws - scienceLeft;
    int perNight = Math.max(1, (int) Math.ceil(raws / (double) DETECTORS / NIGHTS * 1.01));
    for (int night = 0; scienceLeft + otherLeft > 0; night++) {
      LocalDate date = firstNight.plusDays(night);
      LocalDateTime start = date.atTime(23, 0);
      for (int seq = 1; seq <= perNight && scienceLeft + otherLeft > 0; seq++) {
        boolean isScience = random.nextInt(scienceLeft + otherLeft) < scienceLeft;
        String type = isScience ? "science" : CALIBRATION_TYPES[random.nextInt(CALIBRATION_TYPES.length)];
        String filter = FILTERS.get(random.nextInt(FILTERS.size()));
        double ra = isScience ? 95.0 + random.nextDouble() : 0.0;
        double dec = isScience ? -25.0 + random.nextDouble() : 0.0;
        // About one exposure in forty misses a detector, as real nights do.
        int missing = random.nextInt(40) == 0 ? random.nextInt(DETECTORS) : -1;
        int left = isScience ? scienceLeft : otherLeft;
        List<Integer> detectors = new ArrayList<>();
        for (int detector = 0; detector < DETECTORS && detectors.size() < left; detector++) {
          if (detector != missing) {
            detectors.add(detector);
          }
        }
        if (isScience) {
          scienceLeft -= detectors.size();
        } else {
          otherLeft -= detectors.size();
        }
        exposures.add(new Exposure(date, seq, start.plusSeconds(seq * 45L), isScience, type, filter, ra, dec,
            detectors));
      }
    }
    return exposures;
  }

  private static Map<String, Object> exposureRecord(Exposure exposure) {
    boolean science = exposure.science();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("instrument", INSTRUMENT);
    record.put("id", exposure.id());
    record.put("day_obs", exposure.dayObs());
    record.put("group", exposure.group());
    record.put("physical_filter", exposure.filter());
    record.put("obs_id", exposure.obsId());
    record.put("exposure_time", science ? 30.0 : 0.0);
    record.put("dark_time", science ? 30.9 : 0.9);
    record.put("observation_type", exposure.type());
    record.put("observation_reason", science ? "science" : exposure.type());
    record.put("seq_num", (long) exposure.seq());
    record.put("seq_start", (long) exposure.seq());
    record.put("seq_end", (long) exposure.seq());
    record.put("target_name", science ? "Rubin_SV_095_-25" : "slew_icrs");
    record.put("science_program", "BLOCK-T" + (246 + blockOf(exposure)));
    record.put("tracking_ra", exposure.trackingRa());
    record.put("tracking_dec", exposure.trackingDec());
    record.put("sky_angle", 0.0);
    record.put("azimuth", 180.0);
    record.put("zenith_angle", 30.0);
    record.put("has_simulated", false);
    record.put("can_see_sky", science);
    record.put("datetime_begin", TaiTime.of(exposure.begin()));
    record.put("datetime_end", TaiTime.of(exposure.begin().plusSeconds(31)));
    return record;
  }

  /** The metadata astro_metadata_translator would give one raw of the exposure, so that ingest makes its record. */
  private static ObservationInfo observationInfo(Exposure exposure, int detector) {
    Map<String, Object> record = exposureRecord(exposure);
    Map<ObservationProperty, Object> info = new EnumMap<>(ObservationProperty.class);
    info.put(ObservationProperty.TELESCOPE, "Simonyi Survey Telescope");
    info.put(ObservationProperty.INSTRUMENT, INSTRUMENT);
    info.put(ObservationProperty.EXPOSURE_ID, exposure.id());
    info.put(ObservationProperty.VISIT_ID, exposure.id());
    info.put(ObservationProperty.PHYSICAL_FILTER, exposure.filter());
    info.put(ObservationProperty.DATETIME_BEGIN, record.get("datetime_begin"));
    info.put(ObservationProperty.DATETIME_END, record.get("datetime_end"));
    info.put(ObservationProperty.EXPOSURE_TIME, record.get("exposure_time"));
    info.put(ObservationProperty.EXPOSURE_TIME_REQUESTED, record.get("exposure_time"));
    info.put(ObservationProperty.DARK_TIME, record.get("dark_time"));
    info.put(ObservationProperty.BORESIGHT_ROTATION_ANGLE, record.get("sky_angle"));
    info.put(ObservationProperty.BORESIGHT_ROTATION_COORD, "sky");
    info.put(ObservationProperty.DETECTOR_NUM, (long) detector);
    info.put(ObservationProperty.DETECTOR_NAME, "S" + detector / 3 + detector % 3);
    info.put(ObservationProperty.DETECTOR_GROUP, "R22");
    info.put(ObservationProperty.DETECTOR_EXPOSURE_ID, exposure.id() * 1000 + detector);
    info.put(ObservationProperty.OBJECT, record.get("target_name"));
    info.put(ObservationProperty.TRACKING_RADEC, new RaDec(exposure.trackingRa(), exposure.trackingDec()));
    info.put(ObservationProperty.ALTAZ_BEGIN, new AltAz((Double) record.get("azimuth"),
        90.0 - (Double) record.get("zenith_angle")));
    info.put(ObservationProperty.SCIENCE_PROGRAM, record.get("science_program"));
    info.put(ObservationProperty.OBSERVATION_TYPE, record.get("observation_type"));
    info.put(ObservationProperty.OBSERVATION_ID, exposure.obsId());
    info.put(ObservationProperty.OBSERVATION_REASON, record.get("observation_reason"));
    info.put(ObservationProperty.EXPOSURE_GROUP, exposure.group());
    info.put(ObservationProperty.OBSERVING_DAY, exposure.dayObs());
    info.put(ObservationProperty.OBSERVING_DAY_OFFSET, DAY_OBS_OFFSET_S);
    info.put(ObservationProperty.OBSERVATION_COUNTER, (long) exposure.seq());
    info.put(ObservationProperty.GROUP_COUNTER_START, (long) exposure.seq());
    info.put(ObservationProperty.GROUP_COUNTER_END, (long) exposure.seq());
    info.put(ObservationProperty.HAS_SIMULATED_CONTENT, false);
    info.put(ObservationProperty.CAN_SEE_SKY, exposure.science());
    return ObservationInfo.of(info);
  }

  /** Which of five science blocks a night observes (nights before the first one too). */
  private static int blockOf(Exposure exposure) {
    return (int) Math.floorMod(java.time.temporal.ChronoUnit.DAYS.between(FIRST_NIGHT, exposure.night()), 5);
  }
}
