package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.autobutler.core.table.TextTable;

/** The table butler export-calibs prints: datasets by type and data ID, implied dimensions from the records. */
class ExportedDatasetsTableTest {

  @Test
  void rowsCarryTheExpandedDataIdsInTypeAndDataIdOrder() throws IOException {
    TextTable table = ExportedDatasetsTable.of(new ExportFileReader().read(
        ExportFileRoundTripTest.resource("rich-export.yaml")));
    assertThat(table.headers()).containsExactly("calibrationType", "run", "band", "day_obs", "detector", "exposure",
        "group", "instrument", "physical_filter", "skymap");
    assertThat(table.rows()).extracting(row -> String.join("|", row)).containsExactly(
        "bias|LSSTComCam/calib/DM-48650/run|||0|||LSSTComCam||",
        "bias|LSSTComCam/calib/DM-48650/run|||1|||LSSTComCam||",
        "bias|LSSTComCam/calib/DM-48650/run|||2|||LSSTComCam||",
        // band through exposure -> physical_filter; day_obs and group from the exposure record
        "raw|LSSTComCam/raw/all|r|20241108|0|2024110800123|2024-11-09T04:12:31.028|LSSTComCam|r_03|",
        "raw|LSSTComCam/raw/all|r|20241108|1|2024110800123|2024-11-09T04:12:31.028|LSSTComCam|r_03|",
        "raw|LSSTComCam/raw/all|r|20241108|2|2024110800123|2024-11-09T04:12:31.028|LSSTComCam|r_03|",
        "skyMap|skymaps||||||||lsst_cells_v1");
  }
}
