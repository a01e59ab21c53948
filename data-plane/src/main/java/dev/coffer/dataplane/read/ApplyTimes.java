package dev.coffer.dataplane.read;

import dev.coffer.core.model.LogPosition;
import java.time.Duration;
import java.util.Optional;

/**
 * How long recent events took from their append to the shard's log to their apply on this host. A
 * read presenting a write's token is told its write's figure, so that a client (the benchmark among
 * them) can see the replication delay itself rather than that delay plus its own request's round
 * trip.
 */
@FunctionalInterface
public interface ApplyTimes {
  /**
   * @return the time from the append of the event at {@code position} to its apply here, if this
   *     host applied it recently enough to remember
   */
  Optional<Duration> appendedToApplied(LogPosition position);

  /** For hosts that keep no replica. */
  ApplyTimes NONE = position -> Optional.empty();
}
