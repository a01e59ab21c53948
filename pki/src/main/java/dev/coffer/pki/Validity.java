package dev.coffer.pki;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** A certificate's validity period; both ends inclusive, as X.509 has it. */
public record Validity(Instant notBefore, Instant notAfter) {
  /** Default for role certificates: short enough that renewal is routine. */
  public static final Duration DEFAULT_CERTIFICATE = Duration.ofDays(90);

  /** Default for the cluster CA. */
  public static final Duration DEFAULT_CA = Duration.ofDays(3650);

  /** How far back a new certificate's notBefore is set, for peers whose clocks run behind. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  public Validity {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    // X.509 times have whole seconds.
    notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
    notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("a validity period must end after it begins");
    }
  }

  /** Valid from a little before now (see {@link #CLOCK_SKEW}) until {@code length} from now. */
  public static Validity startingNow(Clock clock, Duration length) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a validity period must be positive");
    }
    Instant now = clock.instant();
    return new Validity(now.minus(CLOCK_SKEW), now.plus(length));
  }

  public Duration length() {
    return Duration.between(notBefore, notAfter);
  }
}
