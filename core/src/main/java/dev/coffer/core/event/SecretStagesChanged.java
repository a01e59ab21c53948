package dev.coffer.core.event;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import java.time.Instant;

/**
 * A secret's version stages changed without a new version (a promotion): the full new stage map, so
 * that the map of the highest entity version seen is the secret's map whatever the arrival order.
 */
public record SecretStagesChanged(
    VaultName vault, SecretName secret, long entityVersion, StageMap stages, Instant changedAt)
    implements ReplicationEvent {
  @Override
  public String entity() {
    return "secret/" + vault + "/" + secret;
  }
}
