package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The top of the key hierarchy: every configured root key provider, used active-active, and the
 * recovery public key. A vault key version is wrapped by each of them independently; it unwraps
 * through whichever provider answers first, so one provider being down is invisible to clients.
 */
public final class RootOfTrust {
  private final List<RootKeyProvider> providers;
  private final Optional<RecoveryPublicKey> recovery;
  private final AtomicInteger next = new AtomicInteger();

  public RootOfTrust(List<RootKeyProvider> providers, Optional<RecoveryPublicKey> recovery) {
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("at least one root key provider is needed");
    }
    Set<String> ids = new HashSet<>();
    for (RootKeyProvider provider : providers) {
      if (!ids.add(provider.keyId())) {
        throw new IllegalArgumentException(
            "root key '" + provider.keyId() + "' is configured twice; each needs its own id");
      }
    }
    this.providers = List.copyOf(providers);
    this.recovery = recovery;
  }

  public static RootOfTrust of(RootKeyProvider... providers) {
    return new RootOfTrust(List.of(providers), Optional.empty());
  }

  public List<RootKeyProvider> providers() {
    return providers;
  }

  public Optional<RecoveryPublicKey> recovery() {
    return recovery;
  }

  /** Whether each provider can be used right now, by key id, for health checks. */
  public Map<String, Boolean> availability() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (RootKeyProvider provider : providers) {
      boolean available;
      try {
        available = provider.isAvailable();
      } catch (RuntimeException e) {
        available = false;
      }
      out.put(provider.keyId(), available);
    }
    return out;
  }

  /**
   * Wraps version {@code version} of {@code vault}'s key with every provider and the recovery key.
   * All providers must succeed: a vault key that only one of them can unwrap would lose the
   * redundancy silently.
   *
   * @throws CofferException KEY_UNAVAILABLE when a provider cannot be reached
   */
  public WrappedVaultKey wrap(VaultName vault, int version, byte[] vaultKey) {
    byte[] context = VaultKeyBundle.context(vault, version);
    List<VaultKeyBundle.Wrapping> wrappings = new ArrayList<>();
    for (RootKeyProvider provider : providers) {
      RootWrapping wrapping;
      try {
        wrapping = provider.wrap(vaultKey, context);
      } catch (RuntimeException e) {
        throw new CofferException(
            ErrorCode.KEY_UNAVAILABLE,
            "Root key '"
                + provider.keyId()
                + "' could not wrap a new vault key; every configured root key must.",
            e);
      }
      wrappings.add(new VaultKeyBundle.Wrapping(VaultKeyBundle.Kind.ROOT, wrapping));
    }
    recovery.ifPresent(
        key ->
            wrappings.add(
                new VaultKeyBundle.Wrapping(
                    VaultKeyBundle.Kind.RECOVERY, key.wrap(vaultKey, context))));
    return new WrappedVaultKey(new VaultKeyBundle(version, wrappings).encode());
  }

  /**
   * Unwraps through the first provider that can, starting from a rotating position so the load is
   * shared. Returns the vault key; the caller wipes it after use.
   *
   * @throws CofferException KEY_UNAVAILABLE when no provider holding one of the wrappings can be
   *     reached, DECRYPTION_FAILED when the bytes are corrupt, belong to another vault or version,
   *     or were wrapped only by root keys this server is not configured with
   */
  public byte[] unwrap(VaultName vault, WrappedVaultKey wrapped) {
    VaultKeyBundle bundle = wrapped.bundle();
    byte[] context = VaultKeyBundle.context(vault, bundle.version());
    int start = Math.floorMod(next.getAndIncrement(), providers.size());
    boolean anyUnavailable = false;
    boolean anyAttempted = false;
    CofferException last = null;
    for (int i = 0; i < providers.size(); i++) {
      RootKeyProvider provider = providers.get((start + i) % providers.size());
      for (VaultKeyBundle.Wrapping w : bundle.wrappings()) {
        if (w.kind() != VaultKeyBundle.Kind.ROOT
            || !w.wrapping().rootKey().id().equals(provider.keyId())) {
          continue;
        }
        anyAttempted = true;
        try {
          byte[] key = provider.unwrap(w.wrapping(), context);
          if (key.length != Aes256Gcm.KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A vault key is corrupt.");
          }
          return key;
        } catch (CofferException e) {
          anyUnavailable |= e.code() == ErrorCode.KEY_UNAVAILABLE;
          last = e;
        } catch (RuntimeException e) {
          anyUnavailable = true;
          last =
              new CofferException(
                  ErrorCode.KEY_UNAVAILABLE, "Root key '" + provider.keyId() + "' failed.", e);
        }
      }
    }
    if (!anyAttempted) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED,
          "Version "
              + bundle.version()
              + " of the vault key is wrapped only by "
              + wrapped.wrappedBy()
              + ", none of which this server is configured with.");
    }
    if (anyUnavailable) {
      throw new CofferException(
          ErrorCode.KEY_UNAVAILABLE,
          "No root key provider could unwrap the vault key: none of " + keyIds() + " answered.",
          last);
    }
    throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A vault key is corrupt.", last);
  }

  /**
   * Wraps an existing vault key version afresh with the current versions of every root key and the
   * recovery key: after a root key rotation, or after adding or replacing a provider.
   */
  public WrappedVaultKey rewrap(VaultName vault, WrappedVaultKey wrapped) {
    byte[] key = unwrap(vault, wrapped);
    try {
      return wrap(vault, wrapped.version(), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * The restore path when every root key provider is lost: unwraps with the reassembled recovery
   * key and wraps again with this root of trust's (new) providers and recovery key.
   */
  public WrappedVaultKey recover(
      VaultName vault, WrappedVaultKey wrapped, RecoveryPrivateKey recoveryKey) {
    VaultKeyBundle bundle = wrapped.bundle();
    KeyRef expected = recoveryKey.publicKey().keyRef();
    for (VaultKeyBundle.Wrapping w : bundle.wrappings()) {
      if (w.kind() == VaultKeyBundle.Kind.RECOVERY && w.wrapping().rootKey().equals(expected)) {
        byte[] key =
            recoveryKey.unwrap(w.wrapping(), VaultKeyBundle.context(vault, bundle.version()));
        try {
          if (key.length != Aes256Gcm.KEY_BYTES) {
            throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A vault key is corrupt.");
          }
          return wrap(vault, bundle.version(), key);
        } finally {
          Arrays.fill(key, (byte) 0);
        }
      }
    }
    throw new CofferException(
        ErrorCode.DECRYPTION_FAILED,
        "Version "
            + bundle.version()
            + " of the vault key is not wrapped by recovery key "
            + expected.id()
            + ".");
  }

  @Override
  public String toString() {
    return "RootOfTrust["
        + keyIds()
        + ", recovery="
        + recovery.map(r -> r.keyRef().id()).orElse("none")
        + "]";
  }

  private List<String> keyIds() {
    return providers.stream().map(RootKeyProvider::keyId).toList();
  }
}
