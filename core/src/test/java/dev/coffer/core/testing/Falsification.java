package dev.coffer.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shows that a property still has teeth: run against a deliberately broken variant of the code it
 * guards, it must be falsified. QuickTheories reports a falsified property as an AssertionError
 * whose message holds the shrunk counterexample.
 */
public final class Falsification {
  /**
   * Shrink cycles for a run against a broken variant. QuickTheories' default (100 per example)
   * spends seconds shrinking a counterexample that is small after a few hundred.
   */
  public static final int SHRINK_CYCLES = 500;

  private Falsification() {}

  /** Runs the property and returns QuickTheories' report; fails if the property held. */
  public static String assertFalsified(Runnable property) {
    try {
      property.run();
    } catch (AssertionError e) {
      assertThat(e.getMessage()).contains("Property falsified");
      return e.getMessage();
    }
    throw new AssertionError("the property held for a deliberately broken variant");
  }
}
