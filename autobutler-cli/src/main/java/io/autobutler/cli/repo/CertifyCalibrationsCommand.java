package io.autobutler.cli.repo;

import java.util.LinkedHashMap;
import java.util.Map;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler certify-calibrations}: butler's {@code certify-calibrations}, done by catalog-service. */
@Command(name = "certify-calibrations", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Certify calibrations in a repository.",
        "",
        "autobutler: POST /api/repositories/<REPO>/certify-calibrations, which registers OUTPUT_COLLECTION as "
            + "CALIBRATION if needed and certifies the datasets of DATASET_TYPE_NAME found in INPUT_COLLECTION over "
            + "[--begin-date, --end-date) (TAI; unbounded where absent). Prints nothing, as the butler; finding no "
            + "dataset is an error, as in the butler."})
public class CertifyCalibrationsCommand extends RepoCommand {

  @Parameters(index = "1", paramLabel = "INPUT_COLLECTION",
      description = "The collection to pull calibrations from: usually an existing RUN or CHAINED collection; not a "
          + "CALIBRATION collection.")
  String inputCollection;

  @Parameters(index = "2", paramLabel = "OUTPUT_COLLECTION",
      description = "The CALIBRATION collection to certify them in; registered if it does not exist.")
  String outputCollection;

  @Parameters(index = "3", paramLabel = "DATASET_TYPE_NAME", description = "The dataset type to certify.")
  String datasetType;

  @Option(names = "--begin-date", paramLabel = "TEXT",
      description = "ISO-8601 datetime (TAI) of the beginning of the validity range for the certified calibrations.")
  String beginDate;

  @Option(names = "--end-date", paramLabel = "TEXT",
      description = "ISO-8601 datetime (TAI) of the end of the validity range for the certified calibrations.")
  String endDate;

  @Option(names = "--search-all-inputs",
      description = "Search all children of the inputCollection if it is a CHAINED collection, instead of just the "
          + "most recent one.")
  boolean searchAllInputs;

  @Override
  protected int run(Context context) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("inputCollection", inputCollection);
    body.put("outputCollection", outputCollection);
    body.put("datasetType", datasetType);
    body.put("beginDate", beginDate);
    body.put("endDate", endDate);
    body.put("searchAllInputs", searchAllInputs);
    int certified = context.client().post(context.path("certify-calibrations"), body).body().path("certified")
        .asInt(0);
    if (certified == 0) {
      // the butler's RuntimeError when the query finds nothing
      throw new CliException("No inputs found for dataset " + datasetType + " in " + inputCollection + ".");
    }
    return 0;
  }
}
