package io.autobutler.core.visits;

import static io.autobutler.core.visits.VisitFixtures.exposure;
import static io.autobutler.core.visits.VisitFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.autobutler.core.registry.RegistryException;

/** The visit record upstream's _buildVisitRecords makes from a visit's exposures. */
class VisitRecordTest {

  @Test
  void aOneExposureVisitCopiesItsExposure() {
    ExposureRecord e = exposure(347, 347, 347);
    VisitRecord visit = VisitRecord.of(new VisitDefinition("LSSTComCam", e.id(), e.obsId(),
        Set.of(VisitSystem.ONE_TO_ONE), List.of(e)), "cmVnaW9u");
    assertThat(visit).isEqualTo(new VisitRecord("LSSTComCam", e.id(), e.obsId(), "r_03", VisitFixtures.DAY, 347L,
        15.0, "field", "science", "BLOCK-1", 180.0, 20.0, "cmVnaW9u", e.begin(), e.end()));
  }

  @Test
  void aMultiExposureVisitAggregates() {
    ExposureRecord first = with(exposure(348, 348, 349), "science", "field", 350.0, 20.0);
    ExposureRecord second = with(exposure(349, 348, 349), "survey", "other", 10.0, 30.0);
    VisitRecord visit = VisitRecord.of(new VisitDefinition("LSSTComCam", first.id(), first.obsId(),
        Set.of(VisitSystem.BY_SEQ_START_END), List.of(first, second)), "x");
    assertThat(visit.exposureTime()).isEqualTo(30.0);
    assertThat(visit.begin()).isEqualTo(first.begin());
    assertThat(visit.end()).isEqualTo(second.end());
    assertThat(visit.seqNum()).isEqualTo(348L);
    assertThat(visit.zenithAngle()).isEqualTo(25.0);
    // 350 and 10 degrees average to 0 on the circle, not to 180.
    assertThat(visit.azimuth()).isCloseTo(0.0, within(1e-12));
    assertThat(visit.observationReason()).isEqualTo(VisitRecord.VARIOUS);
    assertThat(visit.targetName()).isNull();
    assertThat(visit.scienceProgram()).isEqualTo("BLOCK-1");
    assertThat(visit.physicalFilter()).isEqualTo("r_03");
  }

  @Test
  void aMissingValueMakesTheAggregateNull() {
    ExposureRecord first = with(exposure(348, 348, 349), null, "field", null, null);
    ExposureRecord second = exposure(349, 348, 349);
    VisitRecord visit = VisitRecord.of(new VisitDefinition("LSSTComCam", first.id(), first.obsId(),
        Set.of(VisitSystem.BY_SEQ_START_END), List.of(first, second)), "x");
    assertThat(visit.azimuth()).isNull();
    assertThat(visit.zenithAngle()).isNull();
    assertThat(visit.observationReason()).isEqualTo(VisitRecord.VARIOUS);
    assertThat(visit.targetName()).isEqualTo("field");
  }

  @Test
  void exposuresOfDifferentFiltersMakeNoVisit() {
    ExposureRecord first = exposure(348, 348, 349);
    ExposureRecord s = exposure(349, 348, 349);
    ExposureRecord second = new ExposureRecord(s.instrument(), s.id(), s.obsId(), "g_01", s.dayObs(), s.group(),
        s.seqNum(), s.seqStart(), s.seqEnd(), s.exposureTime(), s.observationType(), s.observationReason(),
        s.targetName(), s.scienceProgram(), s.trackingRa(), s.trackingDec(), s.skyAngle(), s.azimuth(),
        s.zenithAngle(), s.canSeeSky(), s.begin(), s.end());
    assertThatThrownBy(() -> VisitRecord.of(new VisitDefinition("LSSTComCam", first.id(), first.obsId(),
        Set.of(VisitSystem.BY_SEQ_START_END), List.of(first, second)), "x"))
        .isInstanceOf(RegistryException.class).hasMessageContaining("different physical filters [r_03, g_01]");
  }

  @Test
  void differencesNameTheFields() {
    ExposureRecord e = exposure(347, 347, 347);
    VisitDefinition definition = new VisitDefinition("LSSTComCam", e.id(), e.obsId(), Set.of(VisitSystem.ONE_TO_ONE),
        List.of(e));
    VisitRecord stored = VisitRecord.of(definition, "x");
    VisitRecord changed = VisitRecord.of(new VisitDefinition("LSSTComCam", e.id(), e.obsId(),
        Set.of(VisitSystem.ONE_TO_ONE), List.of(with(e, "science", "moved", 180.0, 20.0))), "y");
    assertThat(changed.differencesFrom(stored)).containsExactly("target_name: field != moved",
        "region: (old region) != (new region)");
    assertThat(stored.differencesFrom(stored)).isEmpty();
  }
}
