package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A root key held in process memory, loaded from configuration. The foundation's only provider; the
 * key hierarchy issue adds a keystore and a PKCS#11 HSM behind the same interface.
 */
public final class LocalRootKeyProvider implements RootKeyProvider {
  private static final int KEY_VERSION = 1;

  private final String keyId;
  private final KeyParameter key;
  private final SecureRandom random;

  private LocalRootKeyProvider(String keyId, byte[] key, SecureRandom random) {
    this.keyId = keyId;
    this.key = Aes256Gcm.key(key);
    this.random = random;
  }

  /**
   * @param base64Key 32 random bytes, base64-encoded (e.g. {@code openssl rand -base64 32})
   */
  public static LocalRootKeyProvider fromBase64(String keyId, String base64Key) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("the root key must be base64-encoded");
    }
    if (bytes.length != Aes256Gcm.KEY_BYTES) {
      throw new IllegalArgumentException(
          "the root key must be 32 bytes (base64 of 32 random bytes)");
    }
    try {
      return new LocalRootKeyProvider(keyId, bytes, new SecureRandom());
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A fresh random root key in base64, for configuration generators. */
  public static String generateBase64Key() {
    byte[] bytes = new byte[Aes256Gcm.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] wrap(byte[] plainKey, byte[] context) {
    byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] ciphertext = Aes256Gcm.encrypt(key, nonce, context, plainKey);
    return new Envelope(keyId, KEY_VERSION, nonce, ciphertext).encode();
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) {
    Envelope envelope;
    try {
      envelope = Envelope.decode(wrapped);
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A wrapped key is corrupt.", e);
    }
    if (!envelope.keyId().equals(keyId) || envelope.keyVersion() != KEY_VERSION) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED,
          "A vault key is wrapped by root key '"
              + envelope.keyId()
              + "', which this server is not configured with.");
    }
    return Aes256Gcm.decrypt(key, envelope.nonce(), context, envelope.ciphertext());
  }

  @Override
  public String toString() {
    return "LocalRootKeyProvider[" + keyId + "]";
  }
}
