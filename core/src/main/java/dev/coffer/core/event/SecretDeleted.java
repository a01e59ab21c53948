package dev.coffer.core.event;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/** Tombstone: the secret and every version written before it are gone. */
public record SecretDeleted(
    VaultName vault, SecretName secret, long entityVersion, Instant deletedAt)
    implements ReplicationEvent {
  @Override
  public String entity() {
    return "secret/" + vault + "/" + secret;
  }
}
