package io.autobutler.core.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.autobutler.core.datastore.DatastoreFiles.Entry;

/** Reading a datastore by URI: local files, and WebDAV over http as a site's dCache door serves it. */
class DatastoreFilesTest {

  @TempDir
  Path root;

  private final DatastoreFiles files = new DatastoreFiles();

  private void tree() throws Exception {
    Files.createDirectories(root.resolve("raw/20241126/CC_O_1"));
    Files.writeString(root.resolve("raw/20241126/CC_O_1/_index.json"), "{\"__COMMON__\": {}}");
    Files.write(root.resolve("raw/20241126/CC_O_1/a b.fits"), new byte[12]);
    Files.write(root.resolve("raw/top.fits"), new byte[3]);
  }

  @Test
  void listsAndReadsAWebDavFolderWithPropfindAndGet() throws Exception {
    tree();
    try (WebDavTestServer dav = new WebDavTestServer(root)) {
      URI raw = dav.uri("raw");
      assertThat(files.isDirectory(raw)).isTrue();
      assertThat(files.isDirectory(dav.uri("raw/top.fits"))).isFalse();
      assertThat(files.isDirectory(dav.uri("raw/missing"))).isFalse();
      assertThat(files.list(raw)).containsExactly(
          new Entry(dav.uri("raw/20241126/"), "20241126", true, null),
          new Entry(dav.uri("raw/top.fits"), "top.fits", false, 3L));
      URI exposure = dav.uri("raw/20241126/CC_O_1/");
      assertThat(files.list(exposure)).containsExactly(
          new Entry(dav.uri("raw/20241126/CC_O_1/_index.json"), "_index.json", false, 18L),
          new Entry(dav.uri("raw/20241126/CC_O_1/a%20b.fits"), "a b.fits", false, 12L));
      assertThat(files.readString(dav.uri("raw/20241126/CC_O_1/_index.json"))).isEqualTo("{\"__COMMON__\": {}}");
      assertThat(files.readIfExists(dav.uri("raw/20241126/CC_O_1/missing.json"))).isEmpty();
      assertThatThrownBy(() -> files.list(dav.uri("raw/nothing/"))).isInstanceOf(FileNotFoundException.class)
          .hasMessage("no folder at " + dav.uri("raw/nothing/"));
      assertThat(dav.requests()).contains("PROPFIND /raw 0", "PROPFIND /raw/ 1", "PROPFIND /raw/20241126/CC_O_1/ 1",
          "GET /raw/20241126/CC_O_1/_index.json");
    }
  }

  @Test
  void localFoldersAreListedWithSizesAndFileUrisAreWrittenAsTheButlerWritesThem() throws Exception {
    tree();
    URI raw = root.resolve("raw").toUri();
    assertThat(files.isDirectory(raw)).isTrue();
    assertThat(files.list(raw)).extracting(Entry::name, Entry::directory, Entry::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("20241126", true, null),
            org.assertj.core.groups.Tuple.tuple("top.fits", false, 3L));
    URI child = DatastoreFiles.child(raw, "a b:c.fits", false);
    assertThat(DatastoreFiles.text(child)).isEqualTo("file://" + root.resolve("raw").toUri().getPath()
        + "a%20b:c.fits");
    assertThat(new String(files.read(root.resolve("raw/top.fits").toUri()), StandardCharsets.UTF_8)).hasSize(3);
    assertThat(files.readIfExists(root.resolve("raw/none").toUri())).isEmpty();
  }

  @Test
  void davsIsHttpsAndOtherSchemesAreRefused() {
    assertThat(DatastoreFiles.httpUri(URI.create("davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/a%20b")))
        .isEqualTo(URI.create("https://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/a%20b"));
    assertThat(DatastoreFiles.httpUri(URI.create("dav://host/x"))).isEqualTo(URI.create("http://host/x"));
    assertThatThrownBy(() -> DatastoreFiles.httpUri(URI.create("s3://bucket/x")))
        .hasMessage("cannot read 's3://bucket/x': the scheme must be file, http, https, dav or davs");
  }
}
