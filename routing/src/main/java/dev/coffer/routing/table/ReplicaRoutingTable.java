package dev.coffer.routing.table;

import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.log.PlacementReplica;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The routing table over the router's replica of the base store: placements (vault → shard), each
 * cell's hosts and the control planes, all as the control planes recorded them in the base store
 * and its log brought them here. Only a cell's MEMBER hosts serve reads: a JOINING host may still
 * lack versions that are already ACTIVE. Answers from memory; nothing here waits on the network.
 */
public final class ReplicaRoutingTable implements RoutingTable {
  private final PlacementReplica replica;

  public ReplicaRoutingTable(PlacementReplica replica) {
    this.replica = replica;
  }

  @Override
  public Optional<Cell> cellOf(VaultName vault) {
    return replica
        .find(vault)
        .filter(placement -> placement.state() == Placement.State.ACTIVE)
        // A shard without member hosts is a cell that is down, not an unknown vault.
        .map(placement -> cell(placement.shard()));
  }

  private Cell cell(ShardId shard) {
    return new Cell(
        shard,
        replica.cell(shard).stream()
            .filter(host -> host.state() == HostState.MEMBER)
            .map(host -> upstream(host.endpoint()))
            .toList());
  }

  @Override
  public List<Upstream> controlPlanes() {
    return replica.controlPlanes().stream().map(cp -> upstream(cp.endpoint())).toList();
  }

  /** Every cell by shard, and the control planes: what the health check and the probes watch. */
  public Map<String, List<Upstream>> groups() {
    Map<String, List<Upstream>> groups = new TreeMap<>();
    for (ShardId shard : replica.shards()) {
      groups.put("cell-" + shard, cell(shard).hosts());
    }
    groups.put("control-planes", controlPlanes());
    return groups;
  }

  /** Every upstream the table names now. */
  public List<Upstream> everyUpstream() {
    List<Upstream> every = new ArrayList<>();
    groups().values().forEach(every::addAll);
    return every;
  }

  private static Upstream upstream(Endpoint endpoint) {
    String host = endpoint.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Upstream(host, endpoint.port());
  }
}
