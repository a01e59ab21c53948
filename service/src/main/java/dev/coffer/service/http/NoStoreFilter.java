package dev.coffer.service.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Responses may carry secrets, so no cache anywhere may keep one. */
public final class NoStoreFilter implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    response.getHeaders().putSingle("Cache-Control", "no-store");
    response.getHeaders().putSingle("Pragma", "no-cache");
    response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
  }
}
