package dev.coffer.core.model;

import static dev.coffer.core.testing.Generators.bytes;
import static dev.coffer.core.testing.Generators.stringsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class SecretValueProperties {
  @Test
  void equalsIsByteEquality() {
    qt().withExamples(300)
        .forAll(bytes(1, 4), bytes(1, 4))
        .checkAssert(
            (a, b) -> {
              SecretValue x = SecretValue.ofBytes(a.clone());
              SecretValue y = SecretValue.ofBytes(b.clone());

              assertThat(x.equals(y)).isEqualTo(Arrays.equals(a, b));
              assertThat(y.equals(x)).isEqualTo(Arrays.equals(a, b));
              if (x.equals(y)) {
                assertThat(x.hashCode()).isEqualTo(y.hashCode());
              }
            });
  }

  @Test
  void textRoundTrips() {
    // Any UTF-16 code units, lone surrogates included.
    qt().withExamples(200)
        .forAll(stringsOf(Generate.characters(0, Character.MAX_VALUE), 1, 64))
        .checkAssert(
            text -> {
              byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
              // Lone surrogates are not text; the encoder replaces them, so compare with what it
              // produced.
              String expected = new String(utf8, StandardCharsets.UTF_8);

              assertThat(SecretValue.ofUtf8(text).asUtf8()).contains(expected);
              if (text.length() >= 4) {
                assertThat(SecretValue.ofUtf8(text).toString()).doesNotContain(text);
              }
            });
  }
}
