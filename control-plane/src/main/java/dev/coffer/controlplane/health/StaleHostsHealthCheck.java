package dev.coffer.controlplane.health;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.storage.CellMembership;
import java.time.Duration;
import java.time.Instant;

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

  /** For the metric: how many registered hosts have stopped reporting. */
  public int silentHosts() {
    return silent().size();
  }

  private java.util.List<String> silent() {
    Instant limit = Instant.now().minus(staleAfter);
    return cell.hosts().stream()
        .filter(h -> h.reportedAt().isBefore(limit))
        .map(h -> h.host().value())
        .toList();
  }

  @Override
  protected Result check() {
    String stale = String.join(", ", silent());
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
