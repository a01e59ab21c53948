package dev.coffer.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Which version of a secret holds each {@link SecretStage}: version numbers, 0 for "no version in
 * this stage". At most one version holds a stage, and a version holds at most one stage (the
 * non-zero numbers are distinct); every transition below keeps that.
 *
 * <p>Application-level stages, unrelated to the replication {@link VersionState}.
 *
 * <ul>
 *   <li>A put with stage CURRENT: the new version becomes CURRENT, the old CURRENT (if any)
 *       PREVIOUS; PENDING stays where it was, so a rotation in progress is not lost by a direct
 *       write (as with AWS's PutSecretValue).
 *   <li>A put with stage PENDING: the new version becomes PENDING, replacing any PENDING version
 *       (that version stays readable by number); CURRENT and PREVIOUS do not move.
 *   <li>Promoting version N: N becomes CURRENT, the old CURRENT PREVIOUS, and PENDING is cleared if
 *       it was N. Promoting the version already CURRENT changes nothing. N may be any live version:
 *       promoting PREVIOUS is a rollback.
 * </ul>
 */
public record StageMap(long current, long previous, long pending) {
  /** A secret with no version in any stage: not created yet, or deleted. */
  public static final StageMap NONE = new StageMap(0, 0, 0);

  public StageMap {
    if (current < 0 || previous < 0 || pending < 0) {
      throw new IllegalArgumentException("stage versions are at least 0");
    }
    if ((current != 0 && (current == previous || current == pending))
        || (previous != 0 && previous == pending)) {
      throw new IllegalArgumentException("a version holds at most one stage");
    }
  }

  /** The map after a put of {@code version}, a number never used before for this secret. */
  public StageMap afterPut(long version, SecretStage stage) {
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1");
    }
    return switch (stage) {
      case CURRENT -> new StageMap(version, current, pending);
      case PENDING -> new StageMap(current, previous, version);
      case PREVIOUS ->
          throw new IllegalArgumentException("a put makes its version CURRENT or PENDING");
    };
  }

  /** The map after promoting {@code version}, which the caller has checked is a live version. */
  public StageMap afterPromote(long version) {
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1");
    }
    if (version == current) {
      return this;
    }
    return new StageMap(version, current, pending == version ? 0 : pending);
  }

  /** The version in {@code stage}, 0 when none. */
  public long versionIn(SecretStage stage) {
    return switch (stage) {
      case CURRENT -> current;
      case PREVIOUS -> previous;
      case PENDING -> pending;
    };
  }

  /** The stages {@code version} holds, in declaration order: empty or one. */
  public List<SecretStage> stagesOf(long version) {
    List<SecretStage> stages = new ArrayList<>(1);
    if (version < 1) {
      return List.of();
    }
    for (SecretStage stage : SecretStage.values()) {
      if (versionIn(stage) == version) {
        stages.add(stage);
      }
    }
    return List.copyOf(stages);
  }
}
