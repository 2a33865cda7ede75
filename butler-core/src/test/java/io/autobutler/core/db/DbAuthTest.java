package io.autobutler.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbAuthTest {

  @TempDir
  Path dir;

  @Test
  void firstMatchingEntryWinsWithWildcards() throws IOException {
    Path file = dir.resolve("db-auth.yaml");
    Files.writeString(file, """
        - url: postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod
          username: ccms
          password: first
        - url: postgresql://*.in2p3.fr/*
          username: other
          password: second
        - url: postgresql://localhost
          password: third
        """);
    DbAuth auth = DbAuth.load(file);
    assertThat(auth.find(DatabaseUrl.parse("postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod")))
        .contains(new DbAuth.Credentials("ccms", "first"));
    assertThat(auth.find(DatabaseUrl.parse("postgresql://ccpgtest.in2p3.fr:5432/test")))
        .contains(new DbAuth.Credentials("other", "second"));
    assertThat(auth.find(DatabaseUrl.parse("postgresql://me@localhost/anything")))
        .contains(new DbAuth.Credentials("me", "third"));
    assertThat(auth.find(DatabaseUrl.parse("postgresql://elsewhere.org/db"))).isEmpty();
    assertThat(new DbAuth.Credentials("ccms", "first").toString()).doesNotContain("first");
  }

  @Test
  void reportsBadFiles() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "url: postgresql://h/db\n");
    assertThatThrownBy(() -> DbAuth.load(file)).hasMessageContaining("must be a YAML list");
    Files.writeString(file, "- url: postgresql://h/db\n");
    assertThatThrownBy(() -> DbAuth.load(file)).hasMessageContaining("entry 1").hasMessageContaining("password");
  }
}
