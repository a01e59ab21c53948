package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;

/**
 * Every request needs the bearer token, before routing: an unauthenticated caller cannot even learn
 * which paths exist. A single admin token until the access-control model arrives.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BearerTokenFilter implements ContainerRequestFilter {
  /** The principal of a caller holding the admin token. */
  public static final String ADMIN_PRINCIPAL = "admin-token";

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
      return;
    }
    request.setSecurityContext(new AdminCaller(request.getSecurityContext().isSecure()));
  }

  /** Who the caller is once the token matched: the admin, named so in the key audit trail. */
  private record AdminCaller(boolean secure) implements SecurityContext {
    private static final Principal ADMIN = () -> ADMIN_PRINCIPAL;

    @Override
    public Principal getUserPrincipal() {
      return ADMIN;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
