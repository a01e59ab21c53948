package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class SecretValueProperties {
  @Property(tries = 300)
  void equalsIsByteEquality(
      @ForAll @Size(min = 1, max = 4) byte[] a, @ForAll @Size(min = 1, max = 4) byte[] b) {
    SecretValue x = SecretValue.ofBytes(a.clone());
    SecretValue y = SecretValue.ofBytes(b.clone());

    assertThat(x.equals(y)).isEqualTo(Arrays.equals(a, b));
    assertThat(y.equals(x)).isEqualTo(Arrays.equals(a, b));
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }
  }
}
