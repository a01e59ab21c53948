package dev.coffer.core.crypto.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

  @Test
  void multiplicationAgreesWithLogTables() {
    qt().withExamples(2000)
        .forAll(elements(), elements())
        .checkAssert(
            (a, b) -> {
              int expected = a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];

              assertThat(Gf256.mul(a, b)).isEqualTo(expected);
            });
  }

  @Test
  void knownProductFromFips197() {
    // FIPS-197 section 4.2: {57} . {83} = {c1}.
    assertThat(Gf256.mul(0x57, 0x83)).isEqualTo(0xc1);
  }

  @Test
  void everyNonZeroElementHasItsInverse() {
    for (int a = 1; a < 256; a++) {
      assertThat(Gf256.mul(a, Gf256.inv(a))).as("a = %d", a).isEqualTo(1);
    }
    assertThatThrownBy(() -> Gf256.inv(0)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void fieldLaws() {
    qt().withExamples(1000)
        .forAll(elements(), elements(), elements())
        .checkAssert(Gf256Properties::fieldLaws);
  }

  private static void fieldLaws(int a, int b, int c) {
    assertThat(Gf256.mul(a, Gf256.mul(b, c))).isEqualTo(Gf256.mul(Gf256.mul(a, b), c));
    assertThat(Gf256.mul(a, Gf256.add(b, c)))
        .isEqualTo(Gf256.add(Gf256.mul(a, b), Gf256.mul(a, c)));
    assertThat(Gf256.mul(a, b)).isEqualTo(Gf256.mul(b, a));
    if (b != 0) {
      assertThat(Gf256.mul(Gf256.div(a, b), b)).isEqualTo(a);
    }
  }

  private static Gen<Integer> elements() {
    return Generate.range(0, 255);
  }
}
