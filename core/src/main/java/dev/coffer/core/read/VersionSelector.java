package dev.coffer.core.read;

import dev.coffer.core.model.SecretStage;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which version of a secret a read asks for: the one in a stage (CURRENT by default), or a number.
 */
public sealed interface VersionSelector {
  /** What a read that names neither a stage nor a version gets. */
  VersionSelector CURRENT = new ByStage(SecretStage.CURRENT);

  record ByStage(SecretStage stage) implements VersionSelector {
    public ByStage {
      Objects.requireNonNull(stage, "stage");
    }
  }

  record ByVersion(long version) implements VersionSelector {
    public ByVersion {
      if (version < 1) {
        throw new IllegalArgumentException("versions start at 1");
      }
    }
  }

  static VersionSelector stage(SecretStage stage) {
    return new ByStage(stage);
  }

  static VersionSelector version(long version) {
    return new ByVersion(version);
  }

  /** Version {@code n} when present, else CURRENT. */
  static VersionSelector of(OptionalLong version) {
    return version.isPresent() ? new ByVersion(version.getAsLong()) : CURRENT;
  }
}
