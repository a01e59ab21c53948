package dev.coffer.routing.health;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.routing.table.Cell;
import dev.coffer.routing.table.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unhealthy when a cell or the control planes have no available upstream: the router still answers,
 * but those requests get 503s. Names the cells, never vaults.
 */
public final class UpstreamsHealthCheck extends HealthCheck {
  private final Upstreams upstreams;
  private final Map<String, List<Upstream>> groups;

  /**
   * @param groups each cell's hosts by cell name, and the control planes
   */
  public UpstreamsHealthCheck(Upstreams upstreams, Map<String, List<Upstream>> groups) {
    this.upstreams = upstreams;
    this.groups = Map.copyOf(groups);
  }

  public static Map<String, List<Upstream>> groupsOf(
      List<Cell> cells, List<Upstream> controlPlanes) {
    Map<String, List<Upstream>> groups = new java.util.TreeMap<>();
    cells.forEach(cell -> groups.put("cell-" + cell.shard(), cell.hosts()));
    groups.put("control-planes", controlPlanes);
    return groups;
  }

  @Override
  protected Result check() {
    List<String> down = new ArrayList<>();
    groups.forEach(
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
