package dev.coffer.benchmark.micro;

import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SecretCrypto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the microbenchmarks share: a crypto set up as a host's, values, scratch directories. */
final class Fixtures {
  private Fixtures() {}

  /** As {@code RootKeyConfig} builds it for a host, with a fresh root key. */
  static SecretCrypto crypto() {
    return new EnvelopeSecretCrypto(
        LocalRootKeyProvider.fromBase64("bench-root", LocalRootKeyProvider.generateBase64Key()),
        Duration.ofMinutes(10));
  }

  /** A printable value of {@code bytes} bytes, as the load generator writes them. */
  static String value(int bytes) {
    char[] chars = new char[bytes];
    Arrays.fill(chars, 'x');
    return new String(chars);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Path scratchDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException("no scratch directory", e);
    }
  }

  static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover scratch directory is harmless.
    }
  }
}
