package io.autobutler.core.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code _index.json} fixtures of src/test/resources/ingest: obs_base's {@code indexed_data} example (instrument
 * DummyCam) and two LSSTComCam exposure folders as RTN-103 has them (2024112600111, a science exposure of 9
 * detectors; 2024112600112, a bias whose detector 7 is missing), laid out with their raw files for a backfill.
 */
public final class IngestFixtures {

  public static final String SCIENCE_FOLDER = "comcam/20241126/CC_O_20241126_000111";
  public static final String BIAS_FOLDER = "comcam/20241126/CC_O_20241126_000112";

  private static final ObjectMapper JSON = new ObjectMapper();

  private IngestFixtures() {
  }

  /** A fixture's text. */
  public static String resource(String name) {
    try (InputStream in = IngestFixtures.class.getResourceAsStream("/ingest/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes an exposure folder under {@code root}: its {@code _index.json} (the fixture's, or {@code indexText}) and
   * one small raw file per entry, each as many bytes as its detector number plus one.
   */
  public static Path exposureFolder(Path root, String folder, String indexText) {
    try {
      Path directory = Files.createDirectories(root.resolve(folder));
      String text = indexText != null ? indexText : resource(folder + "/_index.json");
      Files.writeString(directory.resolve("_index.json"), text);
      JsonNode index = JSON.readTree(text);
      index.fields().forEachRemaining(entry -> {
        if (!entry.getKey().startsWith("__")) {
          int detector = entry.getValue().path("detector_num").asInt();
          try {
            Files.write(directory.resolve(entry.getKey()), new byte[detector + 1]);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Both ComCam exposure folders under {@code root}; returns {@code root/comcam}. */
  public static Path comCam(Path root) {
    exposureFolder(root, SCIENCE_FOLDER, null);
    exposureFolder(root, BIAS_FOLDER, null);
    return root.resolve("comcam");
  }
}
