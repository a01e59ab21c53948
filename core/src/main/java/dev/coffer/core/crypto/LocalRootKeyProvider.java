package dev.coffer.core.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A root key held in process memory, given in configuration as base64. For development and tests:
 * production configures a keystore file and an HSM, which keep the key out of configuration.
 */
public final class LocalRootKeyProvider extends GcmRootKeyProvider {
  private static final int KEY_VERSION = 1;

  private LocalRootKeyProvider(String keyId, GcmKey key, NonceBudget budget) {
    super(keyId, Map.of(KEY_VERSION, key), budget);
  }

  /**
   * @param base64Key 32 random bytes, base64-encoded (e.g. {@code openssl rand -base64 32})
   */
  public static LocalRootKeyProvider fromBase64(String keyId, String base64Key) {
    return fromBase64(keyId, base64Key, NonceBudget.withDefaults());
  }

  public static LocalRootKeyProvider fromBase64(
      String keyId, String base64Key, NonceBudget budget) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("the root key must be base64-encoded");
    }
    try {
      if (bytes.length != Aes256Gcm.KEY_BYTES) {
        throw new IllegalArgumentException(
            "the root key must be 32 bytes (base64 of 32 random bytes)");
      }
      return new LocalRootKeyProvider(keyId, new SoftwareGcmKey(bytes), budget);
    } finally {
      wipe(bytes);
    }
  }

  /** A fresh random root key in base64, for configuration generators. */
  public static String generateBase64Key() {
    byte[] bytes = new byte[Aes256Gcm.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      wipe(bytes);
    }
  }
}
