package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.List;

/**
 * Refuses a query that gives a parameter twice ({@code ?version=1&version=2}). JAX-RS hands a
 * resource the first value and drops the rest silently, so a request could act on a version, page
 * or stage other than one it spelled; no Coffer parameter takes several values.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RepeatedQueryParameterFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    for (List<String> values : request.getUriInfo().getQueryParameters(false).values()) {
      if (values.size() > 1) {
        throw new CofferException(
            ErrorCode.MALFORMED_REQUEST,
            "A query parameter is given more than once; give it once.");
      }
    }
  }
}
