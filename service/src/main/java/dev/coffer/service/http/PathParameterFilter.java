package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Refuses path parameters ({@code /v1/vaults/payments;x=1/...}). Jersey would match the segment
 * without them and drop them silently, so a request would act on a name other than the one it
 * spelled. No Coffer name may contain {@code ;}, so the API never needs one; an encoded {@code %3B}
 * reaches the name checks and is refused there. Runs before authentication, as Jetty refuses other
 * malformed URIs before anything else too.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class PathParameterFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (path != null && path.indexOf(';') >= 0) {
      throw new CofferException(
          ErrorCode.MALFORMED_REQUEST,
          "The path has a parameter (';'); Coffer's paths have none, and names cannot contain ';'.");
    }
  }
}
