package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {
  @TempDir Path directory;

  @Test
  void aPrivateFileIsOwnerOnlyBeforeItsContentIsVisibleUnderItsName() throws Exception {
    Path target = directory.resolve("node.key");
    List<Set<PosixFilePermission>> seen = new ArrayList<>();
    List<Boolean> targetExisted = new ArrayList<>();

    OwnerOnlyFiles.write(
        target,
        "secret".getBytes(StandardCharsets.US_ASCII),
        OwnerOnlyFiles.OWNER_ONLY,
        temp -> {
          try {
            seen.add(Files.getPosixFilePermissions(temp));
            targetExisted.add(Files.exists(target));
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        });

    assertThat(seen).containsExactly(PosixFilePermissions.fromString("rw-------"));
    assertThat(targetExisted).containsExactly(false);
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    assertThat(Files.readString(target)).isEqualTo("secret");
  }

  @Test
  void replacingAFileLeavesNoTemporaryFileBehind() throws Exception {
    Path target = directory.resolve("node.crt");
    OwnerOnlyFiles.writePublic(target, "one".getBytes(StandardCharsets.US_ASCII));
    OwnerOnlyFiles.writePublic(target, "two".getBytes(StandardCharsets.US_ASCII));

    assertThat(Files.readString(target)).isEqualTo("two");
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(OwnerOnlyFiles.PUBLIC_READ);
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aPublicFileOverAPrivateOneTakesThePublicPermissions() throws Exception {
    Path target = directory.resolve("x");
    OwnerOnlyFiles.writePrivate(target, new byte[] {1});
    OwnerOnlyFiles.writePublic(target, new byte[] {2});

    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(OwnerOnlyFiles.PUBLIC_READ);
  }

  @Test
  void aNewDirectoryIsOwnerOnlyAndAnExistingOneIsLeftAlone() throws Exception {
    Path created = OwnerOnlyFiles.ensurePrivateDirectory(directory.resolve("a/b/keys"));
    Path shared = Files.createDirectory(directory.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

    OwnerOnlyFiles.ensurePrivateDirectory(shared);

    assertThat(Files.getPosixFilePermissions(created))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY_DIRECTORY);
    assertThat(Files.getPosixFilePermissions(shared))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
