package dev.coffer.core.crypto;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link SecretCrypto} with AES-256-GCM at both levels and a bounded cache of unwrapped vault keys.
 */
public final class EnvelopeSecretCrypto implements SecretCrypto {
  private static final String DATA_KEY_ID = "data";
  private static final String VAULT_KEY_ID = "vault";

  /**
   * The version recorded in the envelopes this class writes. The envelope header is not part of the
   * associated data, so {@link #decrypt} checks it: otherwise its bytes could be changed without
   * detection.
   */
  private static final int ENVELOPE_KEY_VERSION = 1;

  /**
   * A cached vault key is only valid for the vault it was unwrapped for: the wrapped bytes alone
   * would let a key copied to another vault skip the root's context check once it is cached.
   */
  private record CachedVaultKey(VaultName vault, WrappedVaultKey wrapped) {}

  private final RootKeyProvider root;
  private final SecureRandom random = new SecureRandom();

  /**
   * Unwrapping goes to the root of trust (an HSM later), so hot vault keys are cached, for a
   * bounded time so that a revoked root key stops working within that time. Keyed by the vault and
   * the wrapped bytes: a new vault key version is a new entry, and the same bytes presented for
   * another vault are unwrapped (and refused) by the root again.
   */
  private final Cache<CachedVaultKey, KeyParameter> vaultKeys;

  public EnvelopeSecretCrypto(RootKeyProvider root, Duration vaultKeyCacheLifetime) {
    this.root = root;
    this.vaultKeys =
        CacheBuilder.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(vaultKeyCacheLifetime)
            .build();
  }

  @Override
  public WrappedVaultKey newVaultKey(VaultName vault) {
    byte[] key = new byte[Aes256Gcm.KEY_BYTES];
    random.nextBytes(key);
    try {
      return new WrappedVaultKey(root.wrap(key, vaultContext(vault)));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public SealedSecret seal(SecretIdentity identity, WrappedVaultKey vaultKey, SecretValue value) {
    KeyParameter vaultKeyParameter = unwrapVaultKey(identity.vault(), vaultKey);
    byte[] dataKey = new byte[Aes256Gcm.KEY_BYTES];
    byte[] plaintext = value.copyBytes();
    try {
      random.nextBytes(dataKey);
      byte[] ciphertext =
          encrypt(Aes256Gcm.key(dataKey), DATA_KEY_ID, identity.associatedData("value"), plaintext);
      byte[] wrappedDataKey =
          encrypt(vaultKeyParameter, VAULT_KEY_ID, identity.associatedData("data-key"), dataKey);
      return new SealedSecret(wrappedDataKey, ciphertext);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public SecretValue open(SecretIdentity identity, WrappedVaultKey vaultKey, SealedSecret sealed) {
    KeyParameter vaultKeyParameter = unwrapVaultKey(identity.vault(), vaultKey);
    byte[] dataKey =
        decrypt(
            vaultKeyParameter,
            VAULT_KEY_ID,
            identity.associatedData("data-key"),
            sealed.wrappedDataKey());
    try {
      return SecretValue.ofBytes(
          decrypt(
              Aes256Gcm.key(dataKey),
              DATA_KEY_ID,
              identity.associatedData("value"),
              sealed.ciphertext()));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private KeyParameter unwrapVaultKey(VaultName vault, WrappedVaultKey wrapped) {
    try {
      return vaultKeys.get(
          new CachedVaultKey(vault, wrapped),
          () -> {
            byte[] key = root.unwrap(wrapped.bytes(), vaultContext(vault));
            try {
              return Aes256Gcm.key(key);
            } finally {
              Arrays.fill(key, (byte) 0);
            }
          });
    } catch (ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
      if (e.getCause() instanceof CofferException ce) {
        throw ce;
      }
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED, "A vault key could not be unwrapped.", e);
    }
  }

  private byte[] encrypt(KeyParameter key, String keyId, byte[] aad, byte[] plaintext) {
    byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
    random.nextBytes(nonce);
    return new Envelope(
            keyId, ENVELOPE_KEY_VERSION, nonce, Aes256Gcm.encrypt(key, nonce, aad, plaintext))
        .encode();
  }

  private static byte[] decrypt(KeyParameter key, String keyId, byte[] aad, byte[] encoded) {
    Envelope envelope;
    try {
      envelope = Envelope.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.", e);
    }
    if (!envelope.keyId().equals(keyId) || envelope.keyVersion() != ENVELOPE_KEY_VERSION) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "Stored data is corrupt.");
    }
    return Aes256Gcm.decrypt(key, envelope.nonce(), aad, envelope.ciphertext());
  }

  private static byte[] vaultContext(VaultName vault) {
    return ("coffer/v1/vault-key/" + vault.value()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "EnvelopeSecretCrypto[root=" + root.keyId() + "]";
  }
}
