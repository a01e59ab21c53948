package dev.coffer.core.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.params.KeyParameter;

/** A key held in this process's memory, used through Bouncy Castle. */
final class SoftwareGcmKey implements GcmKey {
  private final KeyParameter key;

  /** Copies {@code bytes}; the caller wipes its own copy. */
  SoftwareGcmKey(byte[] bytes) {
    this.key = Aes256Gcm.key(bytes);
  }

  @Override
  public byte[] encrypt(byte[] nonce, byte[] aad, byte[] plaintext) {
    return Aes256Gcm.encrypt(key, nonce, aad, plaintext);
  }

  @Override
  public byte[] decrypt(byte[] nonce, byte[] aad, byte[] ciphertext) {
    return Aes256Gcm.decrypt(key, nonce, aad, ciphertext);
  }

  @Override
  public void destroy() {
    // KeyParameter hands out its own array, so this wipes the only copy.
    Arrays.fill(key.getKey(), (byte) 0);
  }

  @Override
  public String toString() {
    return "SoftwareGcmKey[REDACTED]";
  }
}
