package dev.coffer.core.event;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/** A new version of a secret, encrypted. */
public record SecretVersionPut(
    VaultName vault,
    SecretName secret,
    long entityVersion,
    long version,
    Instant createdAt,
    SealedSecret sealed)
    implements ReplicationEvent {
  @Override
  public String entity() {
    return "secret/" + vault + "/" + secret;
  }
}
