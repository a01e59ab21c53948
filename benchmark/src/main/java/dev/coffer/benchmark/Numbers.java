package dev.coffer.benchmark;

/** How the report and the progress lines print a figure that is usually whole. */
final class Numbers {
  private Numbers() {}

  /** {@code 200} for 200.0, {@code 75.5} for 75.5. */
  static String plain(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
