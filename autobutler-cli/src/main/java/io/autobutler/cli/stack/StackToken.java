package io.autobutler.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The local stack's catalog write token: catalog-service refuses writes without {@code Authorization: Bearer
 * <token>}. {@code up} generates it once (32 random bytes, URL-safe base64) into {@code <state dir>/token}, readable
 * by the owner only, and reuses it afterwards; the butler commands read it from there. It is never printed.
 */
public final class StackToken {

  public static final String FILE_NAME = "token";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private StackToken() {
  }

  /** The token file of the stack whose state folder this is. */
  public static Path file(Path stateDir) {
    return stateDir.resolve(FILE_NAME);
  }

  /** The token and whether it was generated just now. */
  public record Ensured(String token, boolean generated) {
    @Override
    public String toString() {
      return "Ensured[token=(hidden), generated=" + generated + "]";
    }
  }

  /** The token in the file, or a new one written there (mode 0600) when there is none. */
  public static Ensured ensure(Path file) {
    Optional<String> existing = read(file);
    if (existing.isPresent()) {
      restrict(file);
      return new Ensured(existing.get(), false);
    }
    String token = generate();
    write(file, token);
    return new Ensured(token, true);
  }

  /** The token in that file, if there is a non-empty one. */
  public static Optional<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file, e);
    }
  }

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Writes the token so that it is never readable by others, not even for a moment. */
  private static void write(Path file, String token) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(tmp);
      if (posix()) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token file " + file, e);
    }
  }

  /** An existing token file that others may read is narrowed to its owner. */
  private static void restrict(Path file) {
    if (!posix()) {
      return;
    }
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of the token file " + file, e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
