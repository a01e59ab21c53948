package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
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

  private static final String MISSING_MESSAGE =
      "This request needs an 'Authorization: Bearer <token>' header.";
  private static final String INVALID_MESSAGE = "The bearer token is not valid.";

  private final BearerToken token;

  public BearerTokenFilter(String adminToken) {
    this.token = new BearerToken(adminToken);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    switch (token.check(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
      case MISSING -> {
        request.abortWith(ErrorResponses.of(ErrorCode.UNAUTHENTICATED, MISSING_MESSAGE));
        return;
      }
      case INVALID -> {
        request.abortWith(ErrorResponses.of(ErrorCode.UNAUTHENTICATED, INVALID_MESSAGE));
        return;
      }
      case VALID -> {}
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
