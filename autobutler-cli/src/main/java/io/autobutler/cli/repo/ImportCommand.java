package io.autobutler.cli.repo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.autobutler.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ./autobutler import}: butler's {@code import}, done by catalog-service with transfer {@code direct}. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Import data into a butler repository.",
        "",
        "autobutler: the export file is read here and its text sent with POST /api/repositories/<REPO>/import; "
            + "the files stay where they are (only --transfer direct), their URIs are DIRECTORY joined with the "
            + "export's relative paths. Prints nothing, as the butler."})
public class ImportCommand extends RepoCommand {

  static final List<String> TRANSFERS =
      List.of("auto", "link", "symlink", "hardlink", "copy", "move", "relsymlink", "direct");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  @Parameters(index = "1", paramLabel = "DIRECTORY",
      description = "DIRECTORY is the folder containing dataset files (autobutler: a local path, made absolute, or "
          + "a URI such as davs://host/path/, sent as given). It may come after the options.")
  String directory;

  @Option(names = {"-t", "--transfer"}, paramLabel = "[auto|link|symlink|hardlink|copy|move|relsymlink|direct]",
      defaultValue = "auto", completionCandidates = Transfers.class, converter = Transfers.class,
      description = "The external data transfer mode. autobutler: only 'direct' (the default 'auto' and the others "
          + "would copy or link files, which autobutler never does).")
  String transfer;

  @Option(names = "--export-file", paramLabel = "TEXT", defaultValue = "export.yaml",
      description = "Name for the file that contains database information associated with the exported datasets.  "
          + "If this is not an absolute path, does not exist in the current working directory, and --dir is "
          + "provided, it is assumed to be in that directory.  Defaults to \"export.yaml\". autobutler: a file of "
          + "this machine; when it exists both in DIRECTORY and here, the one in DIRECTORY is used.")
  String exportFile;

  @Option(names = {"-s", "--skip-dimensions"}, paramLabel = "TEXT ...",
      description = "Dimensions that should be skipped during import")
  List<String> skipDimensions = new ArrayList<>();

  @Option(names = "--track-file-attrs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Indicate to the datastore whether file attributes such as file size or checksum should be "
          + "tracked or not. Whether this parameter is honored depends on the specific datastore implementation. "
          + "autobutler: accepted and ignored (files are not read).")
  boolean trackFileAttrs;

  /** {@code --transfer}: click's case-insensitive Choice, normalized to the choice's spelling. */
  static final class Transfers extends ArrayList<String> implements ITypeConverter<String> {
    Transfers() {
      super(TRANSFERS);
    }

    @Override
    public String convert(String value) {
      String lower = value.toLowerCase(Locale.ROOT);
      if (!TRANSFERS.contains(lower)) {
        throw new TypeConversionException("'" + value + "' is not one of "
            + String.join(", ", TRANSFERS.stream().map(m -> "'" + m + "'").toList()) + ".");
      }
      return lower;
    }
  }

  @Override
  protected int run(Context context) {
    if (!transfer.equals("direct")) {
      throw new CliException("transfer mode '" + transfer + "' is not supported: autobutler never copies or links "
          + "files, it records them where they are; use --transfer direct");
    }
    Optional<Path> localDirectory = localPath(directory).map(p -> p.toAbsolutePath().normalize());
    Path file = exportFile(context, localDirectory);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the export file " + file + ": " + e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("exportFile", text);
    body.put("directory", localDirectory.map(Path::toString).orElse(directory));
    body.put("transfer", transfer);
    body.put("skipDimensions", splitCommas(skipDimensions));
    context.client().post(context.path("import"), body);
    return 0;
  }

  /**
   * The export file as daf_butler's {@code import_} finds it: an absolute name as it is; a relative one in DIRECTORY
   * if it is there (with a warning when the current folder has one too), else in the current folder.
   */
  private Path exportFile(Context context, Optional<Path> localDirectory) {
    Path name = localPath(exportFile).orElseThrow(() -> new CliException("the export file '" + exportFile
        + "' is not a local file: autobutler reads the export file on this machine"));
    if (name.isAbsolute()) {
      if (!Files.isRegularFile(name)) {
        throw new CliException("Export file could not be found in " + name.toUri() + ".");
      }
      return name;
    }
    Path inCwd = name.toAbsolutePath().normalize();
    boolean existsInCwd = Files.isRegularFile(inCwd);
    if (localDirectory.isPresent()) {
      Path potential = localDirectory.get().resolve(name).normalize();
      boolean existsInDir = Files.isRegularFile(potential);
      if (existsInDir && existsInCwd) {
        QueryDatasetsCommand.log(context.err(), "lsst.daf.butler.direct_butler._direct_butler", "WARNING",
            "A relative path for filename was specified (" + exportFile + ") which exists relative to cwd. "
                + "Additionally, the file exists relative to the given search directory (" + potential.toUri()
                + "). Using the export file in the given directory.");
      }
      if (existsInDir) {
        return potential;
      }
      if (!existsInCwd) {
        throw new CliException("Export file could not be found in " + inCwd.toUri() + " or " + potential.toUri()
            + ".");
      }
    } else if (!existsInCwd) {
      String potential = directory + (directory.endsWith("/") ? "" : "/") + exportFile;
      throw new CliException("Export file could not be found in " + inCwd.toUri() + " or " + potential
          + " (autobutler looks for the export file on this machine only).");
    }
    return inCwd;
  }

  /** A path of this machine (a file: URI or a plain path, as given), or empty for a URI of another scheme. */
  static Optional<Path> localPath(String value) {
    try {
      if (value.regionMatches(true, 0, "file:", 0, 5)) {
        return Optional.of(Path.of(URI.create(value)));
      }
      if (SCHEME.matcher(value).matches()) {
        return Optional.empty();
      }
      return Optional.of(Path.of(value));
    } catch (IllegalArgumentException e) {
      throw new CliException("'" + value + "' is neither a path nor a URI: " + e.getMessage());
    }
  }
}
