package io.autobutler.core.skymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.registry.RegistryRows;
import io.autobutler.core.registry.dimensions.DimensionRecordManager.Mode;
import io.autobutler.core.sphgeom.ConvexPolygon;
import io.autobutler.core.sphgeom.UnitVector3d;
import io.autobutler.core.transfer.Region;
import io.autobutler.testsupport.PostgresServer;

/** Bulk loading of tract and patch records into a real registry. */
class TractPatchLoaderTest {

  /**
   * A small cells skymap: 4 rings of 36° (9, 11, 11, 9 tracts plus the caps: 42 tracts), 60″ pixels and
   * 500-pixel patches, 5×5 per tract.
   */
  static final String SMALL_RINGS = String.join("\n",
      "config.name = 'rings4'",
      "config.skyMap = 'rings'",
      "config.skyMap['rings'].numRings = 4",
      "config.skyMap['rings'].projection = 'TAN'",
      "config.skyMap['rings'].pixelScale = 60.0",
      "config.skyMap['rings'].tractOverlap = 1.0",
      "config.skyMap['rings'].tractBuilder = 'cells'",
      "config.skyMap['rings'].tractBuilder['cells'].cellInnerDimensions = [100, 100]",
      "config.skyMap['rings'].tractBuilder['cells'].numCellsPerPatchInner = 5",
      "");

  private static final SkyMapConfig SMALL = SkyMapConfig.parse(SMALL_RINGS, "rings4.skymap.config");

  private static DataSource dataSource;
  private static int namespaces;
  private Registry registry;

  @BeforeAll
  static void database() {
    dataSource = PostgresServer.preferred().createDatabase("skymap_load").dataSource();
  }

  @BeforeEach
  void emptyRegistry() {
    String namespace = "skymap_load_" + (++namespaces);
    RegistryMigrations.migrateRegistry(dataSource, namespace);
    registry = new Registry(dataSource, namespace);
  }

  private TractPatchLoader.Loaded register(SkyMapConfig config) {
    return registry.transaction(c -> {
      registry.dimensions().insert(c, "skymap", List.of(config.skymapRecord()), Mode.SYNC);
      return TractPatchLoader.load(c, config.definition());
    });
  }

  @Test
  void writesEveryTractAndPatchWithItsRegion() {
    SkyMapDefinition small = SMALL.definition();
    assertThat(small.ringNums()).containsExactly(9, 11, 11, 9);
    assertThat(small.tractCount()).isEqualTo(42);
    assertThat(small.patchCount()).isEqualTo(42 * 25);

    assertThat(register(SMALL)).isEqualTo(new TractPatchLoader.Loaded(42, 1050));

    assertThat(longs("SELECT count(*) FROM tract WHERE skymap = 'rings4'")).containsExactly(42L);
    assertThat(longs("SELECT count(*) FROM patch WHERE skymap = 'rings4'")).containsExactly(1050L);
    assertThat(longs("SELECT count(DISTINCT id) FROM patch GROUP BY tract")).containsOnly(25L);
    assertThat(longs("SELECT count(*) FROM patch WHERE id <> 5 * cell_y + cell_x OR cell_x NOT BETWEEN 0 AND 4"))
        .containsExactly(0L);
    // The stored text is the base64 of the regions the definition computes, and they decode as polygons.
    assertThat(strings("SELECT region FROM tract WHERE id = 17")).containsExactly(
        (String) small.tractRecord(17).get("region"));
    Map<String, Object> patch = small.patchRecords(17).get(13);
    assertThat(strings("SELECT region FROM patch WHERE tract = 17 AND id = 13")).containsExactly((String) patch.get("region"));
    ConvexPolygon region = ConvexPolygon.decode(Region.fromBase64((String) patch.get("region")).encoded());
    TractGeometry tract = small.tract(17);
    // Patch 13 is (3, 2): inner pixels 1500-1999 × 1000-1499, outer ones 150 more on each side.
    assertThat(region.contains(tract.pixelToSky(1749.5, 1249.5))).isTrue();
    assertThat(region.contains(tract.pixelToSky(1355, 855))).isTrue();
    assertThat(region.contains(tract.pixelToSky(1345, 1249.5))).isFalse();
    for (String text : strings("SELECT region FROM patch")) {
      assertThat(ConvexPolygon.decode(Region.fromBase64(text).encoded()).vertices()).hasSize(4);
    }
  }

  @Test
  void registeringAgainChangesNothing() {
    register(SMALL);
    List<String> before = strings("SELECT tract || '/' || id || '/' || region FROM patch ORDER BY tract, id");
    assertThat(register(SMALL)).isEqualTo(new TractPatchLoader.Loaded(0, 0));
    assertThat(strings("SELECT tract || '/' || id || '/' || region FROM patch ORDER BY tract, id"))
        .isEqualTo(before);
  }

  @Test
  void fillsInWhatIsMissingAndKeepsWhatIsThere() throws SQLException {
    // As if an export file had brought the skymap with tract 5 and two of its patches, one with another region.
    registry.transaction(c -> {
      registry.dimensions().insert(c, "skymap", List.of(SMALL.skymapRecord()), Mode.SYNC);
      registry.dimensions().insert(c, "tract", List.of(SMALL.definition().tractRecord(5)), Mode.SYNC);
      List<Map<String, Object>> patches = new ArrayList<>(SMALL.definition().patchRecords(5).subList(0, 2));
      patches.get(1).put("region", Region.of(someOtherPolygon()).base64());
      registry.dimensions().insert(c, "patch", patches, Mode.SYNC);
      return null;
    });
    assertThat(register(SMALL)).isEqualTo(new TractPatchLoader.Loaded(41, 1048));
    assertThat(longs("SELECT count(*) FROM patch")).containsExactly(1050L);
    assertThat(strings("SELECT region FROM patch WHERE tract = 5 AND id = 1"))
        .containsExactly(Region.of(someOtherPolygon()).base64());
    assertThat(register(SMALL)).isEqualTo(new TractPatchLoader.Loaded(0, 0));
  }

  @Test
  void skymapsAreCountedApart() {
    register(SMALL);
    SkyMapConfig other = SkyMapConfig.parse(SMALL_RINGS.replace("'rings4'", "'rings4b'")
        .replace("numRings = 4", "numRings = 3"), "rings3.skymap.config");
    TractPatchLoader.Loaded loaded = register(other);
    assertThat(loaded.tracts()).isEqualTo(other.definition().tractCount());
    assertThat(loaded.patches()).isEqualTo(other.definition().patchCount());
    assertThat(longs("SELECT count(*) FROM tract GROUP BY skymap ORDER BY skymap"))
        .containsExactly(42L, (long) other.definition().tractCount());
  }

  @Test
  void aFailedRegistrationLeavesNoRecords() {
    assertThatThrownBy(() -> registry.transaction(c -> {
      registry.dimensions().insert(c, "skymap", List.of(SMALL.skymapRecord()), Mode.SYNC);
      TractPatchLoader.load(c, SMALL.definition());
      throw new IllegalStateException("later step failed");
    })).hasMessage("later step failed");
    assertThat(longs("SELECT count(*) FROM patch")).containsExactly(0L);
    assertThat(register(SMALL)).isEqualTo(new TractPatchLoader.Loaded(42, 1050));
  }

  private static ConvexPolygon someOtherPolygon() {
    return ConvexPolygon.hullOf(List.of(UnitVector3d.fromLonLat(0, 0), UnitVector3d.fromLonLat(0.1, 0),
        UnitVector3d.fromLonLat(0.1, 0.1)));
  }

  private List<Long> longs(String sql) {
    return strings(sql).stream().map(Long::valueOf).toList();
  }

  private List<String> strings(String sql) {
    return RegistryRows.strings(registry, sql);
  }
}
