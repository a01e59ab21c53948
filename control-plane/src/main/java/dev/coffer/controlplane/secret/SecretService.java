package dev.coffer.controlplane.secret;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VersionState;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.placement.ShardDirectory;
import java.util.List;
import java.util.Optional;

/** Secret writes and reads on the control plane, always against the vault's shard store. */
public final class SecretService {
  /** The outcome of a write, with the token a client presents to read its own write. */
  public record Written(long version, ReplicationToken token, StageMap stages) {
    public Written(long version, ReplicationToken token) {
      this(version, token, StageMap.NONE);
    }
  }

  private final ShardDirectory shards;
  private final SecretCrypto crypto;

  public SecretService(ShardDirectory shards, SecretCrypto crypto) {
    this.shards = shards;
    this.crypto = crypto;
  }

  /** A new version in {@code stage} (CURRENT or PENDING). */
  public Written put(VaultName vault, SecretName secret, SecretStage stage, SecretValue value) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    WriteOutcome outcome =
        shard
            .writes()
            .putSecret(
                vault,
                secret,
                stage,
                (vaultKey, version) ->
                    crypto.seal(new SecretIdentity(vault, secret, version), vaultKey, value));
    return written(shard, outcome);
  }

  /** Makes {@code version} CURRENT; see {@link dev.coffer.core.model.StageMap#afterPromote}. */
  public Written promote(VaultName vault, SecretName secret, long version) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    return written(shard, shard.writes().promoteToCurrent(vault, secret, version));
  }

  private static Written written(ShardDirectory.Shard shard, WriteOutcome outcome) {
    return new Written(
        outcome.version(), new ReplicationToken(shard.id(), outcome.position()), outcome.stages());
  }

  public Written delete(VaultName vault, SecretName secret) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    WriteOutcome outcome = shard.writes().deleteSecret(vault, secret);
    return new Written(0, new ReplicationToken(shard.id(), outcome.position()));
  }

  public RevealedSecret get(VaultName vault, SecretName secret, VersionSelector selector) {
    return reads(vault).read(vault, secret, selector);
  }

  /**
   * PENDING until every member host of the cell has applied the version, then ACTIVE: replication,
   * not the version's stage.
   */
  public String state(VaultName vault, SecretName secret, long version) {
    return stateIfLive(vault, secret, version).map(Enum::name).orElse(null);
  }

  /**
   * The replication state of one version, for a client that waits for ACTIVE without needing the
   * value: nothing is decrypted.
   *
   * @throws CofferException VAULT_NOT_FOUND, or VERSION_NOT_FOUND when the secret has no such live
   *     version
   */
  public VersionState versionState(VaultName vault, SecretName secret, long version) {
    return stateIfLive(vault, secret, version)
        .orElseThrow(() -> SecretReads.versionNotFound(vault, secret, version));
  }

  private Optional<VersionState> stateIfLive(VaultName vault, SecretName secret, long version) {
    return shards.shardOf(vault).writes().versionState(vault, secret, version);
  }

  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    return reads(vault).list(vault, after, limit);
  }

  private SecretReads reads(VaultName vault) {
    return new SecretReads(shards.shardOf(vault).reads(), crypto);
  }
}
