package dev.coffer.routing.health;

import com.codahale.metrics.Meter;
import dev.coffer.routing.table.Upstream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The health of every upstream the router knows, and the choice of one among candidates: round
 * robin over those available, skipping the ones a request already tried.
 */
public final class Upstreams {
  private final ConcurrentMap<Upstream, UpstreamHealth> health = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final int ejectAfterFailures;
  private final long ejectionNanos;
  private final Meter ejections;
  private final LongSupplier clock;

  public Upstreams(
      int ejectAfterFailures, Duration ejectionTime, Meter ejections, LongSupplier nanoClock) {
    if (ejectAfterFailures < 1) {
      throw new IllegalArgumentException("ejectAfterFailures must be positive");
    }
    this.ejectAfterFailures = ejectAfterFailures;
    this.ejectionNanos = ejectionTime.toNanos();
    this.ejections = ejections;
    this.clock = nanoClock;
  }

  public UpstreamHealth of(Upstream upstream) {
    return health.computeIfAbsent(
        upstream, u -> new UpstreamHealth(u, ejectAfterFailures, ejectionNanos));
  }

  /** Every upstream known so far (configured ones are registered at start). */
  public Collection<UpstreamHealth> all() {
    return health.values();
  }

  /** The next available candidate not in {@code tried}, if any. */
  public Optional<Upstream> pick(List<Upstream> candidates, Set<Upstream> tried) {
    int size = candidates.size();
    if (size == 0) {
      return Optional.empty();
    }
    long now = clock.getAsLong();
    int start = Math.floorMod(next.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      Upstream candidate = candidates.get((start + i) % size);
      if (!tried.contains(candidate) && of(candidate).available(now)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public void succeeded(Upstream upstream) {
    of(upstream).succeeded();
  }

  public void failed(Upstream upstream) {
    if (of(upstream).failed(clock.getAsLong())) {
      ejections.mark();
    }
  }

  public boolean available(Upstream upstream) {
    return of(upstream).available(clock.getAsLong());
  }
}
