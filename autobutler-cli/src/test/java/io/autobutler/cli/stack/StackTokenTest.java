package io.autobutler.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackTokenTest {

  @TempDir
  Path state;

  @Test
  void generatedOnceOwnerOnlyAndReused() throws Exception {
    Path file = StackToken.file(state.resolve("new-state"));
    StackToken.Ensured first = StackToken.ensure(file);
    assertThat(first.generated()).isTrue();
    assertThat(first.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(first.toString()).doesNotContain(first.token());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo(first.token() + "\n");

    StackToken.Ensured again = StackToken.ensure(file);
    assertThat(again.generated()).isFalse();
    assertThat(again.token()).isEqualTo(first.token());
    assertThat(StackToken.read(file)).contains(first.token());
    assertThat(StackToken.generate()).isNotEqualTo(first.token());
  }

  @Test
  void anExistingTokenFileReadableByOthersIsNarrowedAndAnEmptyOneReplaced() throws Exception {
    Path file = StackToken.file(state);
    Files.writeString(file, "mine\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(StackToken.ensure(file).token()).isEqualTo("mine");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    Files.writeString(file, "  \n");
    StackToken.Ensured replaced = StackToken.ensure(file);
    assertThat(replaced.generated()).isTrue();
    assertThat(replaced.token()).hasSize(43);
  }
}
