package dev.coffer.core.api;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses query parameters by hand: JAX-RS answers a failed conversion with a bare 404, and clients
 * deserve to be told which parameter was wrong.
 */
public final class QueryParams {
  public static final int DEFAULT_LIMIT = 100;

  private QueryParams() {}

  /** {@code ?version=N}; absent is empty, but an empty one ({@code ?version=}) is no version. */
  public static OptionalLong version(String raw) {
    if (raw == null) {
      return OptionalLong.empty();
    }
    try {
      long version = Long.parseLong(raw);
      if (version >= 1) {
        return OptionalLong.of(version);
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new CofferException(
        ErrorCode.INVALID_VERSION, "The version must be a whole number of at least 1.");
  }

  /**
   * The version a read asks for: {@code ?version=N}, {@code ?stage=CURRENT|PREVIOUS|PENDING}, or
   * neither (CURRENT); never both, because they could disagree.
   */
  public static VersionSelector selector(List<String> stage, String version) {
    return selector(oneStage(stage), version);
  }

  /**
   * As {@link #selector(List, String)} with the stage parameter's one value: {@code null} when it
   * is absent; an empty one ({@code ?stage=}) is not a stage.
   */
  public static VersionSelector selector(String stage, String version) {
    boolean hasStage = stage != null;
    OptionalLong number = version(version);
    if (hasStage && number.isPresent()) {
      throw new CofferException(
          ErrorCode.MALFORMED_REQUEST, "Ask for a stage or a version, not both.");
    }
    if (hasStage) {
      return VersionSelector.stage(stage(stage));
    }
    return VersionSelector.of(number);
  }

  /** The stage a put gives its version: CURRENT (the default) or PENDING. */
  public static SecretStage putStage(List<String> raw) {
    return putStage(oneStage(raw));
  }

  /** As {@link #putStage(List)} with the parameter's one value, {@code null} when absent. */
  public static SecretStage putStage(String raw) {
    if (raw == null) {
      return SecretStage.CURRENT;
    }
    SecretStage stage = stage(raw);
    if (stage == SecretStage.PREVIOUS) {
      throw new CofferException(
          ErrorCode.INVALID_STAGE,
          "A put makes its version CURRENT or PENDING; a version becomes PREVIOUS only when another"
              + " one is made CURRENT.");
    }
    return stage;
  }

  /** {@code ?version=N} naming the version to promote: required. */
  public static long requiredVersion(String raw) {
    OptionalLong version = version(raw);
    if (version.isEmpty()) {
      throw new CofferException(
          ErrorCode.INVALID_VERSION, "Name the version to promote with ?version=N.");
    }
    return version.getAsLong();
  }

  /**
   * The value of a {@code stage} parameter given at most once, or {@code null} when absent. A
   * repeated one is refused rather than resolved by taking the first, since the two could differ.
   */
  private static String oneStage(List<String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new CofferException(ErrorCode.INVALID_STAGE, "Give the stage at most once.");
    }
    return values.get(0);
  }

  private static SecretStage stage(String raw) {
    return SecretStage.parse(raw)
        .orElseThrow(
            () ->
                new CofferException(
                    ErrorCode.INVALID_STAGE,
                    "The stage must be CURRENT, PREVIOUS or PENDING, in capitals."));
  }

  public static int limit(String raw) {
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= SecretReadAccessor.MAX_LIST_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new CofferException(
        ErrorCode.MALFORMED_REQUEST,
        "The limit must be a whole number from 1 to " + SecretReadAccessor.MAX_LIST_LIMIT + ".");
  }

  /** A position in a sequence-numbered list such as the key audit trail: 0 (the start) or more. */
  public static long afterSequence(String raw) {
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    try {
      long after = Long.parseLong(raw);
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new CofferException(
        ErrorCode.MALFORMED_REQUEST, "'after' must be a whole number of at least 0.");
  }

  public static Optional<SecretName> after(String raw) {
    return raw == null || raw.isEmpty() ? Optional.empty() : Optional.of(SecretName.of(raw));
  }
}
