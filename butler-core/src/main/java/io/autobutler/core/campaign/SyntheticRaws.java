package io.autobutler.core.campaign;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.autobutler.core.dimensions.DimensionUniverse;
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
 * 9 detectors each with a few missing, about 13% science, filters u g r i z y, as an export file (day_obs, group
 * and exposure records, the raw dataset type, the raws in {@code LSSTComCam/raw/all} with daf_butler's UUIDv5
 * ids). Deterministic for a given seed, so benchmarks compare like with like.
 */
public final class SyntheticRaws {

  public static final String INSTRUMENT = "LSSTComCam";
  public static final String RUN = "LSSTComCam/raw/all";
  public static final String FORMATTER = "lsst.obs.lsst.rawFormatter.LsstComCamRawFormatter";
  public static final int DETECTORS = 9;
  private static final LocalDate FIRST_NIGHT = LocalDate.of(2024, 10, 24);
  private static final int NIGHTS = 48;
  private static final String[] FILTERS = {"u_02", "g_01", "r_03", "i_06", "z_03", "y_04"};
  private static final String[] CALIBRATION_TYPES = {"bias", "dark", "flat", "cwfs", "engtest", "acq"};
  private static final DateTimeFormatter GROUP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** What was generated, besides the export file: counts to check a query against. */
  public record Campaign(ExportFile exportFile, int exposures, int raws, int scienceRaws) {
  }

  private SyntheticRaws() {
  }

  /**
   * Generates about {@code raws} raws (exactly that many unless it is not reachable with 9 detectors minus a few).
   *
   * @param dataRoot the URI raws are found under, e.g. {@code davs://host:2880/pnfs/…/instrument/raw/LSSTComCam}
   */
  public static Campaign generate(int raws, long seed, String dataRoot) {
    Random random = new Random(seed);
    List<DimensionRecordData> days = new ArrayList<>();
    List<DimensionRecordData> groups = new ArrayList<>();
    List<DimensionRecordData> exposures = new ArrayList<>();
    List<FileDatasetData> files = new ArrayList<>();
    int produced = 0;
    int science = 0;
    int exposureCount = 0;
    int perNight = Math.max(1, (int) Math.ceil(raws / (double) DETECTORS / NIGHTS * 1.01));
    for (int night = 0; produced < raws; night++) {
      LocalDate date = FIRST_NIGHT.plusDays(night);
      long dayObs = Long.parseLong(date.format(DAY));
      LocalDateTime noon = date.atTime(12, 0);
      days.add(DimensionRecordData.of("instrument", INSTRUMENT, "id", dayObs,
          "datetime_begin", TaiTime.of(noon), "datetime_end", TaiTime.of(noon.plusDays(1))));
      LocalDateTime start = date.atTime(23, 0);
      for (int seq = 1; seq <= perNight && produced < raws; seq++) {
        LocalDateTime begin = start.plusSeconds(seq * 45L);
        boolean isScience = random.nextInt(100) < 13;
        String type = isScience ? "science" : CALIBRATION_TYPES[random.nextInt(CALIBRATION_TYPES.length)];
        String filter = FILTERS[random.nextInt(FILTERS.length)];
        long exposure = dayObs * 100_000L + seq;
        String obsId = String.format("CC_O_%d_%06d", dayObs, seq);
        String group = begin.format(GROUP);
        groups.add(DimensionRecordData.of("instrument", INSTRUMENT, "name", group));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("instrument", INSTRUMENT);
        record.put("id", exposure);
        record.put("day_obs", dayObs);
        record.put("group", group);
        record.put("physical_filter", filter);
        record.put("obs_id", obsId);
        record.put("exposure_time", isScience ? 30.0 : 0.0);
        record.put("dark_time", isScience ? 30.9 : 0.9);
        record.put("observation_type", type);
        record.put("observation_reason", isScience ? "science" : type);
        record.put("seq_num", (long) seq);
        record.put("seq_start", (long) seq);
        record.put("seq_end", (long) seq);
        record.put("target_name", isScience ? "Rubin_SV_095_-25" : "slew_icrs");
        record.put("science_program", "BLOCK-T" + (246 + night % 5));
        record.put("tracking_ra", isScience ? 95.0 + random.nextDouble() : 0.0);
        record.put("tracking_dec", isScience ? -25.0 + random.nextDouble() : 0.0);
        record.put("sky_angle", 0.0);
        record.put("azimuth", 180.0);
        record.put("zenith_angle", 30.0);
        record.put("has_simulated", false);
        record.put("can_see_sky", isScience);
        record.put("datetime_begin", TaiTime.of(begin));
        record.put("datetime_end", TaiTime.of(begin.plusSeconds(31)));
        exposures.add(new DimensionRecordData(record));
        exposureCount++;
        // About one exposure in forty misses a detector, as real nights do.
        int missing = random.nextInt(40) == 0 ? random.nextInt(DETECTORS) : -1;
        for (int detector = 0; detector < DETECTORS && produced < raws; detector++) {
          if (detector == missing) {
            continue;
          }
          Map<String, Object> dataId = new LinkedHashMap<>();
          dataId.put("instrument", INSTRUMENT);
          dataId.put("detector", (long) detector);
          dataId.put("exposure", exposure);
          String path = dataRoot + "/" + dayObs + "/" + obsId + "/" + obsId + "_R22_S" + detector / 3 + detector % 3
              + ".fits";
          files.add(new FileDatasetData(List.of(new DatasetRefData(DatasetIds.forRun("raw", RUN, dataId), dataId)),
              path, FORMATTER));
          produced++;
          if (isScience) {
            science++;
          }
        }
      }
    }
    List<ExportBlock> blocks = new ArrayList<>();
    blocks.add(new DimensionBlock("day_obs", days));
    blocks.add(new DimensionBlock("group", groups));
    blocks.add(new DimensionBlock("exposure", exposures));
    blocks.add(CollectionBlock.run(RUN, null));
    blocks.add(new DatasetTypeBlock("raw", DimensionUniverse.v7().group(List.of("instrument", "detector", "exposure"))
        .names(), "Exposure", false));
    blocks.add(new DatasetBlock("raw", RUN, files));
    return new Campaign(ExportFile.of(blocks), exposureCount, produced, science);
  }
}
