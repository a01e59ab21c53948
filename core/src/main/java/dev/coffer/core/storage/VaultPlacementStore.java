package dev.coffer.core.storage;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The base store's map of shards and of which shard holds each vault. */
public interface VaultPlacementStore {
  /** A vault's placement. CREATING until its shard store has the vault, then ACTIVE. */
  record Placement(VaultName vault, ShardId shard, State state, Instant createdAt) {
    /** Creation is two steps over two databases; this records how far it got. */
    public enum State {
      CREATING,
      ACTIVE
    }
  }

  /** Idempotent: a shard is known once it has been registered. */
  void registerShard(ShardId shard);

  List<ShardId> shards();

  /** Number of vaults placed on each registered shard (zero included). */
  Map<ShardId, Long> vaultCounts();

  /**
   * Records a new vault as CREATING on {@code shard}.
   *
   * @return false when the name is already taken (whatever its state)
   */
  boolean reserve(VaultName vault, ShardId shard);

  /**
   * Drops a CREATING placement on {@code shard} whose creation did not happen, so the name is free
   * again; an ACTIVE placement, or one on another shard, is left alone.
   */
  void release(VaultName vault, ShardId shard);

  void markActive(VaultName vault);

  Optional<Placement> find(VaultName vault);

  List<Placement> list(Optional<VaultName> after, int limit);

  List<Placement> creating();
}
