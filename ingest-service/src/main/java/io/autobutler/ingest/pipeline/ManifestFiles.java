package io.autobutler.ingest.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.datastore.DatastoreFiles;

/**
 * The files a manifest rule names (export files, ingest-files tables): a URL ({@code davs://}, {@code https://},
 * {@code file://}...) is read where it is, anything else relative to the manifest's directory.
 */
@ApplicationScoped
public class ManifestFiles {

  private final CampaignRules rules;
  private final DatastoreFiles files = new DatastoreFiles();

  public ManifestFiles(CampaignRules rules) {
    this.rules = rules;
  }

  /** The text of the file {@code name}; a missing file is reported by {@link #isMissing}. */
  public String read(String name) throws IOException {
    return name.contains("://") ? new String(files.read(URI.create(name)), StandardCharsets.UTF_8)
        : Files.readString(rules.directory().resolve(name));
  }

  /** Whether a failure of {@link #read} says the file does not exist (rather than that it cannot be read now). */
  public static boolean isMissing(IOException e) {
    return e instanceof NoSuchFileException || e instanceof FileNotFoundException;
  }
}
