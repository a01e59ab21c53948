package dev.coffer.placement;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import java.time.Duration;
import java.util.Map;

/** Finds the shard store that holds a vault. */
public final class ShardDirectory {
  /** A shard's store: both sides of its secrets, its vault keys, its cell. */
  public record Shard(
      ShardId id,
      ShardWriteStore writes,
      SecretReadAccessor reads,
      VaultKeyStore keys,
      CellMembership cell) {}

  /**
   * How long a vault's shard is remembered. Today an ACTIVE placement never changes (vaults are
   * neither deleted nor moved), so this only bounds memory of idle vaults; a vault move must fence
   * writes on its source shard rather than rely on this expiring.
   */
  static final Duration PLACEMENT_LIFETIME = Duration.ofMinutes(1);

  private final VaultPlacementStore placements;
  private final Map<ShardId, Shard> shards;
  // Every secret request needs its vault's shard; asking the base store each time was one extra
  // database round trip per request. Only ACTIVE placements are cached, so a vault mid-creation
  // or unknown is looked up again on the next request.
  private final Cache<VaultName, ShardId> activePlacements =
      CacheBuilder.newBuilder().maximumSize(100_000).expireAfterWrite(PLACEMENT_LIFETIME).build();

  public ShardDirectory(VaultPlacementStore placements, Map<ShardId, Shard> shards) {
    this.placements = placements;
    this.shards = Map.copyOf(shards);
  }

  /** The shard of an existing (ACTIVE) vault. */
  public Shard shardOf(VaultName vault) {
    ShardId cached = activePlacements.getIfPresent(vault);
    if (cached != null) {
      return shard(cached);
    }
    Placement placement =
        placements
            .find(vault)
            .filter(p -> p.state() == Placement.State.ACTIVE)
            .orElseThrow(
                () ->
                    new CofferException(
                        ErrorCode.VAULT_NOT_FOUND, "No vault of that name exists."));
    activePlacements.put(vault, placement.shard());
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
      throw new CofferException(ErrorCode.NOT_FOUND, "No shard of that name is configured.");
    }
    return shard;
  }

  public Map<ShardId, Shard> all() {
    return shards;
  }
}
