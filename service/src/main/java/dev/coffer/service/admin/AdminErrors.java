package dev.coffer.service.admin;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes an error on the admin port, where no Jersey runs: the same status, headers and body as an
 * API port's answer with that code, from core's one error format ({@link ErrorJson}).
 */
public final class AdminErrors {
  private AdminErrors() {}

  /** Writes the error on a response nothing has been written to yet. */
  public static void write(HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    response.setStatus(code.status());
    response.setContentType(ErrorJson.CONTENT_TYPE);
    ErrorJson.headers(code).forEach(response::addHeader);
    response.getOutputStream().write(ErrorJson.bytes(ErrorResponse.of(code, message)));
  }
}
