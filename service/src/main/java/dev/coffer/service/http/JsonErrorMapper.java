package dev.coffer.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Malformed or mistyped JSON. Jackson's own message is not returned: it can quote the offending
 * input, which may be a secret. Jackson wraps what the body stream throws (a body over the cap, a
 * broken gzip stream), so that cause decides the answer when there is one.
 */
public final class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {
  @Override
  public Response toResponse(JsonProcessingException e) {
    return FailureCauses.find(e)
        .map(cause -> ErrorResponses.of(cause.code(), cause.getMessage()))
        .orElseGet(
            () ->
                ErrorResponses.of(
                    ErrorCode.MALFORMED_REQUEST,
                    "The request body is not valid JSON of the expected shape; see the API"
                        + " description."));
  }
}
