package dev.coffer.placement.log;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.LogReplica;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import java.util.List;
import java.util.Optional;

/**
 * A local copy of the base store's placements, kept by tailing its log: what a router needs to send
 * a vault's request to its shard without asking the base store. Per vault the newest version wins,
 * whatever the order of delivery; a dropped placement's tombstone wins over every older version.
 */
public interface PlacementReplica extends LogReplica<PositionedPlacementEvent> {
  /** The vault's placement as of the applied position, in any state. */
  Optional<Placement> find(VaultName vault);

  /** Registered shards, in id order. */
  List<ShardId> shards();
}
