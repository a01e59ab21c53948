package dev.coffer.core.model;

import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import java.time.Instant;

/** A vault as its shard stores it: the name and its wrapped key versions. */
public record VaultRecord(VaultName name, VaultKeyRing keys, Instant createdAt) {
  /** A vault whose ring holds the one version {@code key}. */
  public VaultRecord(VaultName name, WrappedVaultKey key, Instant createdAt) {
    this(name, VaultKeyRing.of(key), createdAt);
  }
}
