package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single place where error codes become HTTP statuses. */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  public static int status(ErrorCode code) {
    return switch (code.category()) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case NOT_ACCEPTABLE -> 406;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  public static Response of(ErrorCode code, String message) {
    int status = status(code);
    String errorId = null;
    if (status >= 500) {
      // Server faults get an id that links the client's report to the server log line.
      errorId = UUID.randomUUID().toString();
    }
    Response.ResponseBuilder response =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header("Cache-Control", "no-store")
            .entity(ErrorResponse.of(code.name(), message, errorId));
    if (status == 401) {
      response.header("WWW-Authenticate", "Bearer realm=\"coffer\"");
    }
    if (status == 503) {
      response.header("Retry-After", "1");
    }
    return response.build();
  }

  /** For server faults: logs the cause under a fresh id and returns a body that reveals nothing. */
  public static Response internal(Throwable cause) {
    Response response =
        of(
            ErrorCode.INTERNAL_ERROR,
            "The server failed to handle the request; it has been logged.");
    String errorId = ((ErrorResponse) response.getEntity()).error().errorId();
    LOG.error("Request failed (errorId={}).", errorId, cause);
    return response;
  }
}
