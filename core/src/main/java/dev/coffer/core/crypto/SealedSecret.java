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
