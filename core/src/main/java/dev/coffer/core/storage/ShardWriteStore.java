package dev.coffer.core.storage;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.StageMap;
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

  /**
   * The outcome of a write: what it created (or promoted), where in the log it landed, and the
   * secret's stage map after it ({@link StageMap#NONE} for writes that are not about a secret's
   * versions).
   */
  record WriteOutcome(long version, LogPosition position, StageMap stages) {
    public WriteOutcome(long version, LogPosition position) {
      this(version, position, StageMap.NONE);
    }
  }

  /**
   * @throws dev.coffer.core.error.CofferException VAULT_ALREADY_EXISTS
   */
  WriteOutcome createVault(VaultName vault, WrappedVaultKey key);

  /**
   * Adds a new version (1 for a new secret, or after the highest version ever given to this name)
   * and makes it CURRENT.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND
   */
  default WriteOutcome putSecret(VaultName vault, SecretName secret, VersionSealer sealer) {
    return putSecret(vault, secret, SecretStage.CURRENT, sealer);
  }

  /**
   * Adds a new version in {@code stage}, CURRENT or PENDING, moving the other stages as {@link
   * StageMap#afterPut} says.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND
   * @throws IllegalArgumentException for PREVIOUS
   */
  WriteOutcome putSecret(
      VaultName vault, SecretName secret, SecretStage stage, VersionSealer sealer);

  /**
   * Makes a live version CURRENT (see {@link StageMap#afterPromote}). Promoting the version that is
   * already CURRENT changes no stage but still appends an event, so that its answer carries a
   * replication token covering the promotion: a client retrying a promotion whose answer it lost
   * can still read its own write.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND, SECRET_NOT_FOUND,
   *     VERSION_NOT_FOUND
   */
  WriteOutcome promoteToCurrent(VaultName vault, SecretName secret, long version);

  /**
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND, SECRET_NOT_FOUND
   */
  WriteOutcome deleteSecret(VaultName vault, SecretName secret);

  /** Whether a stored version is ACTIVE yet; empty when there is no such version. */
  Optional<VersionState> versionState(VaultName vault, SecretName secret, long version);
}
