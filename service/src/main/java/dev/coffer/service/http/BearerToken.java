package dev.coffer.service.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin bearer token and the one way a presented {@code Authorization} header is checked
 * against it, shared by the API and the admin port. Both sides are hashed before the constant-time
 * comparison, so that neither the time taken nor an early length mismatch tells how long the token
 * is or how much of it a guess got right.
 */
public final class BearerToken {
  /** What a presented header amounts to. */
  public enum Check {
    /** No header, or not of the Bearer scheme. */
    MISSING,
    /** A bearer token that is not the admin token. */
    INVALID,
    VALID
  }

  private static final String PREFIX = "Bearer ";

  private final byte[] expected;

  public BearerToken(String adminToken) {
    if (adminToken == null || adminToken.length() < 16) {
      throw new IllegalArgumentException("the admin token must have at least 16 characters");
    }
    this.expected = sha256(adminToken);
  }

  /** Checks the value of an {@code Authorization} header (null when there is none). */
  public Check check(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Check.MISSING;
    }
    String presented = authorizationHeader.substring(PREFIX.length()).trim();
    return MessageDigest.isEqual(expected, sha256(presented)) ? Check.VALID : Check.INVALID;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[REDACTED]";
  }
}
