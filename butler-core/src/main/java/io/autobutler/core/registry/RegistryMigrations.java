package io.autobutler.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Creates and upgrades database schemas with Flyway.
 *
 * <p>Two schema families exist: the <em>index</em> ({@code autobutler} by default: the repositories this
 * installation knows and the replica ledger) and one <em>registry</em> schema per repository namespace, as in
 * the butler. Migrations are listed in a {@code migrations.list} file beside them instead of being discovered by
 * classpath scanning, because scanning directories inside jars does not work under every class loader (the
 * Quarkus runner's among them); a unit test keeps each list equal to its directory.
 */
public final class RegistryMigrations {

  /** The migrations of a repository's registry schema. */
  public static final String REGISTRY_LOCATION = "db/registry";
  /** The migrations of the index schema. */
  public static final String INDEX_LOCATION = "db/index";
  public static final String LIST_FILE = "migrations.list";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private RegistryMigrations() {
  }

  /** Creates the registry schema {@code namespace} if needed and brings it to the latest version. */
  public static MigrateResult migrateRegistry(DataSource dataSource, String namespace) {
    return migrate(dataSource, namespace, REGISTRY_LOCATION);
  }

  /** Creates the index schema if needed and brings it to the latest version. */
  public static MigrateResult migrateIndex(DataSource dataSource, String indexSchema) {
    return migrate(dataSource, indexSchema, INDEX_LOCATION);
  }

  /** True when {@code name} can be a schema name as the butler's namespaces are: lower case, digits, underscores. */
  public static boolean isValidSchemaName(String name) {
    return name != null && SCHEMA_NAME.matcher(name).matches();
  }

  private static MigrateResult migrate(DataSource dataSource, String schema, String location) {
    if (!isValidSchemaName(schema)) {
      throw new IllegalArgumentException("'" + schema + "' is not a valid namespace: use 1 to 63 lower-case letters,"
          + " digits and underscores, starting with a letter or an underscore");
    }
    return Flyway.configure(RegistryMigrations.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .locations("classpath:" + location)
        .resourceProvider(new ListedResources(location))
        .placeholders(java.util.Map.of("schema", schema))
        .load()
        .migrate();
  }

  /** Reads the migration file names of a location from its list file. */
  static List<String> listedFiles(String location) {
    try (InputStream in = resource(location + "/" + LIST_FILE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = RegistryMigrations.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing resource " + path);
    }
    return in;
  }

  private static final class ListedResources implements ResourceProvider {
    private final String location;
    private final List<ClasspathMigration> resources;

    ListedResources(String location) {
      this.location = location;
      this.resources = listedFiles(location).stream().map(name -> new ClasspathMigration(location, name)).toList();
    }

    @Override
    public LoadableResource getResource(String name) {
      return resources.stream().filter(r -> r.getFilename().equals(name) || r.getRelativePath().equals(name))
          .findFirst().orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      return resources.stream()
          .filter(r -> r.getFilename().startsWith(prefix))
          .filter(r -> Arrays.stream(suffixes).anyMatch(s -> r.getFilename().endsWith(s)))
          .map(LoadableResource.class::cast)
          .toList();
    }

    @Override
    public String toString() {
      return "migrations listed in " + location + "/" + LIST_FILE;
    }
  }

  private static final class ClasspathMigration extends LoadableResource {
    private final String location;
    private final String fileName;

    ClasspathMigration(String location, String fileName) {
      this.location = location;
      this.fileName = fileName;
    }

    @Override
    public Reader read() {
      return new InputStreamReader(resource(location + "/" + fileName), StandardCharsets.UTF_8);
    }

    @Override
    public String getAbsolutePath() {
      return location + "/" + fileName;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return getAbsolutePath();
    }

    @Override
    public String getFilename() {
      return fileName;
    }

    @Override
    public String getRelativePath() {
      return fileName;
    }
  }
}
