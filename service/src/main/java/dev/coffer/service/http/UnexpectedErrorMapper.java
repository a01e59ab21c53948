package dev.coffer.service.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Last resort. A client's broken request that surfaced as some framework's exception (see {@link
 * FailureCauses}) gets its 4xx; anything else is a bug: the client gets an opaque id, never a stack
 * trace.
 */
public final class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {
  @Override
  public Response toResponse(Throwable e) {
    return FailureCauses.find(e)
        .map(cause -> ErrorResponses.of(cause.code(), cause.getMessage()))
        .orElseGet(() -> ErrorResponses.internal(e));
  }
}
