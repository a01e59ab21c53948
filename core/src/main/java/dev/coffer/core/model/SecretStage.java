package dev.coffer.core.model;

import java.util.Optional;

/**
 * The application-level stage a secret version holds, as in AWS Secrets Manager's staging labels
 * and OCI Vault's version stages: which version applications read by default, which one a rotation
 * is preparing, and which one was in use before.
 *
 * <p>Not to be confused with {@link VersionState}, which says whether a version has replicated to
 * every host of its cell yet; a version has a stage (or none) and, independently, a replication
 * state.
 */
public enum SecretStage {
  /** The version applications read when they name no stage or version. */
  CURRENT,
  /** The version that was CURRENT before the current one became CURRENT. */
  PREVIOUS,
  /** A version written but not yet in use; promoting it makes it CURRENT. */
  PENDING;

  /** The stage named exactly as in the API ({@code CURRENT}, {@code PREVIOUS}, {@code PENDING}). */
  public static Optional<SecretStage> parse(String name) {
    for (SecretStage stage : values()) {
      if (stage.name().equals(name)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }
}
