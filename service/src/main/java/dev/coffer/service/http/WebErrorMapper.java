package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Errors raised by the HTTP framework itself, in Coffer's error format. */
public final class WebErrorMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    if (e instanceof NotFoundException) {
      return ErrorResponses.of(ErrorCode.NOT_FOUND, "There is no such resource; check the path.");
    }
    if (e instanceof NotAllowedException) {
      return ErrorResponses.of(
          ErrorCode.METHOD_NOT_ALLOWED, "This resource does not support that HTTP method.");
    }
    if (e instanceof NotSupportedException) {
      return ErrorResponses.of(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.");
    }
    if (e instanceof NotAcceptableException) {
      return ErrorResponses.of(ErrorCode.NOT_ACCEPTABLE, "Responses are application/json.");
    }
    var cause = FailureCauses.find(e.getCause());
    if (cause.isPresent()) {
      return ErrorResponses.of(cause.get().code(), cause.get().getMessage());
    }
    int status = e.getResponse().getStatus();
    if (status >= 400 && status < 500) {
      return ErrorResponses.of(ErrorCode.MALFORMED_REQUEST, "The request is not valid.");
    }
    return ErrorResponses.internal(e);
  }
}
