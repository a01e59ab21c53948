package dev.coffer.core.read;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/** A decrypted secret version. Its value never prints (see {@link SecretValue#toString()}). */
public record RevealedSecret(
    VaultName vault, SecretName name, long version, Instant createdAt, SecretValue value) {}
