package dev.coffer.core.read;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.time.Instant;
import java.util.List;

/**
 * A decrypted secret version and the stages it held when read (empty or one). Its value never
 * prints (see {@link SecretValue#toString()}).
 */
public record RevealedSecret(
    VaultName vault,
    SecretName name,
    long version,
    Instant createdAt,
    List<SecretStage> stages,
    SecretValue value) {
  public RevealedSecret {
    stages = List.copyOf(stages);
  }
}
