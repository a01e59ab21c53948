package dev.coffer.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The local deployment's files are its owner's alone: directories 0700, files 0600, and the
 * processes it starts run with umask 077 so that whatever they create is too. The deployment holds
 * the admin token, the keystore passphrase, root keys, recovery shares, and logs and databases
 * about secrets.
 */
final class OwnerOnly {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** The bits an owner-only file or directory never has. */
  static final Set<PosixFilePermission> GROUP_AND_OTHER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnly() {}

  /** Creates {@code directory} (and missing parents) 0700, or makes an existing one 0700. */
  static Path directory(Path directory) {
    try {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
      Files.setPosixFilePermissions(directory, DIRECTORY);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + directory, e);
    }
  }

  /** Creates an empty {@code file} 0600 (its directory 0700), or makes an existing one 0600. */
  static Path file(Path file) {
    directory(file.toAbsolutePath().getParent());
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(file, FILE);
      } else {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + file, e);
    }
  }

  /** Replaces the contents of {@code file}, which is 0600 before anything is written to it. */
  static void write(Path file, String text) {
    file(file);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  /**
   * Takes group and other permissions off every directory and regular file under {@code root}: a
   * deployment directory made before these rules (logs were 0644) becomes private at its next
   * start. Sockets and links are left alone.
   */
  static void tightenTree(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              tighten(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              if (attributes.isRegularFile()) {
                tighten(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // e.g. a temporary file of a running PostgreSQL
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not restrict the permissions under " + root, e);
    }
  }

  private static void tighten(Path path) throws IOException {
    try {
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (permissions.removeAll(GROUP_AND_OTHER)) {
        Files.setPosixFilePermissions(path, permissions);
      }
    } catch (NoSuchFileException gone) {
      // Removed since it was listed.
    }
  }

  /**
   * {@code command} run with umask 077, so that every file and directory it creates is owner-only.
   * Java cannot set a process's umask, so a shell sets it and then becomes the command ({@code
   * exec}: same process id, signals reach the command itself). The command's words are the shell's
   * arguments, never parsed by it.
   */
  static List<String> underPrivateUmask(List<String> command) {
    List<String> wrapped =
        new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh"));
    wrapped.addAll(command);
    return wrapped;
  }
}
