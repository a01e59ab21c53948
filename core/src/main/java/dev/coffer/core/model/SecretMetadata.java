package dev.coffer.core.model;

import java.time.Instant;

/** What listing a vault shows of a secret: never its value. */
public record SecretMetadata(SecretName name, long latestVersion, Instant updatedAt) {}
