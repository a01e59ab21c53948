package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Domain errors carry their own code and a sentence written for clients. */
public final class CofferExceptionMapper implements ExceptionMapper<CofferException> {
  private static final Logger LOG = LoggerFactory.getLogger(CofferExceptionMapper.class);

  @Override
  public Response toResponse(CofferException e) {
    Response response = ErrorResponses.of(e.code(), e.getMessage());
    if (e.code().isServerFault()) {
      ErrorResponse body = (ErrorResponse) response.getEntity();
      LOG.error("{} (errorId={})", e.code(), body.error().errorId(), e);
    }
    return response;
  }
}
