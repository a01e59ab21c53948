package dev.coffer.core.crypto.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class Gf256Properties {

  /** Reference multiplication through log/exp tables with generator 3. */
  private static final int[] EXP = new int[510];

  private static final int[] LOG = new int[256];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = x;
      EXP[i + 255] = x;
      LOG[x] = i;
      // x * 3 = x * 2 + x, reduced by the AES polynomial.
      int doubled = (x << 1) ^ ((x & 0x80) != 0 ? 0x11b : 0);
      x = doubled ^ x;
    }
  }

  @Property(tries = 2000)
  void multiplicationAgreesWithLogTables(
      @ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b) {
    int expected = a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];

    assertThat(Gf256.mul(a, b)).isEqualTo(expected);
  }

  @Example
  void knownProductFromFips197() {
    // FIPS-197 section 4.2: {57} . {83} = {c1}.
    assertThat(Gf256.mul(0x57, 0x83)).isEqualTo(0xc1);
  }

  @Example
  void everyNonZeroElementHasItsInverse() {
    for (int a = 1; a < 256; a++) {
      assertThat(Gf256.mul(a, Gf256.inv(a))).as("a = %d", a).isEqualTo(1);
    }
    assertThatThrownBy(() -> Gf256.inv(0)).isInstanceOf(ArithmeticException.class);
  }

  @Property(tries = 1000)
  void fieldLaws(
      @ForAll @IntRange(max = 255) int a,
      @ForAll @IntRange(max = 255) int b,
      @ForAll @IntRange(max = 255) int c) {
    assertThat(Gf256.mul(a, Gf256.mul(b, c))).isEqualTo(Gf256.mul(Gf256.mul(a, b), c));
    assertThat(Gf256.mul(a, Gf256.add(b, c)))
        .isEqualTo(Gf256.add(Gf256.mul(a, b), Gf256.mul(a, c)));
    assertThat(Gf256.mul(a, b)).isEqualTo(Gf256.mul(b, a));
    if (b != 0) {
      assertThat(Gf256.mul(Gf256.div(a, b), b)).isEqualTo(a);
    }
  }
}
