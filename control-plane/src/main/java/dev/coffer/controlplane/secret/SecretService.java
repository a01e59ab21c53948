package dev.coffer.controlplane.secret;

import dev.coffer.controlplane.vault.ShardDirectory;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Secret writes and reads on the control plane, always against the vault's shard store. */
public final class SecretService {
  /** The outcome of a write, with the token a client presents to read its own write. */
  public record Written(long version, ReplicationToken token) {}

  private final ShardDirectory shards;
  private final SecretCrypto crypto;

  public SecretService(ShardDirectory shards, SecretCrypto crypto) {
    this.shards = shards;
    this.crypto = crypto;
  }

  public Written put(VaultName vault, SecretName secret, SecretValue value) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    WriteOutcome outcome =
        shard
            .writes()
            .putSecret(
                vault,
                secret,
                (vaultKey, version) ->
                    crypto.seal(new SecretIdentity(vault, secret, version), vaultKey, value));
    return new Written(outcome.version(), new ReplicationToken(shard.id(), outcome.position()));
  }

  public Written delete(VaultName vault, SecretName secret) {
    ShardDirectory.Shard shard = shards.shardOf(vault);
    WriteOutcome outcome = shard.writes().deleteSecret(vault, secret);
    return new Written(0, new ReplicationToken(shard.id(), outcome.position()));
  }

  public RevealedSecret get(VaultName vault, SecretName secret, OptionalLong version) {
    return reads(vault).read(vault, secret, version);
  }

  /** PENDING until every member host of the cell has applied the version, then ACTIVE. */
  public String state(VaultName vault, SecretName secret, long version) {
    return shards
        .shardOf(vault)
        .writes()
        .versionState(vault, secret, version)
        .map(Enum::name)
        .orElse(null);
  }

  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    return reads(vault).list(vault, after, limit);
  }

  private SecretReads reads(VaultName vault) {
    return new SecretReads(shards.shardOf(vault).reads(), crypto);
  }
}
