package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors that Jetty answers itself — before a request reaches the application (a malformed request
 * line, an ambiguous URI, oversized headers, an unsupported HTTP version) or from a servlet filter
 * (a method outside the allowed ones) — in Coffer's JSON error format, for every method, on the
 * application and the admin port. Jetty's own page is HTML, and for methods other than GET, POST
 * and HEAD it sends no body at all.
 */
public final class JsonErrorPageHandler extends ErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPageHandler.class);

  public JsonErrorPageHandler() {
    setCacheControl("no-store");
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean errorPageForMethod(String method) {
    // Every method gets the JSON body, unknown ones too; for HEAD, Jetty drops the body itself.
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    ErrorCode code = ProtocolErrors.codeFor(status);
    ErrorResponse body = ErrorResponse.of(code, ProtocolErrors.sentence(code));
    if (body.error().errorId() != null) {
      LOG.error(
          "Request failed with {} (errorId={}): {}",
          status,
          body.error().errorId(),
          message,
          cause);
    }
    response.setStatus(code.status());
    ErrorJson.headers(code).forEach((name, value) -> response.getHeaders().put(name, value));
    if (code == ErrorCode.METHOD_NOT_ALLOWED && !response.getHeaders().contains(HttpHeader.ALLOW)) {
      // Jetty's 405 comes from the allowed-methods filter: every path has at most these.
      response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", CofferHttp.ALLOWED_METHODS));
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorJson.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(ErrorJson.bytes(body)), callback);
  }
}
