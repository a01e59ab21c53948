package dev.coffer.core.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads and decrypts secrets from any {@link SecretReadAccessor}, turning absence into the precise
 * not-found error a client needs.
 */
public final class SecretReads {
  private final SecretReadAccessor accessor;
  private final SecretCrypto crypto;

  public SecretReads(SecretReadAccessor accessor, SecretCrypto crypto) {
    this.accessor = accessor;
    this.crypto = crypto;
  }

  public RevealedSecret read(VaultName vault, SecretName secret, OptionalLong version) {
    VaultRecord vaultRecord = requireVault(vault);
    Optional<SecretVersionRecord> found =
        version.isPresent()
            ? accessor.version(vault, secret, version.getAsLong())
            : accessor.latest(vault, secret);
    SecretVersionRecord record = found.orElseThrow(() -> notFound(vault, secret, version));
    return new RevealedSecret(
        vault,
        secret,
        record.version(),
        record.createdAt(),
        crypto.open(
            new SecretIdentity(vault, secret, record.version()),
            vaultRecord.key(),
            record.sealed()));
  }

  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    requireVault(vault);
    return accessor.list(vault, after, limit);
  }

  private VaultRecord requireVault(VaultName vault) {
    return accessor
        .vault(vault)
        .orElseThrow(
            () ->
                new CofferException(
                    ErrorCode.VAULT_NOT_FOUND, "No vault named '" + vault + "' exists here."));
  }

  private CofferException notFound(VaultName vault, SecretName secret, OptionalLong version) {
    if (version.isPresent() && accessor.latest(vault, secret).isPresent()) {
      return new CofferException(
          ErrorCode.VERSION_NOT_FOUND,
          "Secret '"
              + secret
              + "' in vault '"
              + vault
              + "' has no version "
              + version.getAsLong()
              + ".");
    }
    return new CofferException(
        ErrorCode.SECRET_NOT_FOUND,
        "No secret named '" + secret + "' exists in vault '" + vault + "'.");
  }
}
