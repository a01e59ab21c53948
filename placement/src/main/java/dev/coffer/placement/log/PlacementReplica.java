package dev.coffer.placement.log;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.LogReplica;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import java.util.List;
import java.util.Optional;

/**
 * A local copy of the base store's routing data, kept by tailing its log: what a router needs to
 * send a vault's request to a host of its shard's cell, or a write to a control plane, without
 * asking the base store. Per vault, cell host and control plane the newest version wins, whatever
 * the order of delivery; a removal's tombstone wins over every older version.
 */
public interface PlacementReplica extends LogReplica<PositionedPlacementEvent> {
  /** The vault's placement as of the applied position, in any state. */
  Optional<Placement> find(VaultName vault);

  /** Registered shards, in id order. */
  List<ShardId> shards();

  /** The hosts of {@code shard}'s cell, in host id order; empty for an unknown shard. */
  List<CellHost> cell(ShardId shard);

  /** The control plane instances, in name order. */
  List<ControlPlane> controlPlanes();

  /**
   * Replaces everything the replica holds with {@code snapshot}, and its position with the
   * snapshot's, at once: what was removed while the replica was behind is gone afterwards.
   */
  void reset(PlacementSnapshot snapshot);
}
