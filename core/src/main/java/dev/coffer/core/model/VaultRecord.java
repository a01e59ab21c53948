package dev.coffer.core.model;

import dev.coffer.core.crypto.WrappedVaultKey;
import java.time.Instant;

/** A vault as its shard stores it: the name and its wrapped key. */
public record VaultRecord(VaultName name, WrappedVaultKey key, Instant createdAt) {}
