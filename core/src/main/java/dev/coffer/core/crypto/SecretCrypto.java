package dev.coffer.core.crypto;

import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;

/**
 * The encryption seam: the only code that sees key bytes. Envelope encryption: a fresh data key per
 * secret version, wrapped by a version of the vault key, which is wrapped by every root key
 * provider and by the recovery key.
 */
public interface SecretCrypto {
  /** Generates version 1 of a new vault key and returns it wrapped for {@code vault}. */
  default WrappedVaultKey newVaultKey(VaultName vault) {
    return newVaultKey(vault, 1);
  }

  /** Generates version {@code version} of {@code vault}'s key, for rotation. */
  WrappedVaultKey newVaultKey(VaultName vault, int version);

  SealedSecret seal(SecretIdentity identity, WrappedVaultKey vaultKey, SecretValue value);

  /**
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when any byte, key or the
   *     identity differs from what was sealed; KEY_UNAVAILABLE when no root key provider can be
   *     reached
   */
  SecretValue open(SecretIdentity identity, WrappedVaultKey vaultKey, SealedSecret sealed);

  /**
   * The same secret version with its data key wrapped by {@code to} instead of the vault key
   * version it was sealed under ({@code from}): vault key rotation. The value's ciphertext is
   * unchanged and the data key never leaves this seam.
   *
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when {@code sealed} was not
   *     sealed under {@code from} for this identity
   */
  SealedSecret rewrapDataKey(
      SecretIdentity identity, WrappedVaultKey from, WrappedVaultKey to, SealedSecret sealed);

  /** Whether the vault key version has been used for so many encryptions it should be replaced. */
  boolean rotationDue(VaultName vault, WrappedVaultKey vaultKey);
}
