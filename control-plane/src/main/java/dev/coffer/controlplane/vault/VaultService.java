package dev.coffer.controlplane.vault;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and finds vaults. Creation spans two databases (placement in the base store, the vault
 * and its key in the shard store), so it is recorded as CREATING first and completed at start-up if
 * the process died in between.
 */
public final class VaultService {
  private static final Logger LOG = LoggerFactory.getLogger(VaultService.class);

  /** A created vault and the replication token of its creation. */
  public record Created(Placement placement, ReplicationToken token) {}

  private final VaultPlacementStore placements;
  private final ShardDirectory shards;
  private final SecretCrypto crypto;

  public VaultService(VaultPlacementStore placements, ShardDirectory shards, SecretCrypto crypto) {
    this.placements = placements;
    this.shards = shards;
    this.crypto = crypto;
  }

  public Created create(VaultName vault) {
    ShardId shard = leastLoadedShard();
    if (!placements.reserve(vault, shard)) {
      throw new CofferException(
          ErrorCode.VAULT_ALREADY_EXISTS, "A vault named '" + vault + "' already exists.");
    }
    LogPosition position = createOnShard(vault, shard);
    placements.markActive(vault);
    Placement placement =
        placements.find(vault).orElseThrow(() -> new IllegalStateException("placement vanished"));
    return new Created(placement, new ReplicationToken(shard, position));
  }

  public Placement find(VaultName vault) {
    return placements
        .find(vault)
        .filter(p -> p.state() == Placement.State.ACTIVE)
        .orElseThrow(
            () ->
                new CofferException(
                    ErrorCode.VAULT_NOT_FOUND, "No vault named '" + vault + "' exists."));
  }

  public List<Placement> list(Optional<VaultName> after, int limit) {
    return placements.list(after, limit);
  }

  /** Finishes creations that a crash interrupted between the two stores. */
  public void completeInterruptedCreations() {
    for (Placement placement : placements.creating()) {
      createOnShard(placement.vault(), placement.shard());
      placements.markActive(placement.vault());
      LOG.info("Completed the interrupted creation of vault {}.", placement.vault());
    }
  }

  private LogPosition createOnShard(VaultName vault, ShardId shard) {
    ShardDirectory.Shard target = shards.shard(shard);
    if (target.reads().vault(vault).isPresent()) {
      return LogPosition.ZERO;
    }
    return target.writes().createVault(vault, crypto.newVaultKey(vault)).position();
  }

  /** Fewest vaults first, so new vaults spread evenly; ties go to the lowest id for determinism. */
  private ShardId leastLoadedShard() {
    Map<ShardId, Long> counts = placements.vaultCounts();
    return counts.entrySet().stream()
        .filter(e -> shards.all().containsKey(e.getKey()))
        .min(Map.Entry.<ShardId, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElseThrow(
            () ->
                new CofferException(
                    ErrorCode.STORE_UNAVAILABLE, "No shard is available to hold a new vault."));
  }
}
