package io.autobutler.core.skymap;

import io.autobutler.core.instrument.CollectionNames;
import io.autobutler.core.skymap.ConfigTree.Kind;
import io.autobutler.core.skymap.ConfigTree.Node;
import io.autobutler.core.skymap.ConfigTree.Schema;
import io.autobutler.core.skymap.PexConfigParser.Assignment;
import io.autobutler.core.skymap.PexConfigParser.Parsed;
import io.autobutler.core.skymap.PexConfigParser.TypeAssertion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The skymap that {@code butler register-skymap [--config-file F] [-c name=...] REPO} registers, computed from the
 * config file without Python (lsst/pipe_tasks {@code python/lsst/pipe/tasks/script/registerSkymap.py}, lsst/skymap
 * {@code baseSkyMap.py}, {@code ringsSkyMap.py}, {@code discreteSkyMap.py}, {@code tractBuilder.py},
 * {@code tractInfo.py}; tags w.2025.20).
 *
 * <p>The file is read with {@link PexConfigParser} (a safe subset of Python) and applied to a model of
 * {@code MakeSkyMapConfig}: {@code name} (the skymap name) and the registry field {@code skyMap} (default
 * {@code dodeca}) whose entries {@code rings} and {@code discrete} are modelled field by field (base fields
 * {@code tractBuilder} [registry {@code legacy}|{@code cells}, default legacy], {@code tractOverlap} [deg, 1.0],
 * {@code pixelScale} [arcsec/pixel, 0.333], {@code projection} ["STG"], {@code rotation} [deg, 0]; the legacy
 * properties {@code patchInnerDimensions}/{@code patchBorder}; rings: {@code numRings}, {@code raStart}; discrete:
 * {@code raList}, {@code decList}, {@code radiusList}). Assignments to the other registered types ({@code dodeca},
 * {@code equat}, {@code healpix}) are accepted without checks, but selecting one of them is an error.
 *
 * <p><b>The record.</b> {@code skymap: {name, hash, tract_max, patch_nx_max, patch_ny_max}}:
 * <ul>
 *   <li>{@code hash}: SHA-1 of the class name ({@code RingsSkyMap}/{@code DiscreteSkyMap}, UTF-8), then the tract
 *       builder's packed config, then the skymap's own state, exactly as {@code BaseSkyMap.getSha1}: legacy packs
 *       {@code struct.pack("<iiidd3sd", patchInnerDimensions[0], [1], patchBorder, tractOverlap, pixelScale,
 *       projection, rotation)}, cells packs {@code "<iiiiidd3sd"} (cellInnerDimensions[0], [1], cellBorder,
 *       numCellsPerPatchInner, numCellsInPatchBorder, tractOverlap, pixelScale, projection, rotation); rings then
 *       adds {@code "<id"} (numRings, raStart), discrete adds the little-endian doubles of raList, decList and
 *       radiusList. Verified against two published records: {@code lsst_cells_v1} hashes to
 *       {@code 4nNuQSRN8Au9uTrsrArkstGd2pE=} with 18938 tracts and a 10×10 patch grid, and daf_butler's
 *       {@code tests/data/registry/ci_hsc-subset-skymap.yaml} (discrete) to {@code Kt7swQ9e5zUif7fo1Onj3ezH+Ts=}
 *       with 16×16.</li>
 *   <li>{@code tract_max}: number of tracts (rings: the sum over rings of {@code int(2π cos(dec)/ringSize) + 1},
 *       plus the two polar caps; discrete: the number of radii).</li>
 *   <li>{@code patch_nx_max}, {@code patch_ny_max}: the largest patch grid over tracts; see {@link TractGeometry}.</li>
 * </ul>
 *
 * <p>The {@code tract} and {@code patch} records with their regions come from {@link SkyMapDefinition} and
 * {@link TractGeometry}.
 */
public final class SkyMapConfig {

  /** The config class the file is applied to ({@code assert type(config)} lines must name it). */
  public static final String CONFIG_CLASS = "lsst.pipe.tasks.script.registerSkymap.MakeSkyMapConfig";

  private static final Schema ROOT = schema();

  private final String name;
  private final String skyMapType;
  private final Node skyMapNode;

  private SkyMapConfig(String name, String skyMapType, Node skyMapNode) {
    this.name = name;
    this.skyMapType = skyMapType;
    this.skyMapNode = skyMapNode;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  /** Reads a config file. */
  public static SkyMapConfig read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString(), Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses config text. */
  public static SkyMapConfig parse(String text, String source) {
    return parse(text, source, Map.of());
  }

  /**
   * Parses config text, then applies {@code -c key=value} overrides the way {@code MakeSkyMapConfig.update} does
   * (only top-level fields; in practice {@code name}).
   */
  public static SkyMapConfig parse(String text, String source, Map<String, String> overrides) {
    Parsed parsed = PexConfigParser.parse(text, source);
    for (TypeAssertion assertion : parsed.typeAssertions()) {
      if (!assertion.className().equals(CONFIG_CLASS)
          && !assertion.className().endsWith(".MakeSkyMapConfig")) {
        throw new SkyMapConfigException(source, assertion.line(), "config is of type " + CONFIG_CLASS
            + ", not " + assertion.className());
      }
    }
    Node root = new Node(ROOT);
    for (Assignment assignment : parsed.assignments()) {
      ConfigTree.apply(root, assignment, source);
    }
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      if (!override.getKey().equals("name")) {
        throw new SkyMapConfigException("override '" + override.getKey() + "' is not supported (only 'name')");
      }
      root.values.put("name", override.getValue());
    }
    String name = (String) root.get("name");
    if (name == null) {
      throw new SkyMapConfigException(source + ": The name field must be set to the name of the specific skymap"
          + " to use when writing to the butler");
    }
    ConfigTree.Registry registry = root.registry("skyMap");
    String type = registry.selected;
    if (!type.equals("rings") && !type.equals("discrete")) {
      throw new SkyMapConfigException(source + ": skymap type '" + type + "' is not supported (only rings and"
          + " discrete)");
    }
    SkyMapConfig config = new SkyMapConfig(name, type, registry.active());
    config.validate(source);
    return config;
  }

  /** A config bundled under {@code skymaps/<name>.skymap.config} on the class path, e.g. {@code lsst_cells_v1}. */
  public static SkyMapConfig bundled(String name) {
    String resource = "/skymaps/" + name + ".skymap.config";
    try (InputStream in = SkyMapConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no bundled skymap config " + resource);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".skymap.config");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void validate(String source) {
    if (projection().length() != 3) {
      throw new SkyMapConfigException(source + ": projection=" + projection() + "; must have length 3");
    }
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(projection())) {
      throw new SkyMapConfigException(source + ": projection must be ASCII");
    }
    if (tractBuilder().equals("cells")) {
      List<Long> dims = longList(builderNode().get("cellInnerDimensions"));
      if (!dims.get(0).equals(dims.get(1))) {
        throw new SkyMapConfigException(source + ": cellInnerDimensions must be equal (for square cells).");
      }
    }
    if (skyMapType.equals("rings")) {
      if (skyMapNode.get("numRings") == null) {
        throw new SkyMapConfigException(source + ": " + "config.skyMap[\"rings\"].numRings must be set");
      }
    } else {
      int n = radiusList().size();
      if (raList().size() != n) {
        throw new SkyMapConfigException(source + ": Number of radii (" + n + ") and RAs (" + raList().size()
            + ") do not match");
      }
      if (decList().size() != n) {
        throw new SkyMapConfigException(source + ": Number of radii (" + n + ") and Decs (" + decList().size()
            + ") do not match");
      }
    }
    // Packing checks (struct 'i' is a signed 32-bit int).
    for (long value : packedInts()) {
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new SkyMapConfigException(source + ": value " + value + " does not fit the 32-bit hash packing");
      }
    }
    if (skyMapType.equals("rings") && (numRings() > Integer.MAX_VALUE)) {
      throw new SkyMapConfigException(source + ": numRings does not fit the 32-bit hash packing");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Values

  /** The skymap name ({@code skymap.name}). */
  public String name() {
    return name;
  }

  /** {@code rings} or {@code discrete}. */
  public String skyMapType() {
    return skyMapType;
  }

  /** The Python class whose name starts the hash: {@code RingsSkyMap} or {@code DiscreteSkyMap}. */
  public String skyMapClassName() {
    return skyMapType.equals("rings") ? "RingsSkyMap" : "DiscreteSkyMap";
  }

  /** {@code legacy} or {@code cells}. */
  public String tractBuilder() {
    return skyMapNode.registry("tractBuilder").selected;
  }

  public double tractOverlap() {
    return (Double) skyMapNode.get("tractOverlap");
  }

  public double pixelScale() {
    return (Double) skyMapNode.get("pixelScale");
  }

  public String projection() {
    return (String) skyMapNode.get("projection");
  }

  public double rotation() {
    return (Double) skyMapNode.get("rotation");
  }

  public long numRings() {
    return (Long) skyMapNode.get("numRings");
  }

  public double raStart() {
    return (Double) skyMapNode.get("raStart");
  }

  public List<Double> raList() {
    return doubleList(skyMapNode.get("raList"));
  }

  public List<Double> decList() {
    return doubleList(skyMapNode.get("decList"));
  }

  public List<Double> radiusList() {
    return doubleList(skyMapNode.get("radiusList"));
  }

  /** Patch inner size in pixels (x, y): legacy {@code patchInnerDimensions}, cells {@code cell × numCellsPerPatch}. */
  public long[] patchInnerDimensions() {
    Node builder = builderNode();
    if (tractBuilder().equals("legacy")) {
      List<Long> dims = longList(builder.get("patchInnerDimensions"));
      return new long[] {dims.get(0), dims.get(1)};
    }
    List<Long> cell = longList(builder.get("cellInnerDimensions"));
    long perPatch = (Long) builder.get("numCellsPerPatchInner");
    return new long[] {cell.get(0) * perPatch, cell.get(1) * perPatch};
  }

  /** Patch border in pixels: legacy {@code patchBorder}, cells {@code numCellsInPatchBorder × cell + cellBorder}. */
  public long patchBorder() {
    Node builder = builderNode();
    if (tractBuilder().equals("legacy")) {
      return (Long) builder.get("patchBorder");
    }
    return (Long) builder.get("numCellsInPatchBorder") * longList(builder.get("cellInnerDimensions")).get(0)
        + (Long) builder.get("cellBorder");
  }

  /** A selected tract-builder setting by name, e.g. {@code cellBorder}. */
  public Object tractBuilderSetting(String field) {
    return builderNode().get(field);
  }

  private Node builderNode() {
    return skyMapNode.registry("tractBuilder").active();
  }

  private List<Long> packedInts() {
    Node builder = builderNode();
    List<Long> ints = new ArrayList<>();
    if (tractBuilder().equals("legacy")) {
      ints.addAll(longList(builder.get("patchInnerDimensions")));
      ints.add((Long) builder.get("patchBorder"));
    } else {
      ints.addAll(longList(builder.get("cellInnerDimensions")));
      ints.add((Long) builder.get("cellBorder"));
      ints.add((Long) builder.get("numCellsPerPatchInner"));
      ints.add((Long) builder.get("numCellsInPatchBorder"));
    }
    return ints;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Hash

  /** The tract builder's {@code getPackedConfig(config)} bytes. */
  public byte[] packedTractBuilderConfig() {
    List<Long> ints = packedInts();
    ByteBuffer buffer = ByteBuffer.allocate(ints.size() * 4 + 8 + 8 + 3 + 8).order(ByteOrder.LITTLE_ENDIAN);
    ints.forEach(v -> buffer.putInt(Math.toIntExact(v)));
    buffer.putDouble(tractOverlap());
    buffer.putDouble(pixelScale());
    byte[] projection = projection().getBytes(StandardCharsets.US_ASCII);
    byte[] three = new byte[3];
    System.arraycopy(projection, 0, three, 0, Math.min(3, projection.length));
    buffer.put(three);
    buffer.putDouble(rotation());
    return buffer.array();
  }

  /** The skymap's own {@code updateSha1} bytes. */
  public byte[] packedSkyMapState() {
    if (skyMapType.equals("rings")) {
      return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(Math.toIntExact(numRings())).putDouble(raStart()).array();
    }
    List<Double> all = new ArrayList<>(raList());
    all.addAll(decList());
    all.addAll(radiusList());
    ByteBuffer buffer = ByteBuffer.allocate(all.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    all.forEach(buffer::putDouble);
    return buffer.array();
  }

  /** The 20-byte SHA-1 stored in {@code skymap.hash}. */
  public byte[] sha1() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(skyMapClassName().getBytes(StandardCharsets.UTF_8));
      digest.update(packedTractBuilderConfig());
      digest.update(packedSkyMapState());
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String sha1Hex() {
    return HexFormat.of().formatHex(sha1());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Derived

  /** The skymap's tracts and patch grids. */
  public SkyMapDefinition definition() {
    return SkyMapDefinition.of(this);
  }

  /** The {@code skymap} dimension record: {@code name, hash, tract_max, patch_nx_max, patch_ny_max}. */
  public Map<String, Object> skymapRecord() {
    SkyMapDefinition definition = definition();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("name", name);
    record.put("hash", sha1());
    record.put("tract_max", definition.tractCount());
    record.put("patch_nx_max", definition.patchNxMax());
    record.put("patch_ny_max", definition.patchNyMax());
    return record;
  }

  /** The RUN the {@code skyMap} dataset is put into. */
  public static String run() {
    return CollectionNames.SKYMAPS_RUN;
  }

  /** Dataset type {@code skyMap}: dimensions (skymap), storage class {@code SkyMap}, not a calibration. */
  public static final String DATASET_TYPE = "skyMap";
  public static final String STORAGE_CLASS = "SkyMap";

  // ---------------------------------------------------------------------------------------------------------------
  // Schema

  private static Schema schema() {
    Schema legacy = new Schema("LegacyTractBuilderConfig", false)
        .listField("patchInnerDimensions", Kind.INT_LIST, List.of(4000L, 4000L), 2)
        .field("patchBorder", Kind.INT, 100L);
    Schema cells = new Schema("CellTractBuilderConfig", false)
        .listField("cellInnerDimensions", Kind.INT_LIST, List.of(150L, 150L), 2)
        .field("cellBorder", Kind.INT, 50L)
        .field("numCellsPerPatchInner", Kind.INT, 20L)
        .field("numCellsInPatchBorder", Kind.INT, 1L);
    Map<String, Schema> builders = new LinkedHashMap<>();
    builders.put("legacy", legacy);
    builders.put("cells", cells);

    Schema rings = base("RingsSkyMapConfig", builders)
        .checkedField("numRings", Kind.INT, null, v -> (Long) v > 0, "must be > 0")
        .checkedField("raStart", Kind.FLOAT, 0.0, v -> (Double) v >= 0.0 && (Double) v < 360.0,
            "must be in [0, 360)");
    Schema discrete = base("DiscreteSkyMapConfig", builders)
        .listField("raList", Kind.FLOAT_LIST, List.of(), null)
        .listField("decList", Kind.FLOAT_LIST, List.of(), null)
        .listField("radiusList", Kind.FLOAT_LIST, List.of(), null);

    Map<String, Schema> skyMaps = new LinkedHashMap<>();
    skyMaps.put("dodeca", new Schema("DodecaSkyMapConfig", true));
    skyMaps.put("equat", new Schema("EquatSkyMapConfig", true));
    skyMaps.put("discrete", discrete);
    skyMaps.put("rings", rings);
    skyMaps.put("healpix", new Schema("HealpixSkyMapConfig", true));
    return new Schema("MakeSkyMapConfig", false)
        .optionalField("name", Kind.STRING)
        .registry("skyMap", skyMaps, "dodeca");
  }

  private static Schema base(String className, Map<String, Schema> builders) {
    return new Schema(className, false)
        .registry("tractBuilder", builders, "legacy")
        .field("tractOverlap", Kind.FLOAT, 1.0)
        .field("pixelScale", Kind.FLOAT, 0.333)
        .field("projection", Kind.STRING, "STG")
        .field("rotation", Kind.FLOAT, 0.0)
        .alias("patchInnerDimensions", "tractBuilder", "legacy", "patchInnerDimensions")
        .alias("patchBorder", "tractBuilder", "legacy", "patchBorder");
  }

  @SuppressWarnings("unchecked")
  private static List<Long> longList(Object value) {
    return (List<Long>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Double> doubleList(Object value) {
    return (List<Double>) value;
  }

  @Override
  public String toString() {
    return "SkyMapConfig[" + name + ", " + skyMapType + "/" + tractBuilder() + ", sha1=" + sha1Hex() + "]";
  }
}
