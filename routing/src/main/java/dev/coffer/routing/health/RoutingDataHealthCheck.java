package dev.coffer.routing.health;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.replication.apply.ReplicationTailer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the routing data is fresh: the tailer of the base store's log has caught up once and read
 * the log successfully within {@code staleAfter}. Unhealthy does not stop routing: the router keeps
 * answering from the placements it has while the base store is away, and says so here.
 */
public final class RoutingDataHealthCheck extends HealthCheck {
  private final ReplicationTailer<?> tailer;
  private final Duration staleAfter;
  private final Clock clock;

  public RoutingDataHealthCheck(ReplicationTailer<?> tailer, Duration staleAfter, Clock clock) {
    this.tailer = tailer;
    this.staleAfter = staleAfter;
    this.clock = clock;
  }

  /** Milliseconds since the last successful read of the log; -1 before the first. */
  public long ageMillis() {
    Instant last = tailer.lastSuccessfulRead();
    return last.equals(Instant.EPOCH) ? -1 : Duration.between(last, clock.instant()).toMillis();
  }

  @Override
  protected Result check() {
    long age = ageMillis();
    if (!tailer.isCaughtUp()) {
      return Result.unhealthy(
          "catching up with the base store's log; applied " + tailer.appliedPosition());
    }
    if (age < 0 || age > staleAfter.toMillis()) {
      return Result.unhealthy(
          "routing on placements last read " + age + " ms ago; the base store is not answering");
    }
    return Result.healthy("caught up at " + tailer.appliedPosition() + ", read " + age + " ms ago");
  }
}
