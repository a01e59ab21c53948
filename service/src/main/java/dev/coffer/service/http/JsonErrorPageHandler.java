package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty raises before a request reaches the application (an ambiguous or malformed URI,
 * a bad header) in Coffer's JSON error format, rather than Jetty's HTML page or an empty body.
 */
public final class JsonErrorPageHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    ErrorCode errorCode =
        switch (code) {
          case 404 -> ErrorCode.NOT_FOUND;
          case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
          case 413, 414, 431 -> ErrorCode.REQUEST_TOO_LARGE;
          case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
          default -> code >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
        };
    String sentence =
        code >= 500
            ? "The server failed to handle the request."
            : "The request is not valid HTTP for this API (for example a path with an encoded '/'"
                + " or '..', or an oversized header).";
    String body =
        "{\"error\":{\"code\":\"" + errorCode.name() + "\",\"message\":\"" + sentence + "\"}}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
