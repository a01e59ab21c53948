package dev.coffer.core.event;

import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/** A vault now exists on this shard, with its wrapped key. */
public record VaultCreated(
    VaultName vault, long entityVersion, WrappedVaultKey key, Instant createdAt)
    implements ReplicationEvent {
  @Override
  public String entity() {
    return "vault/" + vault;
  }
}
