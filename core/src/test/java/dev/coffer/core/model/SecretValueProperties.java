package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

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

  @Property(tries = 200)
  void textRoundTrips(@ForAll @StringLength(min = 1, max = 64) String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    // Lone surrogates are not text; the encoder replaces them, so compare with what it produced.
    String expected = new String(utf8, StandardCharsets.UTF_8);

    assertThat(SecretValue.ofUtf8(text).asUtf8()).contains(expected);
    if (text.length() >= 4) {
      assertThat(SecretValue.ofUtf8(text).toString()).doesNotContain(text);
    }
  }
}
