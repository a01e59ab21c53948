package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's error format as a Jersey {@link Response}: the status, headers and body all come from
 * {@link ErrorCode}, {@link ErrorJson} and {@link ErrorResponse}.
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  public static Response of(ErrorCode code, String message) {
    Response.ResponseBuilder response =
        Response.status(code.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(ErrorResponse.of(code, message));
    ErrorJson.headers(code).forEach(response::header);
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
