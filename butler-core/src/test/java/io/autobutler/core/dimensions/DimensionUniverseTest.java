package io.autobutler.core.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DimensionUniverseTest {

  private final DimensionUniverse universe = DimensionUniverse.v7();

  @Test
  void rawGroupMatchesDafButler() {
    DimensionGroup raw = universe.group(List.of("instrument", "detector", "exposure"));
    assertThat(raw.names()).containsExactly("band", "instrument", "day_obs", "detector", "group", "physical_filter",
        "exposure");
    assertThat(raw.required()).containsExactly("instrument", "detector", "exposure");
    assertThat(raw.implied()).containsExactly("band", "day_obs", "group", "physical_filter");
    assertThat(raw.dataCoordinateKeys()).containsExactly("instrument", "detector", "exposure", "band", "day_obs",
        "group", "physical_filter");
  }

  @Test
  void otherGroups() {
    assertThat(universe.group(List.of("htm7")).names()).containsExactly("htm7");
    assertThat(universe.group(List.of()).isEmpty()).isTrue();
    assertThat(universe.group(List.of("instrument")).required()).containsExactly("instrument");
    DimensionGroup flat = universe.group(List.of("instrument", "detector", "physical_filter"));
    assertThat(flat.required()).containsExactly("instrument", "detector", "physical_filter");
    assertThat(flat.implied()).containsExactly("band");
    DimensionGroup calexp = universe.group(List.of("visit", "detector"));
    assertThat(calexp.required()).containsExactly("instrument", "detector", "visit");
    assertThat(calexp.names()).containsExactly("band", "instrument", "day_obs", "detector", "physical_filter", "visit");
    assertThat(universe.group(List.of("patch")).required()).containsExactly("skymap", "tract", "patch");
  }

  @Test
  void sortOrderFollowsTheUniverse() {
    assertThat(universe.sortIndex("band")).isZero();
    assertThat(universe.sortIndex("instrument")).isLessThan(universe.sortIndex("skymap"));
    assertThat(universe.sortIndex("visit_system")).isLessThan(universe.sortIndex("exposure"));
    assertThat(universe.sortIndex("patch")).isLessThan(universe.sortIndex("visit"));
    assertThatThrownBy(() -> universe.group(List.of("visit_definition"))).hasMessageContaining("not a dimension");
    assertThatThrownBy(() -> universe.group(List.of("nonsense"))).hasMessageContaining("'nonsense'");
  }
}
