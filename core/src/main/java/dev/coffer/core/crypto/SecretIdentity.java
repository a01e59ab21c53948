package dev.coffer.core.crypto;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import java.nio.charset.StandardCharsets;

/**
 * Where a ciphertext belongs. It is the associated data of every encryption, so a ciphertext moved
 * to another version, secret or vault fails to decrypt instead of yielding the wrong secret.
 */
public record SecretIdentity(VaultName vault, SecretName secret, long version) {
  public SecretIdentity {
    if (version < 1) {
      throw new IllegalArgumentException("secret versions start at 1");
    }
  }

  byte[] associatedData(String purpose) {
    // Names cannot contain '/', so this encoding is unambiguous.
    return ("coffer/v1/" + purpose + "/" + vault.value() + "/" + secret.value() + "/" + version)
        .getBytes(StandardCharsets.UTF_8);
  }
}
