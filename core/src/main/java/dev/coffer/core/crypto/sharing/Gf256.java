package dev.coffer.core.crypto.sharing;

/**
 * Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1. Multiplication is a fixed
 * sequence of shifts and masks rather than log/exp table look-ups, so its timing does not depend on
 * the (secret) operands.
 */
final class Gf256 {
  private Gf256() {}

  static int add(int a, int b) {
    return a ^ b;
  }

  static int mul(int a, int b) {
    int product = 0;
    for (int i = 0; i < 8; i++) {
      product ^= -(b & 1) & a;
      int carry = -((a >> 7) & 1);
      a = ((a << 1) ^ (carry & 0x1b)) & 0xff;
      b >>= 1;
    }
    return product;
  }

  /** a^254, which is a^-1 for every a except 0 (the group of units has order 255). */
  static int inv(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse");
    }
    int result = 1;
    int square = a;
    for (int exponent = 254; exponent != 0; exponent >>= 1) {
      // The exponent is a public constant, so branching on its bits reveals nothing.
      if ((exponent & 1) != 0) {
        result = mul(result, square);
      }
      square = mul(square, square);
    }
    return result;
  }

  static int div(int a, int b) {
    return mul(a, inv(b));
  }
}
