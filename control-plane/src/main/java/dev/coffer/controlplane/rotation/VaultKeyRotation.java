package dev.coffer.controlplane.rotation;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.KeyAuditLog;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.placement.ShardDirectory;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Vault key rotation as the API and the nonce budget ask for it: a new primary version at once, the
 * rewrap of old data keys in the background ({@link RewrapJob}), and the destruction of a retired
 * version once nothing is sealed under it. Every change is recorded in the key audit trail,
 * refusals included.
 */
public final class VaultKeyRotation {
  /** A change of a vault's ring, with the token that covers it. */
  public record Changed(int primaryVersion, ReplicationToken token) {}

  private final ShardDirectory shards;
  private final SecretCrypto crypto;
  private final KeyAuditLog audit;
  private final Runnable wakeRewrapJob;

  public VaultKeyRotation(
      ShardDirectory shards, SecretCrypto crypto, KeyAuditLog audit, Runnable wakeRewrapJob) {
    this.shards = shards;
    this.crypto = crypto;
    this.audit = audit;
    this.wakeRewrapJob = wakeRewrapJob;
  }

  /** Adds a new primary version of {@code vault}'s key and starts rewrapping its data keys. */
  public Changed rotate(String actor, VaultName vault) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    VaultKeyStore.KeyChange change =
        audited(
            actor,
            KeyOperation.VAULT_KEY_ROTATED,
            vault,
            OptionalInt.empty(),
            () -> shard.keys().rotate(vault, version -> crypto.newVaultKey(vault, version)));
    wakeRewrapJob.run();
    return new Changed(
        change.primaryVersion(), new ReplicationToken(shard.id(), change.position()));
  }

  public VaultKeyStore.KeyStatus status(VaultName vault) {
    return shards.shardOf(vault).keys().status(vault);
  }

  /** Removes retired version {@code version} once no data key is wrapped by it. */
  public Changed destroy(String actor, VaultName vault, int version) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    VaultKeyStore.KeyChange change =
        audited(
            actor,
            KeyOperation.VAULT_KEY_DESTROYED,
            vault,
            OptionalInt.of(version),
            () -> shard.keys().destroy(vault, version));
    return new Changed(
        change.primaryVersion(), new ReplicationToken(shard.id(), change.position()));
  }

  /**
   * Runs a ring change and records it, refusals included. Subjects name the version the operation
   * removed ({@code version}) or, when it names none, the one it created. As for vault creation,
   * the record follows the change: if the trail cannot be written the caller sees the error,
   * although the change happened.
   */
  private VaultKeyStore.KeyChange audited(
      String actor,
      KeyOperation operation,
      VaultName vault,
      OptionalInt version,
      Supplier<VaultKeyStore.KeyChange> work) {
    String subject = "vault/" + vault + "/key";
    VaultKeyStore.KeyChange change;
    try {
      change = work.get();
    } catch (CofferException e) {
      String named = version.isPresent() ? subject + "/v" + version.getAsInt() : subject;
      audit.append(KeyAuditEntry.failed(actor, operation, named, e.code().name()));
      throw e;
    }
    int named = version.orElse(change.primaryVersion());
    audit.append(KeyAuditEntry.succeeded(actor, operation, subject + "/v" + named));
    return change;
  }
}
