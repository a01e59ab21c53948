package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every request needs the bearer token, before routing: an unauthenticated caller cannot even learn
 * which paths exist. A single admin token until the access-control model arrives.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BearerTokenFilter implements ContainerRequestFilter {
  private static final String PREFIX = "Bearer ";

  private final byte[] expected;

  public BearerTokenFilter(String adminToken) {
    if (adminToken == null || adminToken.length() < 16) {
      throw new IllegalArgumentException("the admin token must have at least 16 characters");
    }
    this.expected = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      request.abortWith(
          ErrorResponses.of(
              ErrorCode.UNAUTHENTICATED,
              "This request needs an 'Authorization: Bearer <token>' header."));
      return;
    }
    byte[] presented = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, presented)) {
      request.abortWith(
          ErrorResponses.of(ErrorCode.UNAUTHENTICATED, "The bearer token is not valid."));
    }
  }
}
