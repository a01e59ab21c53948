package dev.coffer.core.crypto;

/**
 * A root of trust that wraps vault keys. Implementations keep their key material to themselves (a
 * keystore, an HSM, a cloud KMS); Coffer only ever sees wrapped bytes and, briefly, the unwrapped
 * vault key. {@code context} is bound as associated data, so a wrapped key only unwraps for the
 * vault it was made for.
 */
public interface RootKeyProvider {
  /** A stable identifier of this provider's current key, recorded in every envelope it produces. */
  String keyId();

  byte[] wrap(byte[] key, byte[] context);

  /**
   * @throws dev.coffer.core.error.CofferException with DECRYPTION_FAILED when the bytes were not
   *     wrapped by this provider for this context
   */
  byte[] unwrap(byte[] wrapped, byte[] context);
}
