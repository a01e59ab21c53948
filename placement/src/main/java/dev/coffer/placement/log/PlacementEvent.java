package dev.coffer.placement.log;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the base store's log: a shard became known, or a vault's placement was set or
 * dropped. Versions come from one sequence of the base store, so a later change to a vault always
 * carries a higher version, even after its placement was dropped and the name taken again.
 */
public sealed interface PlacementEvent {
  /** For logs and the log row's entity column: names only. */
  String entity();

  long version();

  /** A shard was registered; shards are never removed. */
  record ShardRegistered(ShardId shard, Instant registeredAt, long version)
      implements PlacementEvent {
    public ShardRegistered {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(registeredAt, "registeredAt");
    }

    @Override
    public String entity() {
      return "shard/" + shard;
    }
  }

  /** A vault's placement as it now is (created CREATING, then made ACTIVE). */
  record VaultPlaced(Placement placement, long version) implements PlacementEvent {
    public VaultPlaced {
      Objects.requireNonNull(placement, "placement");
    }

    @Override
    public String entity() {
      return "vault/" + placement.vault();
    }
  }

  /** A CREATING placement was dropped because its creation failed; the name is free again. */
  record VaultUnplaced(VaultName vault, long version) implements PlacementEvent {
    public VaultUnplaced {
      Objects.requireNonNull(vault, "vault");
    }

    @Override
    public String entity() {
      return "vault/" + vault;
    }
  }
}
