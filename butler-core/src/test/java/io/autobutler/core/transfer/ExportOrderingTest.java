package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobutler.core.time.TaiTime;
import io.autobutler.core.time.Timespan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** daf_butler's export order, from any order of blocks and records. */
class ExportOrderingTest {

  @Test
  void shuffledRichFileSortsBackIntoFileOrder() throws IOException {
    ExportFile file = new ExportFileReader().read(ExportFileRoundTripTest.resource("rich-export.yaml"));
    Random random = new Random(7);
    for (int round = 0; round < 10; round++) {
      List<ExportBlock> blocks = new ArrayList<>();
      for (ExportBlock block : file.blocks()) {
        blocks.add(shuffleInside(block, random));
      }
      Collections.shuffle(blocks, random);
      assertThat(ExportOrdering.sort(new ExportFile(file.header(), blocks))).isEqualTo(file);
    }
  }

  private static ExportBlock shuffleInside(ExportBlock block, Random random) {
    if (block instanceof DimensionBlock d) {
      List<DimensionRecordData> records = new ArrayList<>(d.records());
      Collections.shuffle(records, random);
      return new DimensionBlock(d.element(), records);
    }
    if (block instanceof DatasetBlock d) {
      List<FileDatasetData> files = new ArrayList<>();
      for (FileDatasetData f : d.records()) {
        List<DatasetRefData> refs = new ArrayList<>(f.refs());
        Collections.shuffle(refs, random);
        files.add(new FileDatasetData(refs, f.path(), f.formatter()));
      }
      Collections.shuffle(files, random);
      return new DatasetBlock(d.datasetType(), d.run(), files);
    }
    if (block instanceof TaggedAssociationsBlock t) {
      List<UUID> ids = new ArrayList<>(t.datasetIds());
      Collections.shuffle(ids, random);
      return new TaggedAssociationsBlock(t.collection(), ids);
    }
    return block;
  }

  @Test
  void recordsSortByDataIdAndElementsByUniverseOrder() {
    ExportFile sorted = ExportOrdering.sort(ExportFile.of(List.of(
        new DimensionBlock("detector", List.of(
            DimensionRecordData.of("instrument", "B", "id", 1L, "full_name", "b1"),
            DimensionRecordData.of("instrument", "A", "id", 10L, "full_name", "a10"),
            DimensionRecordData.of("instrument", "A", "id", 9L, "full_name", "a9"))),
        new DimensionBlock("instrument", List.of(DimensionRecordData.of("name", "B"))),
        new DimensionBlock("instrument", List.of(DimensionRecordData.of("name", "A"),
            DimensionRecordData.of("name", "B", "class_name", "duplicate, dropped"))))));
    assertThat(sorted.blocks()).containsExactly(
        new DimensionBlock("instrument", List.of(DimensionRecordData.of("name", "A"),
            DimensionRecordData.of("name", "B"))),
        new DimensionBlock("detector", List.of(
            DimensionRecordData.of("instrument", "A", "id", 9L, "full_name", "a9"),
            DimensionRecordData.of("instrument", "A", "id", 10L, "full_name", "a10"),
            DimensionRecordData.of("instrument", "B", "id", 1L, "full_name", "b1"))));
  }

  @Test
  void chainsComeAfterOtherCollectionsChildrenFirst() {
    ExportFile sorted = ExportOrdering.sort(ExportFile.of(List.of(
        CollectionBlock.chained("a/top", null, List.of("m/middle", "z/run")),
        CollectionBlock.chained("m/middle", null, List.of("z/run", "b/tagged")),
        CollectionBlock.chained("b/other-chain", null, List.of("z/run")),
        CollectionBlock.run("z/run", null),
        CollectionBlock.tagged("b/tagged", "doc"),
        CollectionBlock.calibration("Z/calib", null))));
    assertThat(sorted.blocks(CollectionBlock.class)).extracting(CollectionBlock::name)
        .containsExactly("Z/calib", "b/tagged", "z/run", "b/other-chain", "m/middle", "a/top");
  }

  @Test
  void chainCyclesAreReported() {
    ExportFile cyclic = ExportFile.of(List.of(
        CollectionBlock.chained("a", null, List.of("b")),
        CollectionBlock.chained("b", null, List.of("a")),
        CollectionBlock.chained("c", null, List.of())));
    assertThatThrownBy(() -> ExportOrdering.sort(cyclic)).isInstanceOf(IllegalStateException.class)
        .hasMessage("Apparent cycle in CHAINED collection dependencies involving [a, b].");
  }

  @Test
  void datasetsPerTypeAndRunWithTheirTypeAndMissingRuns() {
    UUID id1 = UUID.fromString("00000000-0000-4000-8000-000000000001");
    UUID id2 = UUID.fromString("00000000-0000-4000-8000-000000000002");
    UUID id3 = UUID.fromString("00000000-0000-4000-8000-000000000003");
    DatasetTypeBlock flat = new DatasetTypeBlock("flat", List.of("instrument", "detector"), "ExposureF", true);
    ExportFile sorted = ExportOrdering.sort(ExportFile.of(List.of(
        new DatasetBlock("flat", "run2", List.of(file("f3", id3, 3L))),
        flat,
        new DatasetBlock("flat", "run1", List.of(file("f2", id2, 2L))),
        new DatasetBlock("flat", "run1", List.of(file("f1", id1, 1L))),
        new CalibrationAssociationsBlock("calib", List.of(
            new ValidityRange(Timespan.of(TaiTime.parse("2024-01-01 00:00:00"), null), List.of(id3, id1)),
            new ValidityRange(Timespan.of(null, TaiTime.parse("2024-01-01 00:00:00")), List.of(id2, id1)))),
        CollectionBlock.calibration("calib", null))));
    assertThat(sorted.blocks()).containsExactly(
        CollectionBlock.calibration("calib", null),
        CollectionBlock.run("run1", null),
        CollectionBlock.run("run2", null),
        flat,
        new DatasetBlock("flat", "run1", List.of(file("f1", id1, 1L), file("f2", id2, 2L))),
        flat,
        new DatasetBlock("flat", "run2", List.of(file("f3", id3, 3L))),
        new CalibrationAssociationsBlock("calib", List.of(
            new ValidityRange(Timespan.of(null, TaiTime.parse("2024-01-01 00:00:00")), List.of(id1, id2)),
            new ValidityRange(Timespan.of(TaiTime.parse("2024-01-01 00:00:00"), null), List.of(id1, id3)))));
  }

  private static FileDatasetData file(String path, UUID id, long detector) {
    return new FileDatasetData(List.of(new DatasetRefData(id, Map.of("instrument", "Cam", "detector", detector))),
        path, null);
  }

  @Test
  void stringsCompareByCodePoint() {
    assertThat(ExportOrdering.compareStrings("B", "a")).isNegative();
    assertThat(ExportOrdering.compareStrings("\uFFFD", "\uD83D\uDE00")).isNegative();
    assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
    assertThat(ExportOrdering.compareStrings("ab", "abc")).isNegative();
  }
}
