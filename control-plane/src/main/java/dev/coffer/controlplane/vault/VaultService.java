package dev.coffer.controlplane.vault;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.KeyAuditLog;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.ShardDirectory;
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

  /** The actor recorded for work the control plane does on its own, such as finishing creations. */
  public static final String SYSTEM_ACTOR = "control-plane";

  /** A created vault and the replication token of its creation. */
  public record Created(Placement placement, ReplicationToken token) {}

  private final VaultPlacementStore placements;
  private final ShardDirectory shards;
  private final SecretCrypto crypto;
  private final KeyAuditLog audit;

  private final ShardHealth health;

  public VaultService(
      VaultPlacementStore placements,
      ShardDirectory shards,
      SecretCrypto crypto,
      KeyAuditLog audit) {
    this(placements, shards, crypto, audit, ShardHealth.passive());
  }

  public VaultService(
      VaultPlacementStore placements,
      ShardDirectory shards,
      SecretCrypto crypto,
      KeyAuditLog audit,
      ShardHealth health) {
    this.placements = placements;
    this.shards = shards;
    this.crypto = crypto;
    this.audit = audit;
    this.health = health;
  }

  /**
   * Places the vault on the least-loaded healthy shard. When that shard's store turns out not to
   * answer, nothing was written there: the reservation is released, the shard is marked down and
   * the next healthy shard is tried, so one shard's database being down costs a create nothing. A
   * reservation is also released when the vault key could not be made, so a retry is never refused
   * as VAULT_ALREADY_EXISTS by a creation that did not happen.
   *
   * @param actor who asked, for the key audit trail
   * @throws CofferException STORE_UNAVAILABLE when no shard's store answers
   */
  public Created create(String actor, VaultName vault) {
    CofferException lastFailure = null;
    for (ShardId shard : placementCandidates()) {
      if (!placements.reserve(vault, shard)) {
        throw new CofferException(
            ErrorCode.VAULT_ALREADY_EXISTS, "A vault of that name already exists.");
      }
      LogPosition position;
      try {
        position = createOnShard(actor, vault, shard);
      } catch (CofferException e) {
        if (e.code() != ErrorCode.STORE_UNAVAILABLE && e.code() != ErrorCode.KEY_UNAVAILABLE) {
          throw e; // may have been written: left CREATING, completed at the next start
        }
        placements.release(vault, shard);
        if (e.code() == ErrorCode.KEY_UNAVAILABLE) {
          throw e;
        }
        health.failed(shard);
        lastFailure = e;
        continue;
      }
      placements.markActive(vault);
      Placement placement =
          placements.find(vault).orElseThrow(() -> new IllegalStateException("placement vanished"));
      return new Created(placement, new ReplicationToken(shard, position));
    }
    throw new CofferException(
        ErrorCode.STORE_UNAVAILABLE,
        "No shard is available to hold a new vault: no shard's database answers. Nothing was"
            + " created; retry later.",
        lastFailure);
  }

  public Placement find(VaultName vault) {
    return placements
        .find(vault)
        .filter(p -> p.state() == Placement.State.ACTIVE)
        .orElseThrow(
            () -> new CofferException(ErrorCode.VAULT_NOT_FOUND, "No vault of that name exists."));
  }

  public List<Placement> list(Optional<VaultName> after, int limit) {
    return placements.list(after, limit);
  }

  /** Finishes creations that a crash interrupted between the two stores. */
  public void completeInterruptedCreations() {
    for (Placement placement : placements.creating()) {
      try {
        createOnShard(SYSTEM_ACTOR, placement.vault(), placement.shard());
      } catch (CofferException e) {
        if (e.code() != ErrorCode.STORE_UNAVAILABLE) {
          throw e;
        }
        // That shard's database is down; the creation is completed at a later start.
        LOG.warn(
            "Could not complete an interrupted vault creation on {}: its store does not answer.",
            placement.shard());
        continue;
      }
      placements.markActive(placement.vault());
      LOG.info("Completed the interrupted creation of vault {}.", placement.vault());
    }
  }

  private LogPosition createOnShard(String actor, VaultName vault, ShardId shard) {
    ShardDirectory.Shard target = shards.shard(shard);
    String subject = "vault/" + vault + "/key";
    if (target.reads().vault(vault).isPresent()) {
      // Only when completing an interrupted creation: the key was stored, but the process may
      // have died before recording it. A possible duplicate record beats a gap in the trail.
      audit.append(
          new KeyAuditEntry(
              actor,
              KeyOperation.VAULT_KEY_CREATED,
              subject,
              KeyAuditEntry.Outcome.SUCCEEDED,
              "recorded while completing an interrupted creation"));
      return LogPosition.ZERO;
    }
    LogPosition position;
    try {
      position = target.writes().createVault(vault, crypto.newVaultKey(vault)).position();
    } catch (RuntimeException e) {
      audit.append(
          KeyAuditEntry.failed(actor, KeyOperation.VAULT_KEY_CREATED, subject, failureCode(e)));
      throw e;
    }
    audit.append(KeyAuditEntry.succeeded(actor, KeyOperation.VAULT_KEY_CREATED, subject));
    return position;
  }

  /** A code, never a message: a lower layer's message could quote data. */
  private static String failureCode(RuntimeException e) {
    return e instanceof CofferException ce ? ce.code().name() : e.getClass().getSimpleName();
  }

  /**
   * Healthy shards, fewest vaults first so new vaults spread evenly; ties go to the lowest id for
   * determinism.
   */
  private List<ShardId> placementCandidates() {
    Map<ShardId, Long> counts = placements.vaultCounts();
    return counts.entrySet().stream()
        .filter(e -> shards.all().containsKey(e.getKey()))
        .filter(e -> health.healthy(e.getKey()))
        .sorted(
            Map.Entry.<ShardId, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }
}
