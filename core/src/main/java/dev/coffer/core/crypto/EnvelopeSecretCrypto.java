package dev.coffer.core.crypto;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalNotification;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link SecretCrypto} with AES-256-GCM at both levels and a bounded cache of unwrapped vault keys.
 *
 * <p>Every ciphertext is an {@link Envelope} naming its key: a value names the one-use data key
 * ({@code data}, version 1); a wrapped data key names the vault key ({@code vault/<vault name>})
 * and its version. The envelope header and the secret's identity are the associated data.
 */
public final class EnvelopeSecretCrypto implements SecretCrypto {
  private static final KeyRef DATA_KEY = new KeyRef("data", 1);

  /**
   * A cached vault key is only valid for the vault it was unwrapped for: the wrapped bytes alone
   * would let a key copied to another vault skip the root's context check once it is cached.
   */
  private record CachedVaultKey(VaultName vault, WrappedVaultKey wrapped) {}

  /**
   * An unwrapped vault key that is wiped when the cache drops it. Users hold the read lock, so the
   * wipe never happens under an encryption in progress; a user that finds it wiped loads it again.
   */
  private static final class LiveKey {
    private final KeyParameter key;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean destroyed;

    LiveKey(byte[] bytes) {
      this.key = Aes256Gcm.key(bytes);
    }

    <T> Optional<T> use(Function<KeyParameter, T> action) {
      lock.readLock().lock();
      try {
        return destroyed ? Optional.empty() : Optional.of(action.apply(key));
      } finally {
        lock.readLock().unlock();
      }
    }

    void destroy() {
      lock.writeLock().lock();
      try {
        destroyed = true;
        Arrays.fill(key.getKey(), (byte) 0);
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private final RootOfTrust roots;
  private final NonceBudget budget;
  private final SecureRandom random = new SecureRandom();

  /**
   * Unwrapping goes to the root key providers (an HSM), so hot vault keys are cached, for a bounded
   * time so that a revoked root key stops working within that time. Keyed by the vault and the
   * wrapped bytes: a new vault key version is a new entry, and the same bytes presented for another
   * vault are unwrapped (and refused) by the root again.
   */
  private final Cache<CachedVaultKey, LiveKey> vaultKeys;

  public EnvelopeSecretCrypto(
      RootOfTrust roots, Duration vaultKeyCacheLifetime, NonceBudget budget) {
    this.roots = roots;
    this.budget = budget;
    this.vaultKeys =
        CacheBuilder.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(vaultKeyCacheLifetime)
            .removalListener(
                (RemovalNotification<CachedVaultKey, LiveKey> removed) -> {
                  if (removed.getValue() != null) {
                    removed.getValue().destroy();
                  }
                })
            .build();
  }

  /** One root key provider and no recovery key: for development and tests. */
  public EnvelopeSecretCrypto(RootKeyProvider root, Duration vaultKeyCacheLifetime) {
    this(RootOfTrust.of(root), vaultKeyCacheLifetime, NonceBudget.withDefaults());
  }

  @Override
  public WrappedVaultKey newVaultKey(VaultName vault, int version) {
    byte[] key = new byte[Aes256Gcm.KEY_BYTES];
    random.nextBytes(key);
    try {
      return roots.wrap(vault, version, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public SealedSecret seal(SecretIdentity identity, WrappedVaultKey vaultKey, SecretValue value) {
    KeyRef vaultKeyRef = vaultKeyRef(identity.vault(), vaultKey.version());
    byte[] dataKey = new byte[Aes256Gcm.KEY_BYTES];
    byte[] plaintext = value.copyBytes();
    try {
      random.nextBytes(dataKey);
      byte[] wrappedDataKey =
          withVaultKey(
              identity.vault(),
              vaultKey,
              key -> {
                budget.charge(vaultKeyRef);
                return encrypt(key, vaultKeyRef, identity.associatedData("data-key"), dataKey);
              });
      KeyParameter dataKeyParameter = Aes256Gcm.key(dataKey);
      try {
        byte[] ciphertext =
            encrypt(dataKeyParameter, DATA_KEY, identity.associatedData("value"), plaintext);
        return new SealedSecret(wrappedDataKey, ciphertext);
      } finally {
        Arrays.fill(dataKeyParameter.getKey(), (byte) 0);
      }
    } finally {
      Arrays.fill(dataKey, (byte) 0);
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public SecretValue open(SecretIdentity identity, WrappedVaultKey vaultKey, SealedSecret sealed) {
    byte[] dataKey = unwrapDataKey(identity, vaultKey, sealed);
    KeyParameter dataKeyParameter = null;
    try {
      dataKeyParameter = Aes256Gcm.key(dataKey);
      Envelope ciphertext = parse(sealed.ciphertext());
      if (!ciphertext.key().equals(DATA_KEY)) {
        throw new CofferException(ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.");
      }
      return SecretValue.ofBytes(
          decrypt(dataKeyParameter, ciphertext, identity.associatedData("value")));
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
      if (dataKeyParameter != null) {
        Arrays.fill(dataKeyParameter.getKey(), (byte) 0);
      }
    }
  }

  @Override
  public SealedSecret rewrapDataKey(
      SecretIdentity identity, WrappedVaultKey from, WrappedVaultKey to, SealedSecret sealed) {
    KeyRef toRef = vaultKeyRef(identity.vault(), to.version());
    byte[] dataKey = unwrapDataKey(identity, from, sealed);
    try {
      byte[] rewrapped =
          withVaultKey(
              identity.vault(),
              to,
              key -> {
                budget.charge(toRef);
                return encrypt(key, toRef, identity.associatedData("data-key"), dataKey);
              });
      return new SealedSecret(rewrapped, sealed.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /** The data key of {@code sealed}; the caller wipes it. */
  private byte[] unwrapDataKey(
      SecretIdentity identity, WrappedVaultKey vaultKey, SealedSecret sealed) {
    KeyRef vaultKeyRef = vaultKeyRef(identity.vault(), vaultKey.version());
    Envelope wrappedDataKey = parse(sealed.wrappedDataKey());
    if (!wrappedDataKey.key().equals(vaultKeyRef)) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED,
          "The secret was sealed under vault key version "
              + wrappedDataKey.keyVersion()
              + ", not the version "
              + vaultKeyRef.version()
              + " given.");
    }
    return withVaultKey(
        identity.vault(),
        vaultKey,
        key -> decrypt(key, wrappedDataKey, identity.associatedData("data-key")));
  }

  @Override
  public boolean rotationDue(VaultName vault, WrappedVaultKey vaultKey) {
    return budget.rotationDue(vaultKeyRef(vault, vaultKey.version()));
  }

  /** The key a vault key version is counted and named under. */
  static KeyRef vaultKeyRef(VaultName vault, int version) {
    return VaultKeyRefs.of(vault, version);
  }

  private <T> T withVaultKey(
      VaultName vault, WrappedVaultKey wrapped, Function<KeyParameter, T> action) {
    CachedVaultKey cacheKey = new CachedVaultKey(vault, wrapped);
    while (true) {
      LiveKey live;
      try {
        live =
            vaultKeys.get(
                cacheKey,
                () -> {
                  byte[] key = roots.unwrap(vault, wrapped);
                  try {
                    return new LiveKey(key);
                  } finally {
                    Arrays.fill(key, (byte) 0);
                  }
                });
      } catch (ExecutionException | UncheckedExecutionException e) {
        if (e.getCause() instanceof CofferException ce) {
          throw ce;
        }
        throw new CofferException(
            ErrorCode.DECRYPTION_FAILED, "A vault key could not be unwrapped.", e);
      }
      Optional<T> result = live.use(action);
      if (result.isPresent()) {
        return result.get();
      }
      // Evicted and wiped between the look-up and the use: load it again.
    }
  }

  private byte[] encrypt(KeyParameter key, KeyRef keyRef, byte[] context, byte[] plaintext) {
    byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
    random.nextBytes(nonce);
    Envelope header = new Envelope(keyRef.id(), keyRef.version(), nonce, new byte[0]);
    byte[] ciphertext = Aes256Gcm.encrypt(key, nonce, header.associatedData(context), plaintext);
    return new Envelope(keyRef.id(), keyRef.version(), nonce, ciphertext).encode();
  }

  private static byte[] decrypt(KeyParameter key, Envelope envelope, byte[] context) {
    return Aes256Gcm.decrypt(
        key, envelope.nonce(), envelope.associatedData(context), envelope.ciphertext());
  }

  private static Envelope parse(byte[] encoded) {
    try {
      return Envelope.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.", e);
    }
  }

  @Override
  public String toString() {
    return "EnvelopeSecretCrypto[" + roots + "]";
  }
}
