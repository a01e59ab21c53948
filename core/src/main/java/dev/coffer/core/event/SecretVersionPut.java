package dev.coffer.core.event;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/**
 * A new version of a secret, encrypted, with the secret's full stage map after the put (the map of
 * the highest entity version seen wins on a replica, as for every other per-entity state).
 */
public record SecretVersionPut(
    VaultName vault,
    SecretName secret,
    long entityVersion,
    long version,
    Instant createdAt,
    SealedSecret sealed,
    StageMap stages)
    implements ReplicationEvent {

  /**
   * A put that made its version CURRENT and left nothing else staged: what a put event written
   * before stages existed means, and a shorthand for tests.
   */
  public SecretVersionPut(
      VaultName vault,
      SecretName secret,
      long entityVersion,
      long version,
      Instant createdAt,
      SealedSecret sealed) {
    this(vault, secret, entityVersion, version, createdAt, sealed, new StageMap(version, 0, 0));
  }

  @Override
  public String entity() {
    return "secret/" + vault + "/" + secret;
  }
}
