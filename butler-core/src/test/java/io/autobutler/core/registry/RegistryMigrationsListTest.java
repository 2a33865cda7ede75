package io.autobutler.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps every {@code migrations.list} equal to the {@code V*.sql} files beside it in {@code src/main/resources}:
 * Flyway only sees the listed files, so a migration missing from its list would silently never run.
 */
class RegistryMigrationsListTest {

  private static final Path RESOURCES = Path.of("src", "main", "resources");
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__\\w+\\.sql");

  @ParameterizedTest
  @ValueSource(strings = {RegistryMigrations.REGISTRY_LOCATION, RegistryMigrations.INDEX_LOCATION})
  void listNamesExactlyTheMigrationsOfItsDirectory(String location) throws IOException {
    Path directory = RESOURCES.resolve(location);
    assertThat(directory).as("source directory of %s (tests run from the module directory)", location)
        .isDirectory();

    List<String> onDisk;
    try (Stream<Path> files = Files.list(directory)) {
      onDisk = files.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("V") && name.endsWith(".sql"))
          .sorted()
          .toList();
    }
    List<String> listed = parse(Files.readString(directory.resolve(RegistryMigrations.LIST_FILE),
        StandardCharsets.UTF_8));

    assertThat(onDisk).as("migrations in %s", directory).isNotEmpty();
    assertThat(listed).as("%s/%s", location, RegistryMigrations.LIST_FILE)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(onDisk);
    // What the runner reads from the class path is the same list.
    assertThat(RegistryMigrations.listedFiles(location)).containsExactlyElementsOf(listed);
  }

  @ParameterizedTest
  @ValueSource(strings = {RegistryMigrations.REGISTRY_LOCATION, RegistryMigrations.INDEX_LOCATION})
  void listedMigrationsAreWellNamedAndInVersionOrder(String location) throws IOException {
    List<String> listed = parse(Files.readString(RESOURCES.resolve(location).resolve(RegistryMigrations.LIST_FILE),
        StandardCharsets.UTF_8));
    assertThat(listed).isNotEmpty();
    assertThat(listed).allSatisfy(name -> assertThat(name).matches(VERSIONED));
    List<List<Integer>> versions = listed.stream().map(RegistryMigrationsListTest::version).toList();
    for (int i = 1; i < versions.size(); i++) {
      assertThat(compare(versions.get(i - 1), versions.get(i)))
          .as("%s is listed after %s", listed.get(i), listed.get(i - 1))
          .isNegative();
    }
  }

  private static List<String> parse(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
  }

  private static List<Integer> version(String fileName) {
    Matcher m = VERSIONED.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException(fileName);
    }
    return Stream.of(m.group(1).split("[._]")).map(Integer::valueOf).toList();
  }

  private static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int x = i < a.size() ? a.get(i) : 0;
      int y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }
}
