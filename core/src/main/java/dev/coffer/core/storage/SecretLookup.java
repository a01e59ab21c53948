package dev.coffer.core.storage;

import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * What a read of one secret version needs, found together: the vault with its key ring, the
 * secret's stage map when the secret is live, and the version asked for when it exists (never
 * without a stage map). Still encrypted.
 */
public record SecretLookup(
    VaultRecord vault, Optional<StageMap> stages, Optional<SecretVersionRecord> version) {
  public SecretLookup {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(stages, "stages");
    Objects.requireNonNull(version, "version");
    if (version.isPresent() && stages.isEmpty()) {
      throw new IllegalArgumentException("a version is found only for a live secret");
    }
  }
}
