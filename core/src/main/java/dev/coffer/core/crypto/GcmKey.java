package dev.coffer.core.crypto;

/**
 * One AES-256 key used for AES-GCM with 96-bit nonces and 128-bit tags, wherever it lives: in this
 * process, in a keystore or inside an HSM.
 */
interface GcmKey {
  /**
   * @return ciphertext followed by the tag
   */
  byte[] encrypt(byte[] nonce, byte[] aad, byte[] plaintext);

  /**
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when authentication fails,
   *     KEY_UNAVAILABLE when the key cannot be reached
   */
  byte[] decrypt(byte[] nonce, byte[] aad, byte[] ciphertext);

  /** Wipes the key where it is held in this process; a no-op for keys held elsewhere. */
  void destroy();
}
