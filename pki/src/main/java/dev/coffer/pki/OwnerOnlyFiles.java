package dev.coffer.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Files that readers see either whole or not at all, with permissions set when the file is created
 * rather than changed afterwards: a private key is never readable by others, not even between its
 * creation and a chmod. Written as a temporary file in the same directory, forced to disk, then
 * renamed over the target.
 */
public final class OwnerOnlyFiles {
  /** rw------- : private keys. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** rw-r--r-- : certificates, which are public. */
  public static final Set<PosixFilePermission> PUBLIC_READ =
      PosixFilePermissions.fromString("rw-r--r--");

  /** rwx------ : a directory holding private keys. */
  public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  /** Writes {@code content} to {@code target} atomically, readable by its owner only. */
  public static void writePrivate(Path target, byte[] content) throws IOException {
    write(target, content, OWNER_ONLY, temp -> {});
  }

  /** Writes {@code content} to {@code target} atomically, readable by everyone. */
  public static void writePublic(Path target, byte[] content) throws IOException {
    write(target, content, PUBLIC_READ, temp -> {});
  }

  /**
   * Writes atomically with {@code permissions}; {@code beforeRename} sees the complete temporary
   * file just before it replaces the target (tests check its permissions there).
   */
  static void write(
      Path target,
      byte[] content,
      Set<PosixFilePermission> permissions,
      Consumer<Path> beforeRename)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    FileAttribute<Set<PosixFilePermission>> attribute =
        PosixFilePermissions.asFileAttribute(permissions);
    // The umask can only remove bits, so the file is never more open than `permissions`.
    Path temp =
        Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp", attribute);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // A public file keeps its read bits even under a restrictive umask.
      Files.setPosixFilePermissions(temp, permissions);
      beforeRename.accept(temp);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically on this file system", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates {@code directory} (and missing parents) as rwx------ from the start. An existing
   * directory is left as it is: it may be a shared one such as the working directory.
   */
  public static Path ensurePrivateDirectory(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return absolute;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    } catch (FileAlreadyExistsException raced) {
      return absolute;
    }
    // The umask may have removed the owner's own bits; nothing wider was ever granted.
    Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIRECTORY);
    return absolute;
  }
}
