package io.autobutler.cli.repo;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler decertify-calibrations}: daf_butler's {@code Registry.decertify}, done by catalog-service. */
@Command(name = "decertify-calibrations", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Remove a validity range from the certifications of a dataset type in a CALIBRATION collection: "
            + "certifications inside [--begin-date, --end-date) are removed, those overlapping one end are "
            + "truncated and those covering the range are split in two.",
        "",
        "autobutler extension: daf_butler's command line has no such command (its Python API has "
            + "Registry.decertify, whose rules this follows). POST /api/repositories/<REPO>/decertify-calibrations, "
            + "in one transaction. Prints nothing."})
public class DecertifyCalibrationsCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "COLLECTION", description = "The CALIBRATION collection.")
  String collection;

  @Parameters(index = "2", paramLabel = "DATASET_TYPE_NAME", description = "The calibration dataset type.")
  String datasetType;

  @Option(names = "--begin-date", paramLabel = "TEXT",
      description = "ISO-8601 datetime (TAI) of the beginning of the range to decertify; unbounded when absent.")
  String beginDate;

  @Option(names = "--end-date", paramLabel = "TEXT",
      description = "ISO-8601 datetime (TAI) of the end of the range to decertify (excluded); unbounded when absent.")
  String endDate;

  @Option(names = "--where", paramLabel = "TEXT", defaultValue = "",
      description = "A string expression similar to a SQL WHERE clause selecting the data IDs to decertify, among "
          + "the datasets certified in COLLECTION (e.g. \"detector IN (0..8)\"); all data IDs when absent.")
  String where;

  @Override
  protected int run(Context context) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("collection", collection);
    body.put("datasetType", datasetType);
    body.put("beginDate", beginDate);
    body.put("endDate", endDate);
    body.put("where", where.isEmpty() ? null : where);
    context.client().post(context.path("decertify-calibrations"), body);
    return 0;
  }
}
