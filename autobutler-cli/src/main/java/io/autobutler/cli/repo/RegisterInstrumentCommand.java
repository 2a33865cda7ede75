package io.autobutler.cli.repo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./autobutler register-instrument}: pipe_base's {@code register-instrument}, done by catalog-service. */
@Command(name = "register-instrument", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Add an instrument to the data repository.",
        "",
        "autobutler: POST /api/repositories/<REPO>/register-instrument once per INSTRUMENT: the instrument, detector "
            + "and physical_filter records (known: lsst.obs.lsst.LsstComCam, lsst.obs.lsst.LsstCam). Nothing on "
            + "stdout, as the butler; what was written is logged on stderr. Running it again changes nothing."})
public class RegisterInstrumentCommand extends RepoCommand {

  @Parameters(index = "1..*", paramLabel = "INSTRUMENT", arity = "1..*",
      description = "The fully-qualified name of an Instrument subclass.")
  List<String> instruments = new ArrayList<>();

  @Option(names = "--update",
      description = "Update the existing instrument and detector records if they differ from the new ones. "
          + "autobutler: not supported yet (a differing record is a conflict).")
  boolean update;

  @Override
  protected int run(Context context) {
    if (update) {
      throw new CliException("--update is not supported yet: catalog-service only inserts missing records and "
          + "refuses differing ones");
    }
    for (String instrument : instruments) {
      JsonNode reply = context.client().post(context.path("register-instrument"), Map.of("instrument", instrument))
          .body();
      logSummary(context, reply);
    }
    return 0;
  }

  /** The service's summary of what it wrote, as an INFO log line on stderr (stdout stays as the butler's). */
  static void logSummary(Context context, JsonNode reply) {
    String summary = reply.path("summary").asText("");
    if (!summary.isEmpty()) {
      QueryDatasetsCommand.log(context.err(), "autobutler", "INFO", summary);
      context.err().flush();
    }
  }
}
