package dev.coffer.core.model;

import dev.coffer.core.crypto.SealedSecret;
import java.time.Instant;

/** One stored, still encrypted version of a secret. */
public record SecretVersionRecord(
    VaultName vault, SecretName secret, long version, Instant createdAt, SealedSecret sealed) {}
