package dev.coffer.testkit.storage;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Events for replica store tests. Payloads and timestamps are derived from the event's identity, so
 * two events are equal exactly when their identities are, and a wrong version or a stale record
 * shows up as a different value rather than passing by coincidence.
 */
public final class ReplicaEvents {
  private static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");

  private ReplicaEvents() {}

  public static VaultCreated vaultCreated(String vault, long entityVersion) {
    return new VaultCreated(
        VaultName.of(vault),
        entityVersion,
        FakeVaultKeys.version(1, bytes("key/" + vault + "/" + entityVersion)),
        BASE.plusSeconds(entityVersion));
  }

  public static SecretVersionPut put(
      String vault, String secret, long entityVersion, long version) {
    return new SecretVersionPut(
        VaultName.of(vault),
        SecretName.of(secret),
        entityVersion,
        version,
        createdAt(entityVersion, version),
        sealed(vault, secret, entityVersion, version));
  }

  /** A put carrying the given stage map after it. */
  public static SecretVersionPut put(
      String vault, String secret, long entityVersion, long version, StageMap stages) {
    return new SecretVersionPut(
        VaultName.of(vault),
        SecretName.of(secret),
        entityVersion,
        version,
        createdAt(entityVersion, version),
        sealed(vault, secret, entityVersion, version),
        stages);
  }

  /** A promotion (or any stage change without a new version). */
  public static SecretStagesChanged stagesChanged(
      String vault, String secret, long entityVersion, StageMap stages) {
    return new SecretStagesChanged(
        VaultName.of(vault),
        SecretName.of(secret),
        entityVersion,
        stages,
        BASE.plusSeconds(entityVersion));
  }

  public static SecretDeleted deleted(String vault, String secret, long entityVersion) {
    return new SecretDeleted(
        VaultName.of(vault), SecretName.of(secret), entityVersion, BASE.plusSeconds(entityVersion));
  }

  /** The createdAt that {@link #put} gives, for asserting list's updatedAt. */
  public static Instant createdAt(long entityVersion, long version) {
    return BASE.plusSeconds(1000 * version + entityVersion).plusNanos(version);
  }

  public static SealedSecret sealed(String vault, String secret, long entityVersion, long version) {
    String id = vault + "/" + secret + "/" + entityVersion + "/" + version;
    return new SealedSecret(bytes("dek:" + id), bytes("ciphertext:" + id));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
