package dev.coffer.benchmark;

import java.util.Locale;

/** How the report and the progress lines print figures. */
final class Numbers {
  private Numbers() {}

  /** {@code 200} for 200.0, {@code 75.5} for 75.5. */
  static String plain(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** {@code 86%} for 0.86; {@code n/a} when unknown. */
  static String percent(Double share) {
    return share == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
  }
}
