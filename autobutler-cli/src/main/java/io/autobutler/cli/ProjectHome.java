package io.autobutler.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the autobutler project (the folder of {@code ./autobutler}, {@code deploy/} and the service modules) is.
 * In order: the system property {@code autobutler.home} (the launcher sets it), the environment variable
 * {@code AUTOBUTLER_HOME}, the folder this code was loaded from ({@code autobutler-cli/target/…}), the
 * working directory.
 */
public final class ProjectHome {

  public static final String PROPERTY = "autobutler.home";
  public static final String ENV = "AUTOBUTLER_HOME";

  private ProjectHome() {
  }

  public static Path locate(Map<String, String> env) {
    String fromProperty = System.getProperty(PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return normalize(Path.of(fromProperty));
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return normalize(Path.of(fromEnv));
    }
    return fromCodeLocation().orElseGet(() -> normalize(Path.of("")));
  }

  /** The project root above {@code autobutler-cli/target/<jar or classes>}, when this code runs from there. */
  static Optional<Path> fromCodeLocation() {
    try {
      var source = ProjectHome.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      for (Path dir = location; dir != null; dir = dir.getParent()) {
        if (isProjectRoot(dir)) {
          return Optional.of(normalize(dir));
        }
      }
      return Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static boolean isProjectRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("autobutler-cli"))
        && Files.isDirectory(dir.resolve("deploy"));
  }

  private static Path normalize(Path path) {
    return path.toAbsolutePath().normalize();
  }
}
