package dev.coffer.core.crypto;

/**
 * A root of trust that wraps vault keys: a keystore file, a PKCS#11 HSM, later a cloud KMS.
 * Implementations keep their key material to themselves; Coffer only sees wrapped bytes and,
 * briefly, the unwrapped vault key. {@code context} is bound as associated data, so a wrapped key
 * only unwraps for the vault and vault key version it was made for.
 *
 * <p>A provider owns one key id and may hold several versions of it: it wraps with the newest and
 * unwraps with whichever version a wrapping names, so rotating a root key never rewrites old data.
 */
public interface RootKeyProvider extends AutoCloseable {
  /** The id of this provider's root key, recorded in every wrapping it produces. */
  String keyId();

  /** The version {@link #wrap} uses now. */
  int keyVersion();

  /**
   * @throws dev.coffer.core.error.CofferException KEY_UNAVAILABLE when the key cannot be reached
   */
  RootWrapping wrap(byte[] key, byte[] context);

  /**
   * Returns the unwrapped key; the caller wipes it after use.
   *
   * @throws dev.coffer.core.error.CofferException DECRYPTION_FAILED when the bytes were not wrapped
   *     by this provider's key for this context, KEY_UNAVAILABLE when the key cannot be reached
   */
  byte[] unwrap(RootWrapping wrapping, byte[] context);

  /** Whether the key can be used right now: a cheap check for health reporting. */
  boolean isAvailable();

  /** Releases sessions and wipes key material held in this process. */
  @Override
  default void close() {}
}
