package dev.coffer.core.crypto;

import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;

/**
 * The encryption seam: the only code that sees key bytes. Envelope encryption: a fresh data key per
 * secret version, wrapped by the vault key, which is wrapped by a root of trust.
 */
public interface SecretCrypto {
  /** Generates a new vault key and returns it wrapped for {@code vault}. */
  WrappedVaultKey newVaultKey(VaultName vault);

  SealedSecret seal(SecretIdentity identity, WrappedVaultKey vaultKey, SecretValue value);

  /**
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when any byte, key or the
   *     identity differs from what was sealed
   */
  SecretValue open(SecretIdentity identity, WrappedVaultKey vaultKey, SealedSecret sealed);
}
