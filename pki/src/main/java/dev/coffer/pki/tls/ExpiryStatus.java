package dev.coffer.pki.tls;

import java.time.Duration;

/**
 * How long the own certificate and the trusted CAs have left, for a gauge and a health check.
 * {@link State#WARN} once either has less than the warning period left (14 days by default), {@link
 * State#EXPIRED} once either has none.
 */
public record ExpiryStatus(
    State state, Duration certificateRemaining, Duration caRemaining, String message) {
  public enum State {
    OK,
    WARN,
    EXPIRED
  }

  static ExpiryStatus of(Duration certificate, Duration ca, Duration warnBefore) {
    Duration least = certificate.compareTo(ca) <= 0 ? certificate : ca;
    String which = certificate.compareTo(ca) <= 0 ? "the certificate" : "a trusted CA";
    if (least.isNegative() || least.isZero()) {
      return new ExpiryStatus(
          State.EXPIRED, certificate, ca, which + " has expired; renew it (cert renew)");
    }
    if (least.compareTo(warnBefore) < 0) {
      return new ExpiryStatus(
          State.WARN,
          certificate,
          ca,
          which + " expires in " + describe(least) + "; renew it (cert renew)");
    }
    return new ExpiryStatus(
        State.OK, certificate, ca, "the certificate expires in " + describe(certificate));
  }

  public boolean healthy() {
    return state == State.OK;
  }

  private static String describe(Duration remaining) {
    long days = remaining.toDays();
    return days >= 1 ? days + " days" : remaining.toHours() + " hours";
  }
}
