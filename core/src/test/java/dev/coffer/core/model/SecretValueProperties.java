package dev.coffer.core.model;

import static dev.coffer.core.testing.Generators.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

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
}
