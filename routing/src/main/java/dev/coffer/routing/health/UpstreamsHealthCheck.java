package dev.coffer.routing.health;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.routing.table.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Unhealthy when a cell or the control planes have no available upstream: the router still answers,
 * but those requests get 503s. Names the cells, never vaults.
 */
public final class UpstreamsHealthCheck extends HealthCheck {
  private final Upstreams upstreams;
  private final Supplier<Map<String, List<Upstream>>> groups;

  /**
   * @param groups each cell's hosts by cell name, and the control planes, as the routing data says
   *     at the time of the check
   */
  public UpstreamsHealthCheck(Upstreams upstreams, Supplier<Map<String, List<Upstream>>> groups) {
    this.upstreams = upstreams;
    this.groups = groups;
  }

  @Override
  protected Result check() {
    List<String> down = new ArrayList<>();
    groups
        .get()
        .forEach(
            (name, members) -> {
              if (members.stream().noneMatch(upstreams::available)) {
                down.add(name);
              }
            });
    return down.isEmpty()
        ? Result.healthy("every cell and the control planes have an available upstream")
        : Result.unhealthy("no available upstream in " + String.join(", ", down));
  }
}
