package dev.coffer.controlplane.cell;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.storage.CellMembership;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * A registered host that stopped reporting holds activation back until an operator removes it; this
 * makes that visible instead of silent.
 */
public final class StaleHostsHealthCheck extends HealthCheck {
  private final CellMembership cell;
  private final Duration staleAfter;

  public StaleHostsHealthCheck(CellMembership cell, Duration staleAfter) {
    this.cell = cell;
    this.staleAfter = staleAfter;
  }

  @Override
  protected Result check() {
    Instant limit = Instant.now().minus(staleAfter);
    String stale =
        cell.hosts().stream()
            .filter(h -> h.reportedAt().isBefore(limit))
            .map(h -> h.host().value())
            .collect(Collectors.joining(", "));
    if (stale.isEmpty()) {
      return Result.healthy();
    }
    return Result.unhealthy(
        "hosts silent for over "
            + staleAfter.toSeconds()
            + " s hold activation back: "
            + stale
            + " (remove dead hosts with DELETE /v1/shards/{shard}/hosts/{host})");
  }
}
