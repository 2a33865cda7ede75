package io.autobutler.core.instrument;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nominal camera geometry of an instrument, as obs_lsst w.2025.20 builds it (cameraGeom): where each detector's
 * pixels are in the focal plane, and the focal plane's mapping to field angles. Read from the resource
 * {@code instruments/<instrument>/camera_geometry.tsv}, whose header names the upstream files it was taken from.
 *
 * <p>The two transforms follow lsst/afw cameraGeom: pixels to focal plane is {@code Orientation}'s affine map
 * {@code fp = offset + R(yaw) (pixel - refPoint) * pixelSize}, and focal plane to field angle is the radial
 * polynomial obs_base's {@code yamlCamera.py} builds, {@code r_angle = plateScale * sum(c_i * r_mm^i)}, keeping the
 * direction.
 *
 * @param instrument   the instrument name, e.g. {@code LSSTComCam}
 * @param plateScale   arcseconds on the sky per mm of focal plane
 * @param coefficients the radial coefficients c0, c1, ... (before the plate scale), c1 = 1
 * @param detectors    the detectors, in id order
 */
public record CameraGeometry(String instrument, double plateScale, double[] coefficients,
                             List<DetectorGeometry> detectors) {

  private static final Map<String, CameraGeometry> CACHE = new ConcurrentHashMap<>();

  public CameraGeometry {
    coefficients = coefficients.clone();
    detectors = detectors.stream().sorted(Comparator.comparingInt(DetectorGeometry::id)).toList();
  }

  /** The geometry of a known instrument (by instrument name), or empty when autobutler has none for it. */
  public static Optional<CameraGeometry> of(String instrument) {
    CameraGeometry cached = CACHE.get(instrument);
    if (cached != null) {
      return Optional.of(cached);
    }
    String resource = "/instruments/" + instrument + "/camera_geometry.tsv";
    try (InputStream in = CameraGeometry.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      CameraGeometry geometry = parse(instrument, resource, in);
      CACHE.put(instrument, geometry);
      return Optional.of(geometry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  /**
   * The field angle, in radians along the focal plane's x and y, of a focal-plane position in mm (afw's
   * FOCAL_PLANE to FIELD_ANGLE transform).
   */
  public double[] fieldAngle(double xMm, double yMm) {
    double r = Math.hypot(xMm, yMm);
    if (r == 0) {
      return new double[] {0, 0};
    }
    double scale = plateScale / 3600.0 * Math.PI / 180.0;
    double polynomial = 0;
    double power = 1;
    for (double c : coefficients) {
      polynomial += c * power;
      power *= r;
    }
    double factor = scale * polynomial / r;
    return new double[] {xMm * factor, yMm * factor};
  }

  /**
   * One detector's place in the focal plane.
   *
   * @param id        the detector id
   * @param name      the full name, e.g. {@code R22_S11}
   * @param minX      the first pixel column of its bounding box
   * @param minY      the first pixel row
   * @param maxX      the last pixel column (inclusive)
   * @param maxY      the last pixel row (inclusive)
   * @param refX      the reference pixel's x, the pixel that sits at the offset
   * @param refY      the reference pixel's y
   * @param pixelSizeX the pixel size along x in mm
   * @param pixelSizeY the pixel size along y in mm
   * @param offsetX   the focal-plane x of the reference pixel, mm
   * @param offsetY   the focal-plane y of the reference pixel, mm
   * @param yawDeg    the detector's rotation in the focal plane, degrees
   */
  public record DetectorGeometry(int id, String name, int minX, int minY, int maxX, int maxY, double refX,
                                 double refY, double pixelSizeX, double pixelSizeY, double offsetX, double offsetY,
                                 double yawDeg) {

    /** The focal-plane position in mm of a pixel position (afw's PIXELS to FOCAL_PLANE transform). */
    public double[] focalPlane(double x, double y) {
      double yaw = Math.toRadians(yawDeg);
      double cos = Math.cos(yaw);
      double sin = Math.sin(yaw);
      double dx = (x - refX) * pixelSizeX;
      double dy = (y - refY) * pixelSizeY;
      return new double[] {offsetX + cos * dx - sin * dy, offsetY + sin * dx + cos * dy};
    }

    /**
     * The corners of the bounding box grown by {@code padding} pixels on each side, as pixel-edge positions (afw's
     * {@code Box2D(bbox.dilatedBy(padding)).getCorners()}): lower left, lower right, upper right, upper left.
     */
    public List<double[]> paddedCorners(int padding) {
      double x0 = minX - padding - 0.5;
      double y0 = minY - padding - 0.5;
      double x1 = maxX + padding + 0.5;
      double y1 = maxY + padding + 0.5;
      return List.of(new double[] {x0, y0}, new double[] {x1, y0}, new double[] {x1, y1}, new double[] {x0, y1});
    }
  }

  static CameraGeometry parse(String instrument, String source, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    Double plateScale = null;
    double[] coefficients = null;
    List<DetectorGeometry> detectors = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t");
      try {
        switch (parts[0]) {
          case "plate_scale" -> plateScale = Double.parseDouble(parts[1]);
          case "field_angle_coefficients" -> coefficients = Arrays.stream(parts, 1, parts.length)
              .mapToDouble(Double::parseDouble).toArray();
          case "detector" -> {
            if (parts.length != 14) {
              throw new IllegalStateException("expected 13 detector fields");
            }
            detectors.add(new DetectorGeometry(Integer.parseInt(parts[1]), parts[2], Integer.parseInt(parts[3]),
                Integer.parseInt(parts[4]), Integer.parseInt(parts[5]), Integer.parseInt(parts[6]),
                Double.parseDouble(parts[7]), Double.parseDouble(parts[8]), Double.parseDouble(parts[9]),
                Double.parseDouble(parts[10]), Double.parseDouble(parts[11]), Double.parseDouble(parts[12]),
                Double.parseDouble(parts[13])));
          }
          default -> throw new IllegalStateException("unknown line kind '" + parts[0] + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(source + " line " + number + ": " + e.getMessage(), e);
      }
    }
    if (plateScale == null || coefficients == null || detectors.isEmpty()) {
      throw new IllegalStateException(source + ": needs plate_scale, field_angle_coefficients and detectors");
    }
    return new CameraGeometry(instrument, plateScale, coefficients, detectors);
  }
}
