package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A root key provider whose key versions are AES-256-GCM keys: every wrapping is an {@link
 * Envelope} naming the key id and version, with a random nonce counted against the {@link
 * NonceBudget}.
 */
abstract class GcmRootKeyProvider implements RootKeyProvider {
  private final String keyId;
  private final NavigableMap<Integer, GcmKey> versions;
  private final NonceBudget budget;
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closed;

  GcmRootKeyProvider(String keyId, Map<Integer, GcmKey> versions, NonceBudget budget) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("root key '" + keyId + "' has no versions");
    }
    this.keyId = new KeyRef(keyId, 0).id();
    this.versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    this.budget = budget;
  }

  @Override
  public final String keyId() {
    return keyId;
  }

  @Override
  public final int keyVersion() {
    return versions.lastKey();
  }

  /** The versions this provider can unwrap with. */
  public final java.util.Set<Integer> keyVersions() {
    return versions.keySet();
  }

  @Override
  public final RootWrapping wrap(byte[] key, byte[] context) {
    requireOpen();
    KeyRef ref = new KeyRef(keyId, keyVersion());
    budget.charge(ref);
    byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
    random.nextBytes(nonce);
    Envelope header = new Envelope(keyId, ref.version(), nonce, new byte[0]);
    byte[] ciphertext =
        versions.get(ref.version()).encrypt(nonce, header.associatedData(context), key);
    return new RootWrapping(ref, new Envelope(keyId, ref.version(), nonce, ciphertext).encode());
  }

  @Override
  public final byte[] unwrap(RootWrapping wrapping, byte[] context) {
    requireOpen();
    Envelope envelope;
    try {
      envelope = Envelope.decode(wrapping.bytes());
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A wrapped key is corrupt.", e);
    }
    if (!envelope.key().equals(wrapping.rootKey()) || !envelope.keyId().equals(keyId)) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED,
          "A vault key is wrapped by root key "
              + wrapping.rootKey()
              + ", which is not root key '"
              + keyId
              + "'.");
    }
    GcmKey key = versions.get(envelope.keyVersion());
    if (key == null) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED,
          "A vault key is wrapped by root key "
              + envelope.key()
              + ", a version this server does not hold.");
    }
    return key.decrypt(envelope.nonce(), envelope.associatedData(context), envelope.ciphertext());
  }

  /** Once closed, the provider fails with KEY_UNAVAILABLE, so it fails over like an absent one. */
  private void requireOpen() {
    if (closed) {
      throw new CofferException(
          ErrorCode.KEY_UNAVAILABLE, "Root key '" + keyId + "' is no longer open.");
    }
  }

  @Override
  public boolean isAvailable() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
    versions.values().forEach(GcmKey::destroy);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + keyId + ", versions " + versions.keySet() + "]";
  }

  static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
