package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file kept under {@code src/test/resources/golden/}, written from the code
 * before a change so that the change is checked against it. A missing file is written and the test
 * fails, so that a new file is read before it is committed.
 */
final class Golden {
  private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    Path file = DIRECTORY.resolve(name);
    if (!Files.exists(file)) {
      Files.createDirectories(DIRECTORY);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      fail("wrote " + file + "; read it, then run again");
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
