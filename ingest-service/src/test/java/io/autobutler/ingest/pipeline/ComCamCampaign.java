package io.autobutler.ingest.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.registry.datasets.DatasetIds;

/**
 * A small multi-night LSSTComCam campaign as Rucio lands it: one folder per exposure with its 9 raws and the
 * {@code _index.json} that {@code astrometadata write-index --content translated} writes (the shape of RTN-103's
 * ComCam folders), one Rucio dataset per night, and the replica events announcing every file.
 */
final class ComCamCampaign {

  static final String INSTRUMENT = "LSSTComCam";
  static final String RUN = "LSSTComCam/raw/all";
  static final String RSE = "TEST_RAW_DISK";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Julian date of 2024-11-27 12:00, the noon after observing day 20241126. */
  private static final double JD_20241127_NOON = 2460642.0;

  /** A generated file: its replica event and, for a raw that can go in, its data ID. */
  record File(ReplicaEvent event, Map<String, Object> dataId, boolean science, boolean isIndex) {
  }

  final Path root;
  final String tag = UUID.randomUUID().toString().substring(0, 8);
  final List<File> files = new ArrayList<>();

  ComCamCampaign(Path root) {
    this.root = root;
  }

  /** {@code exposures} exposures a night, every other one science (the first of a night is). */
  ComCamCampaign generate(LocalDate firstNight, int nights, int exposures) {
    for (int n = 0; n < nights; n++) {
      LocalDate night = firstNight.plusDays(n);
      for (int seq = 1; seq <= exposures; seq++) {
        exposure(night, seq, seq % 2 == 1, false);
      }
    }
    return this;
  }

  /** The Rucio dataset of a night's raws. */
  String dataset(LocalDate night) {
    return "Dataset/LSSTComCam/raw/" + tag + "-" + dayObs(night);
  }

  static long dayObs(LocalDate night) {
    return Long.parseLong(night.toString().replace("-", ""));
  }

  /** Writes an exposure folder; {@code malformedIndex} writes an index that is not JSON. */
  List<File> exposure(LocalDate night, int seq, boolean science, boolean malformedIndex) {
    long dayObs = dayObs(night);
    long exposureId = dayObs * 100_000L + seq;
    String obsId = String.format("CC_O_%d_%06d", dayObs, seq);
    Path folder = root.resolve(Long.toString(dayObs)).resolve(obsId);
    double jd1 = JD_20241127_NOON + ChronoUnit.DAYS.between(LocalDate.of(2024, 11, 26), night);
    double begin = -0.29 + seq * 60.0 / 86400.0;
    ObjectNode common = JSON.createObjectNode();
    common.put("_translator", "LSSTComCam");
    common.put("telescope", "Simonyi Survey Telescope");
    common.put("instrument", INSTRUMENT);
    common.putArray("location").add(1818938.94).add(-5208470.95).add(-3195172.08);
    common.put("detector_group", "R22");
    common.put("boresight_airmass", 1.155);
    common.put("temperature", 284.15);
    common.put("pressure", 743.2);
    common.put("relative_humidity", 42.0);
    common.put("focus_z", 0.0003);
    common.put("observing_day", dayObs);
    common.put("observing_day_offset", 43200);
    common.put("has_simulated_content", false);
    common.put("physical_filter", "r_03");
    common.putArray("datetime_begin").add(jd1).add(begin);
    common.putArray("datetime_end").add(jd1).add(begin + 31.0 / 86400.0);
    common.put("exposure_time", science ? 30.0 : 0.0);
    common.put("exposure_time_requested", science ? 30.0 : 0.0);
    common.put("dark_time", science ? 30.9 : 0.9);
    common.put("boresight_rotation_angle", 2.59);
    common.put("boresight_rotation_coord", "sky");
    common.put("object", science ? "Rubin_SV_095_-25" : "slew_icrs");
    common.put("science_program", "BLOCK-T248");
    common.put("observation_type", science ? "science" : "bias");
    common.put("observation_reason", science ? "science" : "bias");
    common.put("exposure_group", night.plusDays(1) + "T05:" + String.format("%02d", seq) + ":00.000");
    common.put("can_see_sky", science);
    common.putArray("tracking_radec").add(95.04).add(-25.06);
    common.putArray("altaz_begin").add(238.71).add(59.82);
    common.putArray("altaz_end").add(238.95).add(59.71);
    common.put("exposure_id", exposureId);
    common.put("visit_id", exposureId);
    common.put("observation_id", obsId);
    common.put("observation_counter", seq);
    common.put("group_counter_start", seq);
    common.put("group_counter_end", seq);
    ObjectNode index = JSON.createObjectNode();
    index.put("__CONTENT__", "translated");
    index.set("__COMMON__", common);
    List<File> written = new ArrayList<>();
    try {
      Files.createDirectories(folder);
      for (int detector = 0; detector < 9; detector++) {
        String name = obsId + "_R22_S" + detector / 3 + detector % 3 + ".fits";
        ObjectNode entry = index.putObject(name);
        entry.put("detector_num", detector);
        entry.put("detector_name", "S" + detector / 3 + detector % 3);
        entry.put("detector_unique_name", "R22_S" + detector / 3 + detector % 3);
        entry.put("detector_serial", "ITL-3800C-" + (200 + detector));
        entry.put("detector_exposure_id", exposureId * 1000 + detector);
        Path raw = folder.resolve(name);
        Files.write(raw, new byte[detector + 1]);
        Map<String, Object> dataId = new LinkedHashMap<>();
        dataId.put("instrument", INSTRUMENT);
        dataId.put("detector", (long) detector);
        dataId.put("exposure", exposureId);
        written.add(new File(event(night, raw), malformedIndex ? null : dataId, science, false));
      }
      Path indexFile = folder.resolve("_index.json");
      Files.writeString(indexFile, malformedIndex ? "{\"__CONTENT__\": \"translated\", " : JSON.writeValueAsString(index));
      written.add(new File(event(night, indexFile), null, false, true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.addAll(written);
    return written;
  }

  /** A file in an exposure folder that its index does not describe. */
  File stray(LocalDate night, int seq) {
    long dayObs = dayObs(night);
    String obsId = String.format("CC_O_%d_%06d", dayObs, seq);
    Path file = root.resolve(Long.toString(dayObs)).resolve(obsId).resolve(obsId + "_R22_S99.fits");
    try {
      Files.write(file, new byte[3]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    File stray = new File(event(night, file), null, false, false);
    files.add(stray);
    return stray;
  }

  ReplicaEvent event(LocalDate night, Path file) {
    String relative = root.relativize(file).toString();
    try {
      return new ReplicaEvent("raw", "LSSTComCam/" + tag + "/" + relative, RSE, DatastoreFiles.text(file.toUri()),
          Files.size(file), null, "raw", dataset(night), "raw_file", null, "poll", Instant.now());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids the science raws that can go in get. */
  List<UUID> scienceIds() {
    return files.stream().filter(f -> f.science() && f.dataId() != null)
        .map(f -> DatasetIds.forRun("raw", RUN, f.dataId())).toList();
  }

  long goodRaws() {
    return files.stream().filter(f -> f.dataId() != null).count();
  }
}
