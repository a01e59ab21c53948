package dev.coffer.service.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Last resort: a bug. The client gets an opaque id, never a stack trace. */
public final class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {
  @Override
  public Response toResponse(Throwable e) {
    return ErrorResponses.internal(e);
  }
}
