package dev.coffer.core.crypto;

import java.util.Arrays;

/**
 * One encrypted secret version: its data key wrapped by the vault key, and the value encrypted
 * under the data key. Kept apart so that a vault-key rotation rewraps data keys without touching
 * values.
 */
public record SealedSecret(byte[] wrappedDataKey, byte[] ciphertext) {
  public SealedSecret {
    wrappedDataKey = wrappedDataKey.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] wrappedDataKey() {
    return wrappedDataKey.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /**
   * The version of the vault key this secret was sealed under, from the header of the wrapped data
   * key: what a reader needs to pick the vault key, and what rotation re-wraps.
   *
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when the header is corrupt
   */
  public int vaultKeyVersion() {
    try {
      return Envelope.decode(wrappedDataKey).keyVersion();
    } catch (IllegalArgumentException e) {
      throw new dev.coffer.core.error.CofferException(
          dev.coffer.core.error.ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedSecret s
        && Arrays.equals(wrappedDataKey, s.wrappedDataKey)
        && Arrays.equals(ciphertext, s.ciphertext);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "SealedSecret[" + ciphertext.length + " bytes]";
  }
}
