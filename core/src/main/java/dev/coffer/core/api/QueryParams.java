package dev.coffer.core.api;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses query parameters by hand: JAX-RS answers a failed conversion with a bare 404, and clients
 * deserve to be told which parameter was wrong.
 */
public final class QueryParams {
  public static final int DEFAULT_LIMIT = 100;

  private QueryParams() {}

  public static OptionalLong version(String raw) {
    if (raw == null || raw.isEmpty()) {
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
