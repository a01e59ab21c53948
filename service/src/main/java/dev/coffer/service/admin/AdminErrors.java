package dev.coffer.service.admin;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.http.ErrorJson;
import dev.coffer.service.http.ErrorResponse;
import dev.coffer.service.http.ErrorResponses;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes an error on the admin port, where no Jersey runs: the same status, headers and body as an
 * API port's answer with that code, from the same {@link ErrorResponses} and {@link ErrorJson}.
 */
public final class AdminErrors {
  private AdminErrors() {}

  /** Writes the error on a response nothing has been written to yet. */
  public static void write(HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    Response error = ErrorResponses.of(code, message);
    response.setStatus(error.getStatus());
    for (Map.Entry<String, List<String>> header : error.getStringHeaders().entrySet()) {
      for (String value : header.getValue()) {
        response.addHeader(header.getKey(), value);
      }
    }
    response.setContentType("application/json");
    response.getOutputStream().write(ErrorJson.bytes((ErrorResponse) error.getEntity()));
  }
}
