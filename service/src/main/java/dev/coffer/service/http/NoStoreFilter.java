package dev.coffer.service.http;

import dev.coffer.core.api.Headers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Responses may carry secrets, so no cache anywhere may keep one. */
public final class NoStoreFilter implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Headers.UNCACHEABLE.forEach((name, value) -> response.getHeaders().putSingle(name, value));
  }
}
