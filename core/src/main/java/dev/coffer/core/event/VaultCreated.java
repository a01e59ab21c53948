package dev.coffer.core.event;

import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/**
 * A vault exists on this shard with these keys. Written when the vault is created and again, with a
 * higher entity version, whenever its key ring changes: a vault key rotation, a rewrap by new root
 * keys, the destruction of a retired version. The ring of the highest entity version wins.
 */
public record VaultCreated(
    VaultName vault, long entityVersion, VaultKeyRing keys, Instant createdAt)
    implements ReplicationEvent {

  /** A vault whose ring holds the one version {@code key}. */
  public VaultCreated(VaultName vault, long entityVersion, WrappedVaultKey key, Instant createdAt) {
    this(vault, entityVersion, VaultKeyRing.of(key), createdAt);
  }

  @Override
  public String entity() {
    return "vault/" + vault;
  }
}
