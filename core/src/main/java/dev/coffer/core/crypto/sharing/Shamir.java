package dev.coffer.core.crypto.sharing;

import java.security.SecureRandom;

/**
 * Shamir's scheme byte by byte over GF(256): each byte of the secret is the constant term of its
 * own random polynomial of degree {@code threshold - 1}, and share {@code x} holds every
 * polynomial's value at {@code x}. Any {@code threshold} shares determine the polynomials; fewer
 * leave every value of the secret equally likely.
 */
final class Shamir {
  static final int MAX_SHARES = 255;

  private Shamir() {}

  /**
   * @return {@code shares} arrays; the one at position {@code i} is the share for x = i + 1
   */
  static byte[][] split(byte[] secret, int shares, int threshold, SecureRandom random) {
    if (threshold < 2 || threshold > shares || shares > MAX_SHARES) {
      throw new IllegalArgumentException(
          "need 2 <= threshold <= shares <= "
              + MAX_SHARES
              + ", got "
              + threshold
              + " of "
              + shares);
    }
    byte[][] out = new byte[shares][secret.length];
    byte[] coefficients = new byte[threshold - 1];
    try {
      for (int b = 0; b < secret.length; b++) {
        // Uniform coefficients, zero included: forcing a non-zero leading one would bias them.
        random.nextBytes(coefficients);
        for (int s = 0; s < shares; s++) {
          out[s][b] = (byte) evaluate(secret[b] & 0xff, coefficients, s + 1);
        }
      }
      return out;
    } finally {
      java.util.Arrays.fill(coefficients, (byte) 0);
    }
  }

  /** Horner's rule for c0 + c1 x + ... + c(t-1) x^(t-1). */
  private static int evaluate(int constant, byte[] coefficients, int x) {
    int y = 0;
    for (int i = coefficients.length - 1; i >= 0; i--) {
      y = Gf256.add(Gf256.mul(y, x), coefficients[i] & 0xff);
    }
    return Gf256.add(Gf256.mul(y, x), constant);
  }

  /**
   * Lagrange interpolation at x = 0 through the given points. With fewer points than the threshold
   * the result is a value unrelated to the secret, so callers must know the threshold.
   */
  static byte[] interpolateAtZero(int[] xs, byte[][] ys) {
    return interpolateAt(0, xs, ys);
  }

  /** The value at {@code x} of the polynomials of least degree through the given points. */
  static byte[] interpolateAt(int x, int[] xs, byte[][] ys) {
    int length = ys[0].length;
    int[] basis = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      int numerator = 1;
      int denominator = 1;
      for (int j = 0; j < xs.length; j++) {
        if (i != j) {
          // Subtraction is addition in characteristic 2.
          numerator = Gf256.mul(numerator, Gf256.add(x, xs[j]));
          denominator = Gf256.mul(denominator, Gf256.add(xs[i], xs[j]));
        }
      }
      basis[i] = Gf256.div(numerator, denominator);
    }
    byte[] out = new byte[length];
    for (int b = 0; b < length; b++) {
      int value = 0;
      for (int i = 0; i < xs.length; i++) {
        value = Gf256.add(value, Gf256.mul(basis[i], ys[i][b] & 0xff));
      }
      out[b] = (byte) value;
    }
    return out;
  }
}
