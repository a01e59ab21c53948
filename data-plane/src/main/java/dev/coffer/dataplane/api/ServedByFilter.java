package dev.coffer.dataplane.api;

import dev.coffer.core.api.Headers;
import dev.coffer.core.model.HostId;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Names the answering host on every response ({@link Headers#SERVED_BY}). */
public final class ServedByFilter implements ContainerResponseFilter {
  private final String host;

  public ServedByFilter(HostId host) {
    this.host = host.value();
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    response.getHeaders().putSingle(Headers.SERVED_BY, host);
  }
}
