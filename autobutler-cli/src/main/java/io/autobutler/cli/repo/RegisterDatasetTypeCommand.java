package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler register-dataset-type}: butler's {@code register-dataset-type}, done by catalog-service. */
@Command(name = "register-dataset-type", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Register a new dataset type with this butler repository.",
        "",
        "DATASET_TYPE is the name of the dataset type.",
        "",
        "STORAGE_CLASS is the name of the StorageClass to be associated with this dataset type.",
        "",
        "DIMENSIONS is a list of all the dimensions relevant to this dataset type. It can be an empty list.",
        "",
        "A component dataset type (such as \"something.component\") is not a real dataset type and so can not be "
            + "defined by this command. They are automatically derived from the composite dataset type when a "
            + "composite storage class is specified.",
        "",
        "autobutler: POST /api/repositories/<REPO>/dataset-types."})
public class RegisterDatasetTypeCommand extends RepoCommand {

  static final String REGISTERED = "Dataset type successfully registered.";
  static final String EXISTED = "Dataset type already existed in identical form.";

  @Parameters(index = "1", paramLabel = "DATASET_TYPE", description = "The name of the dataset type.")
  String datasetType;

  @Parameters(index = "2", paramLabel = "STORAGE_CLASS", description = "The storage class of the dataset type.")
  String storageClass;

  @Parameters(index = "3..*", paramLabel = "DIMENSIONS", arity = "0..*",
      description = "The dimensions of the dataset type (may be none).")
  List<String> dimensions = new ArrayList<>();

  @Option(names = "--is-calibration", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Indicate that this dataset type can be part of a calibration collection.")
  boolean isCalibration;

  @Override
  protected int run(Context context) {
    if (datasetType.indexOf('.') >= 0) {
      // DatasetType.splitDatasetTypeName: anything after the first '.' is a component
      throw new CliException("Component dataset types are created automatically when the composite is created.");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", datasetType);
    body.put("storageClass", storageClass);
    body.put("dimensions", dimensions);
    body.put("isCalibration", isCalibration);
    CatalogClient.Reply reply = context.client().post(context.path("dataset-types"), body);
    boolean created = reply.body().path("created").asBoolean(reply.created());
    context.out().println(created ? REGISTERED : EXISTED);
    return 0;
  }
}
