package dev.coffer.core.crypto;

import dev.coffer.core.model.VaultName;
import java.util.Optional;

/**
 * How vault key versions are named in envelopes and nonce budgets: {@code vault/<vault name>}.
 * Vault names cannot contain '/', so the name is unambiguous and tells vault keys from root keys.
 */
public final class VaultKeyRefs {
  private static final String PREFIX = "vault/";

  private VaultKeyRefs() {}

  public static KeyRef of(VaultName vault, int version) {
    return new KeyRef(PREFIX + vault.value(), version);
  }

  /** The vault whose key {@code key} names; empty for root and recovery keys. */
  public static Optional<VaultName> vaultOf(KeyRef key) {
    if (!key.id().startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(VaultName.of(key.id().substring(PREFIX.length())));
    } catch (RuntimeException notAVaultName) {
      return Optional.empty();
    }
  }
}
