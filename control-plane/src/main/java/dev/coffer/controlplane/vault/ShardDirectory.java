package dev.coffer.controlplane.vault;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import java.util.Map;

/** Finds the shard store that holds a vault. */
public final class ShardDirectory {
  /** A shard's store, both sides. */
  public record Shard(
      ShardId id, ShardWriteStore writes, SecretReadAccessor reads, CellMembership cell) {}

  private final VaultPlacementStore placements;
  private final Map<ShardId, Shard> shards;

  public ShardDirectory(VaultPlacementStore placements, Map<ShardId, Shard> shards) {
    this.placements = placements;
    this.shards = Map.copyOf(shards);
  }

  /** The shard of an existing (ACTIVE) vault. */
  public Shard shardOf(VaultName vault) {
    Placement placement =
        placements
            .find(vault)
            .filter(p -> p.state() == Placement.State.ACTIVE)
            .orElseThrow(
                () ->
                    new CofferException(
                        ErrorCode.VAULT_NOT_FOUND, "No vault named '" + vault + "' exists."));
    return shard(placement.shard());
  }

  public Shard shard(ShardId id) {
    Shard shard = shards.get(id);
    if (shard == null) {
      // The base store names a shard this control plane is not configured for.
      throw new CofferException(
          ErrorCode.STORE_UNAVAILABLE,
          "Shard '" + id + "' is not reachable from this control plane.");
    }
    return shard;
  }

  /** A configured shard, or INVALID_SHARD for an id this control plane does not know. */
  public Shard known(ShardId id) {
    Shard shard = shards.get(id);
    if (shard == null) {
      throw new CofferException(ErrorCode.NOT_FOUND, "No shard '" + id + "' is configured.");
    }
    return shard;
  }

  public Map<ShardId, Shard> all() {
    return shards;
  }
}
