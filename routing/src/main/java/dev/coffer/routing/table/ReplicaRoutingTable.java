package dev.coffer.routing.table;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.log.PlacementReplica;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A routing table over the replicated placements (vault → shard) and, for now, the cells' members
 * and the control planes as the router's configuration lists them. When the base store carries
 * cells and control-plane endpoints, they come from its replica here and nothing else changes.
 */
public final class ReplicaRoutingTable implements RoutingTable {
  private final PlacementReplica placements;
  private final Map<ShardId, Cell> cells;
  private final List<Upstream> controlPlanes;

  public ReplicaRoutingTable(
      PlacementReplica placements, Map<ShardId, Cell> cells, List<Upstream> controlPlanes) {
    this.placements = placements;
    this.cells = Map.copyOf(cells);
    this.controlPlanes = List.copyOf(controlPlanes);
  }

  @Override
  public Optional<Cell> cellOf(VaultName vault) {
    return placements
        .find(vault)
        .filter(placement -> placement.state() == Placement.State.ACTIVE)
        // A shard without configured hosts is a cell that is down, not an unknown vault.
        .map(
            placement ->
                cells.getOrDefault(placement.shard(), new Cell(placement.shard(), List.of())));
  }

  @Override
  public List<Upstream> controlPlanes() {
    return controlPlanes;
  }
}
