package dev.coffer.core.storage;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VersionState;
import java.util.Optional;

/**
 * The write side of a shard store. Every mutation appends its replication event in the same
 * transaction, so the log holds exactly the committed mutations.
 */
public interface ShardWriteStore {
  /** Seals a value once the store has chosen its version number (the number is part of the AAD). */
  @FunctionalInterface
  interface VersionSealer {
    SealedSecret seal(WrappedVaultKey vaultKey, long version);
  }

  /** The outcome of a write: what it created and where in the log it landed. */
  record WriteOutcome(long version, LogPosition position) {}

  /**
   * @throws dev.coffer.core.error.CofferException VAULT_ALREADY_EXISTS
   */
  WriteOutcome createVault(VaultName vault, WrappedVaultKey key);

  /**
   * Adds a new version (1 for a new secret, or after the highest version ever given to this name).
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND
   */
  WriteOutcome putSecret(VaultName vault, SecretName secret, VersionSealer sealer);

  /**
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND, SECRET_NOT_FOUND
   */
  WriteOutcome deleteSecret(VaultName vault, SecretName secret);

  /** Whether a stored version is ACTIVE yet; empty when there is no such version. */
  Optional<VersionState> versionState(VaultName vault, SecretName secret, long version);
}
