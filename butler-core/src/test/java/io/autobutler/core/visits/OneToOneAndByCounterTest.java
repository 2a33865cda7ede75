package io.autobutler.core.visits;

import static io.autobutler.core.visits.VisitFixtures.exposure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The default grouping of obs_base w.2025.20, on its own test case: a single exposure and a two-snap visit. */
class OneToOneAndByCounterTest {

  private static final VisitSystem ZERO = VisitSystem.ONE_TO_ONE;
  private static final VisitSystem TWO = VisitSystem.BY_SEQ_START_END;

  private final List<String> warnings = new ArrayList<>();

  @Test
  void singleExposuresAreVisitsOfBothSystemsAndSnapsMakeAMultiExposureVisit() {
    ExposureRecord e347 = exposure(347, 347, 347);
    ExposureRecord e348 = exposure(348, 348, 349);
    ExposureRecord e349 = exposure(349, 348, 349);
    // The registry's order does not matter.
    List<VisitDefinition> visits = OneToOneAndByCounter.group(List.of(e349, e347, e348), warnings::add);

    assertThat(visits).containsExactly(
        new VisitDefinition("LSSTComCam", 2022040500347L, "CC_O_20220405_000347", Set.of(ZERO, TWO), List.of(e347)),
        new VisitDefinition("LSSTComCam", 92022040500348L, "CC_O_20220405_000348_first", Set.of(ZERO), List.of(e348)),
        new VisitDefinition("LSSTComCam", 2022040500349L, "CC_O_20220405_000349", Set.of(ZERO), List.of(e349)),
        new VisitDefinition("LSSTComCam", 2022040500348L, "CC_O_20220405_000348", Set.of(TWO), List.of(e348, e349)));
    assertThat(warnings).isEmpty();
    assertThat(OneToOneAndByCounter.visitSystems()).containsExactly(ZERO, TWO);
  }

  @Test
  void aMissingFirstSnapSkipsTheMultiExposureVisitWithAWarning() {
    ExposureRecord e349 = exposure(349, 348, 349);
    assertThat(OneToOneAndByCounter.group(List.of(e349), warnings::add)).containsExactly(
        new VisitDefinition("LSSTComCam", 2022040500349L, "CC_O_20220405_000349", Set.of(ZERO), List.of(e349)));
    assertThat(warnings).containsExactly("First exposure for visit (20220405, 348, 349) is not present. Skipping the"
        + " multi-snap definition.");
    assertThat(OneToOneAndByCounter.missingSeqNums(List.of(e349))).containsExactly(348L);
  }

  @Test
  void aPresentFirstSnapAloneStillDefinesTheMultiExposureVisit() {
    ExposureRecord e348 = exposure(348, 348, 350);
    assertThat(OneToOneAndByCounter.group(List.of(e348), warnings::add)).extracting(VisitDefinition::id)
        .containsExactly(92022040500348L, 2022040500348L);
    assertThat(OneToOneAndByCounter.missingSeqNums(List.of(e348))).containsExactly(349L, 350L);
    assertThat(warnings).isEmpty();
  }

  @Test
  void seqNumZeroMeansNoCountersAndNoWarning() {
    ExposureRecord e0 = exposure(0, 5, 6);
    assertThat(OneToOneAndByCounter.group(List.of(e0), warnings::add)).hasSize(1);
    assertThat(warnings).isEmpty();
  }

  @Test
  void exposuresOfOtherNightsAreOtherSequences() {
    ExposureRecord tonight = exposure(10, 10, 11);
    ExposureRecord e = exposure(11, 10, 11);
    ExposureRecord tomorrow = new ExposureRecord(e.instrument(), 2022040600011L, "CC_O_20220406_000011",
        e.physicalFilter(), 20220406L, e.group(), 11L, 10L, 11L, e.exposureTime(), e.observationType(),
        e.observationReason(), e.targetName(), e.scienceProgram(), e.trackingRa(), e.trackingDec(), e.skyAngle(),
        e.azimuth(), e.zenithAngle(), e.canSeeSky(), e.begin(), e.end());
    assertThat(OneToOneAndByCounter.groups(List.of(tonight, tomorrow))).hasSize(2);
    OneToOneAndByCounter.group(List.of(tonight, tomorrow), warnings::add);
    assertThat(warnings).containsExactly("First exposure for visit (20220406, 10, 11) is not present. Skipping the"
        + " multi-snap definition.");
  }
}
