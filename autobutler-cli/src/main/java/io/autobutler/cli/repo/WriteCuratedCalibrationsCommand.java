package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import io.autobutler.core.instrument.InstrumentDefinition;
import io.autobutler.core.instrument.Instruments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler write-curated-calibrations}: obs_base's {@code write-curated-calibrations}, by catalog-service. */
@Command(name = "write-curated-calibrations", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Add an instrument's curated calibrations to the data repository.",
        "",
        "autobutler: POST /api/repositories/<REPO>/write-curated-calibrations: the camera and the curated "
            + "calibrations of obs_lsst_data (w.2025.20) in the RUNs <INSTRUMENT>/calib/<labels>/unbounded and "
            + "<INSTRUMENT>/calib/<labels>/curated/<date>, certified in the CALIBRATION collection "
            + "<INSTRUMENT>/calib/<labels>. The files themselves are not written. Nothing on stdout, as the butler; "
            + "what was written is logged on stderr. Running it again changes nothing."})
public class WriteCuratedCalibrationsCommand extends RepoCommand {

  static final String NO_LABEL = "At least one label or --collection must be provided.";

  @Parameters(index = "1", paramLabel = "INSTRUMENT",
      description = "The name or fully-qualified class name of an instrument.")
  String instrument;

  @Parameters(index = "2..*", paramLabel = "LBL", arity = "0..*",
      description = "LBL: One or more extra strings to include in the collection name (see --label).")
  List<String> labelArguments = new ArrayList<>();

  @Option(names = "--collection", paramLabel = "TEXT",
      description = "Name of the calibration collection that associates datasets with validity ranges. autobutler: "
          + "only the default name, <INSTRUMENT>/calib/<labels>, is supported yet.")
  String collection;

  @Option(names = "--label", paramLabel = "TEXT",
      description = "Extra strings to include (with automatic delimiters) in all RUN collection names, as well as "
          + "the calibration collection name if it is not provided via --collection. May be provided as a "
          + "positional argument instead of or in addition to this option, as long as at least one label is "
          + "provided.  Positional-argument labels appear before those provided by this option.")
  List<String> labelOptions = new ArrayList<>();

  @Option(names = "--prefix", paramLabel = "TEXT",
      description = "Prefix for the collection name.  Default is the instrument name. This is ignored if "
          + "--collection is passed. autobutler: only the instrument name is supported yet.")
  String prefix;

  @Override
  protected int run(Context context) {
    List<String> labels = new ArrayList<>(labelArguments);
    labels.addAll(labelOptions);
    if (labels.isEmpty()) {
      // the instrument supplies no default labels (obs_base's default, kept by obs_lsst at w.2025.20)
      throw new CliException(NO_LABEL);
    }
    Optional<InstrumentDefinition> known = Instruments.lookup(instrument);
    if (collection != null) {
      String expected = known.map(i -> i.collections().calibCollection(labels.toArray(String[]::new))).orElse(null);
      if (!collection.equals(expected)) {
        throw new CliException("--collection " + collection + " is not supported yet: autobutler writes the "
            + "calibration collection <INSTRUMENT>/calib/<labels>"
            + (expected == null ? "" : " (" + expected + ")") + "; leave --collection out");
      }
    } else if (prefix != null && !known.map(i -> i.name().equals(prefix)).orElse(false)) {
      throw new CliException("--prefix " + prefix + " is not supported yet: autobutler names the collections after "
          + "the instrument" + known.map(i -> " (" + i.name() + ")").orElse("") + "; leave --prefix out");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instrument", instrument);
    body.put("labels", labels);
    JsonNode reply = context.client().post(context.path("write-curated-calibrations"), body).body();
    RegisterInstrumentCommand.logSummary(context, reply);
    return 0;
  }
}
