package dev.coffer.dataplane.read;

import dev.coffer.core.model.LogPosition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long recent events took from their append to the shard's log to their apply on this host. A
 * read presenting a write's token is told its write's figure, so that a client (the benchmark among
 * them) can see the replication delay itself rather than that delay plus its own request's round
 * trip.
 */
public interface ApplyTimes {
  /**
   * @return the time from the append of the event at {@code position} to its apply here, if this
   *     host applied it recently enough to remember
   */
  Optional<Duration> appendedToApplied(LogPosition position);

  /**
   * The figures of the events after {@code position} this host remembers, in log order, at most
   * {@code limit}: how a client collects every event's figure in a few requests instead of one read
   * per event.
   */
  List<Applied> after(LogPosition position, int limit);

  /** One event's figure: its position and the time from its append to its apply here. */
  record Applied(LogPosition position, Duration appendedToApplied) {}

  /** For hosts that keep no replica. */
  ApplyTimes NONE =
      new ApplyTimes() {
        @Override
        public Optional<Duration> appendedToApplied(LogPosition position) {
          return Optional.empty();
        }

        @Override
        public List<Applied> after(LogPosition position, int limit) {
          return List.of();
        }
      };
}
